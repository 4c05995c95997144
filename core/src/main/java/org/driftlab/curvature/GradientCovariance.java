package org.driftlab.curvature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Vectors;
import org.driftlab.nn.Loss;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.PerExampleGradients;
import org.driftlab.tensor.Tensor;

/**
 * Gradient noise and Fisher matrices of a {@link NetObjective} from per-example gradients g_i (see
 * {@link PerExampleGradients}, which gives them in about one backward pass for dense nets).
 *
 * <ul>
 *   <li>Gradient covariance K = (1/N)Σ_i (g_i − ḡ)(g_i − ḡ)ᵀ (population convention, 1/N), so
 *       Tr K = (1/N)Σ‖g_i‖² − ‖ḡ‖². Its nonzero eigenvalues λ_K are those of the N×N matrix (1/N)·C G C with G the
 *       Gram matrix g_i·g_j and C = I − 11ᵀ/N: the D×D matrix is never formed.</li>
 *   <li>Empirical Fisher F̃ = (1/N)Σ_i g_i g_iᵀ with the true labels (uncentred), Tr F̃ = (1/N)Σ‖g_i‖².</li>
 *   <li>True Fisher F = (1/N)Σ_i E_{ŷ∼p_θ(·|x_i)}[∇ℓ(x_i, ŷ)∇ℓ(x_i, ŷ)ᵀ]: for cross-entropy ŷ is drawn from
 *       softmax(f(x_i)); for MSE (a unit-variance Gaussian likelihood) ŷ = f(x_i) + ε, ε ∼ N(0, I), whose
 *       expectation is the Gauss–Newton matrix. Tr F is estimated by Monte Carlo over seeded label draws.</li>
 * </ul>
 *
 * <p><b>Two ways to λ_K</b> ({@link Method}). DENSE forms G (N²·Σ_layers(in + out) multiply-adds, 8N² bytes) and
 * solves its eigenproblem exactly (dense for N ≤ 2000, else Lanczos to 1e-10): the oracle, and the choice of AUTO for
 * N ≤ {@value #DENSE_LIMIT}. IMPLICIT never forms G: Lanczos runs on the operator s ↦ (1/N)·C G C s of
 * {@link PerExampleGradients#centredGram()} (two GEMMs per layer per product, ≈ 0.8 of a full-batch gradient),
 * started from the top Ritz vectors of the cheap lower model Ĝ ⪯ G of
 * {@link PerExampleGradients#centredGramSketch} (per-layer rank-r projections of the per-example gradients). On
 * Fashion-MNIST fc-tanh 784-200-200-10 (N = 5000; MSE at initialisation and after 300 and 1500 GD steps, CE at
 * initialisation) that start leaves a relative residual of ≈ 2–4·10⁻³ after a single exact product, and the Ritz
 * value is then within 4·10⁻⁶–1.5·10⁻⁵ of the dense answer; from a random start Lanczos needs 6–8 exact products
 * for the same tolerance (and after 1500 steps, where λ_1 and λ_2 are 3% apart, a random start can stall near λ_2).
 *
 * <p>Accuracy of IMPLICIT: the iteration stops when ‖(1/N)CGC u − θu‖ ≤ tolerance·θ for each wanted pair. Ritz
 * values are lower bounds, and for the top pair θ ≤ λ_K ≤ θ + (tolerance·θ)²/gap with gap the distance to the next
 * eigenvalue; with the default tolerance 10⁻² that is ≤ 10⁻³·λ_K whenever the relative gap is ≥ 0.1. The top value
 * is never below the sketch's (the start vector's Rayleigh quotient under G is at least its value under Ĝ ⪯ G). The
 * risk of any residual test is converging to the wrong eigenvalue of a nearly tied pair: when the sketch's k-th and
 * (k+1)-th values are within {@value #NEAR_TIE} (relative), both vectors start the exact Lanczos (one more product);
 * and should an exact Ritz value still fall below the sketch's lower bound, Lanczos reruns from a random start.
 *
 * <p>Cost (dense nets; fc 784-200-200-10, N = 5000, 2 threads, measured interleaved with gradients by
 * {@code driftlab bench} on a shared machine): Tr K and Tr F̃ ≈ 1.0 full-batch gradient; Tr K + λ_K ≈ 2.3 gradients
 * (the factor pass; the sketch, ≈ 0.2 to build and ≈ 0.3 for its ~12 products; one exact product ≈ 0.8), against
 * ≈ 16–24 for the dense Gram matrix and ≈ 6.4 for Lanczos from a random start. Each true-Fisher sample costs about one
 * more gradient.
 */
public final class GradientCovariance {
    /** Above this N the top eigenvalues of a dense Gram matrix come from Lanczos instead of a dense eigensolver. */
    static final int DENSE_EIGEN_LIMIT = 2000;
    /**
     * AUTO uses the dense Gram matrix (exact) up to this N, the implicit operator above it. On fc 784-200-200-10 the
     * dense path already costs ≈ 6.5 gradients at N = 600 (Gram matrix and dense eigensolve) against ≈ 2.3 implicit.
     */
    public static final int DENSE_LIMIT = 256;
    /** Default relative residual tolerance of the implicit path (see the class comment for what it buys). */
    public static final double DEFAULT_TOLERANCE = 1e-2;
    /** Default rank r of the per-layer projections of the sketch that gives the implicit path its start vectors. */
    public static final int DEFAULT_SKETCH_RANK = 16;
    /** Relative residual to which the sketch's own eigenproblem is solved (its products cost a few % of an exact one). */
    static final double SKETCH_TOLERANCE = 1e-3;
    /** Relative gap between the sketch's k-th and (k+1)-th values below which both start the exact Lanczos. */
    static final double NEAR_TIE = 0.05;
    /** Seed of the sketch's random range finder and of Lanczos start noise: results are deterministic. */
    static final long SEED = 0x6b5eedL;

    /** How λ_K and the top eigenvalues of K are computed. */
    public enum Method {
        /** DENSE for N ≤ {@value GradientCovariance#DENSE_LIMIT}, IMPLICIT above. */
        AUTO,
        /** Form the N×N Gram matrix; exact. */
        DENSE,
        /** Lanczos on the implicit centred Gram operator, started from the sketch; to a tolerance. */
        IMPLICIT
    }

    /**
     * Options of the λ_K computation.
     *
     * @param method      dense, implicit or automatic
     * @param tolerance   relative residual tolerance of the implicit Lanczos (&gt; 0)
     * @param sketchRank  rank r of the sketch that supplies the start vectors; 0 starts from {@code warmStart} or at
     *                    random instead
     * @param warmStart   optional N-vector (e.g. the previous {@link #eigenvectorsGram()}[0] along training) that
     *                    starts the sketch's Lanczos (or the exact one when sketchRank = 0); may be null
     */
    public record Options(Method method, double tolerance, int sketchRank, double[] warmStart) {
        /** Validates. */
        public Options {
            if (method == null) {
                throw new IllegalArgumentException("GradientCovariance.Options: method is null");
            }
            if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
                throw new IllegalArgumentException("GradientCovariance.Options: tolerance must be positive, got " + tolerance);
            }
            if (sketchRank < 0) {
                throw new IllegalArgumentException("GradientCovariance.Options: sketchRank must be >= 0, got " + sketchRank);
            }
        }

        /** AUTO, tolerance {@value GradientCovariance#DEFAULT_TOLERANCE}, sketch rank
         * {@value GradientCovariance#DEFAULT_SKETCH_RANK}, no warm start. */
        public static Options defaults() {
            return new Options(Method.AUTO, DEFAULT_TOLERANCE, DEFAULT_SKETCH_RANK, null);
        }

        /** The same with another method. */
        public Options withMethod(Method m) {
            return new Options(m, tolerance, sketchRank, warmStart);
        }

        /** The same with another tolerance. */
        public Options withTolerance(double t) {
            return new Options(method, t, sketchRank, warmStart);
        }

        /** The same with another sketch rank (0: no sketch). */
        public Options withSketchRank(int r) {
            return new Options(method, tolerance, r, warmStart);
        }

        /** The same with a warm-start vector of length N (null: none). */
        public Options withWarmStart(double[] v) {
            return new Options(method, tolerance, sketchRank, v);
        }
    }

    private final int n;
    private final double traceK;
    private final double[] topK;
    private final double[][] vectors;
    private final double[] residuals;
    private final double traceEmpiricalFisher;
    private final double meanGradientNorm;
    private final boolean gramTrick;
    private final Method method;
    private final int gramProducts;
    private final int sketchProducts;

    private GradientCovariance(int n, double traceK, double[] topK, double[][] vectors, double[] residuals,
            double traceEmpiricalFisher, double meanGradientNorm, boolean gramTrick, Method method, int gramProducts,
            int sketchProducts) {
        this.n = n;
        this.traceK = traceK;
        this.topK = topK;
        this.vectors = vectors;
        this.residuals = residuals;
        this.traceEmpiricalFisher = traceEmpiricalFisher;
        this.meanGradientNorm = meanGradientNorm;
        this.gramTrick = gramTrick;
        this.method = method;
        this.gramProducts = gramProducts;
        this.sketchProducts = sketchProducts;
    }

    /** Tr K, Tr F̃ and the topK largest eigenvalues of K (topK = 0: traces only) with {@link Options#defaults()}. */
    public static GradientCovariance of(NetObjective obj, double[] theta, int topK) {
        return of(obj, theta, topK, Options.defaults());
    }

    /** Tr K, Tr F̃ and the topK largest eigenvalues of K (topK = 0: traces only, about one gradient). */
    public static GradientCovariance of(NetObjective obj, double[] theta, int topK, Options options) {
        if (topK < 0) {
            throw new IllegalArgumentException("GradientCovariance: topK must be >= 0, got " + topK);
        }
        PerExampleGradients.Detail detail = topK == 0 ? PerExampleGradients.Detail.NORMS
                : resolve(options.method(), obj.numExamples()) == Method.DENSE ? PerExampleGradients.Detail.GRAM
                : PerExampleGradients.Detail.FACTORS;
        return of(PerExampleGradients.compute(obj, theta, detail), topK, options);
    }

    /** The same from already computed per-example gradients (which must hold the Gram matrix when topK &gt; 0). */
    public static GradientCovariance of(PerExampleGradients pe, int topK) {
        return of(pe, topK, Options.defaults().withMethod(pe.gram() != null ? Method.DENSE : Method.IMPLICIT));
    }

    /**
     * The same from already computed per-example gradients: DENSE needs their Gram matrix, IMPLICIT their factors
     * or Gram matrix (see {@link PerExampleGradients.Detail}); AUTO takes what they hold.
     */
    public static GradientCovariance of(PerExampleGradients pe, int topK, Options options) {
        int n = pe.size();
        double[] norms = pe.squaredNorms();
        double meanSq = 0;
        for (double s : norms) {
            meanSq += s / n;
        }
        double[] g = pe.meanGradient();
        double gg = 0;
        for (double v : g) {
            gg += v * v;
        }
        double traceK = meanSq - gg;
        if (topK <= 0) {
            return new GradientCovariance(n, traceK, new double[0], new double[0][], new double[0], meanSq, Math.sqrt(gg),
                    pe.usedGramTrick(), options.method(), 0, 0);
        }
        int k = Math.min(topK, n);
        Method m = options.method() == Method.AUTO ? (pe.gram() != null ? Method.DENSE : Method.IMPLICIT) : options.method();
        if (m == Method.DENSE) {
            if (pe.gram() == null) {
                throw new IllegalArgumentException("GradientCovariance: the per-example gradients carry no Gram matrix");
            }
            Eigen e = topEigenpairs(centre(pe.gram(), n), n, k);
            return new GradientCovariance(n, traceK, e.values, e.vectors, new double[k], meanSq, Math.sqrt(gg),
                    pe.usedGramTrick(), Method.DENSE, 0, 0);
        }
        if (!pe.hasGramProducts()) {
            throw new IllegalArgumentException("GradientCovariance: the per-example gradients carry neither Gram factors"
                    + " nor a Gram matrix (computed with Detail.NORMS)");
        }
        return implicit(pe, k, options, traceK, meanSq, Math.sqrt(gg));
    }

    private static Method resolve(Method m, int n) {
        return m != Method.AUTO ? m : n <= DENSE_LIMIT ? Method.DENSE : Method.IMPLICIT;
    }

    private static GradientCovariance implicit(PerExampleGradients pe, int k, Options options, double traceK, double meanSq,
            double gNorm) {
        int n = pe.size();
        if (!(traceK > 0)) {
            // K = 0 (one example, or identical gradients): every eigenvalue is 0.
            double[][] e = new double[k][];
            for (int i = 0; i < k; i++) {
                e[i] = new double[n];
                e[i][i] = 1;
            }
            return new GradientCovariance(n, Math.max(0, traceK), new double[k], e, new double[k], meanSq, gNorm,
                    pe.usedGramTrick(), Method.IMPLICIT, 0, 0);
        }
        // λ_1(K) ≥ Tr K / N, so in units of Tr K / N the top eigenvalue is ≥ 1 and Lanczos's tol·max(1, |θ|)
        // stopping rule is relative to λ_K, whatever the scale of the loss.
        double unit = traceK / n;
        LinearOperator exact = scaled(pe.centredGram(), 1 / unit, n);
        int maxIterations = Math.min(n, Math.max(300, 3 * k));
        List<double[]> start = new ArrayList<>();
        double[] lower = null;
        int sketchProducts = 0;
        if (options.sketchRank() > 0 && pe.hasFactors()) {
            LinearOperator sketch = scaled(pe.centredGramSketch(options.sketchRank(), SEED), 1 / unit, n);
            // One pair more than wanted, to see whether the k-th and (k+1)-th are nearly tied (below).
            int ks = Math.min(k + 1, n);
            Lanczos.Builder b = Lanczos.Config.builder().k(ks).which(Lanczos.Which.LARGEST_ALGEBRAIC)
                    .tolerance(SKETCH_TOLERANCE).maxIterations(Math.max(maxIterations, ks)).seed(SEED)
                    .residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE);
            if (options.warmStart() != null) {
                b.warmStart(options.warmStart());
            }
            Lanczos.Result rs = Lanczos.run(sketch, b.build());
            sketchProducts = rs.matvecs();
            double[] sv = rs.eigenvalues();
            lower = Arrays.copyOf(sv, Math.min(k, sv.length));
            for (int i = 0; i < lower.length; i++) {
                start.add(rs.eigenvector(i));
            }
            // Nearly tied at the boundary: the sketch may have swapped the k-th and (k+1)-th eigenvectors, and a
            // start on the wrong one would converge (small residual) to the wrong eigenvalue. Starting from both
            // costs one more exact product and lets Lanczos separate them.
            if (sv.length > k && sv[k - 1] - sv[k] < NEAR_TIE * sv[k - 1]) {
                start.add(rs.eigenvector(k));
            }
        } else if (options.warmStart() != null) {
            start.add(options.warmStart());
        }
        Lanczos.Builder b = Lanczos.Config.builder().k(k).which(Lanczos.Which.LARGEST_ALGEBRAIC)
                .tolerance(options.tolerance()).maxIterations(maxIterations).seed(SEED + 1)
                .residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE);
        Lanczos.Result r = start.isEmpty() ? Lanczos.run(exact, b.build())
                : Lanczos.run(exact, b.warmStart(start).warmStartNoise(1e-6).build());
        int products = r.matvecs();
        if (lower != null && belowLowerBounds(r.eigenvalues(), lower)) {
            // The exact Ritz values lie below the sketch's lower bounds: the warm start led Lanczos to lower
            // eigenvalues (Ĝ ⪯ G, so λ_i(G) ≥ every Ritz value of Ĝ). Start afresh at random.
            r = Lanczos.run(exact, Lanczos.Config.builder().k(k).which(Lanczos.Which.LARGEST_ALGEBRAIC)
                    .tolerance(options.tolerance()).maxIterations(maxIterations).seed(SEED + 2)
                    .residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE).build());
            products += r.matvecs();
        }
        int kk = r.eigenvalues().length;
        double[] values = new double[kk];
        double[] res = new double[kk];
        for (int i = 0; i < kk; i++) {
            values[i] = r.eigenvalue(i) * unit;
            res[i] = r.residuals()[i] * unit;
        }
        return new GradientCovariance(n, traceK, values, r.eigenvectors(), res, meanSq, gNorm, pe.usedGramTrick(),
                Method.IMPLICIT, products, sketchProducts);
    }

    private static boolean belowLowerBounds(double[] values, double[] lower) {
        for (int i = 0; i < Math.min(values.length, lower.length); i++) {
            if (values[i] < lower[i] - 1e-9 * Math.abs(lower[i])) {
                return true;
            }
        }
        return values.length < lower.length;
    }

    private static LinearOperator scaled(LinearOperator op, double factor, int n) {
        return LinearOperator.of(n, v -> Vectors.scale(factor, op.apply(v)));
    }

    /** (1/N)·J G J with J = I − 11ᵀ/N: the Gram matrix of the centred gradients, scaled to share K's spectrum. */
    static double[] centre(double[] gram, int n) {
        double[] rowMean = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += gram[i * n + j];
            }
            rowMean[i] = s / n;
            total += s;
        }
        double grand = total / ((double) n * n);
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i * n + j] = (gram[i * n + j] - rowMean[i] - rowMean[j] + grand) / n;
            }
        }
        return c;
    }

    /** Top-k eigenvalues (descending) and unit eigenvectors of a dense symmetric matrix. */
    private record Eigen(double[] values, double[][] vectors) {}

    /** The k largest eigenvalues, descending, of a symmetric n×n matrix. */
    static double[] topEigenvalues(double[] matrix, int n, int k) {
        return topEigenpairs(matrix, n, k).values;
    }

    private static Eigen topEigenpairs(double[] matrix, int n, int k) {
        if (n <= DENSE_EIGEN_LIMIT) {
            SymmetricEigen.Decomposition d = SymmetricEigen.of(matrix, n);
            double[] top = new double[k];
            double[][] vec = new double[k][];
            for (int i = 0; i < k; i++) {
                top[i] = d.value(n - 1 - i);
                vec[i] = d.vector(n - 1 - i);
            }
            return new Eigen(top, vec);
        }
        LinearOperator op = LinearOperator.dense(matrix, n);
        Lanczos.Config cfg = Lanczos.Config.builder().k(k).which(Lanczos.Which.LARGEST_ALGEBRAIC).tolerance(1e-10)
                .maxIterations(Math.min(n, 300)).residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE).build();
        Lanczos.Result r = Lanczos.run(op, cfg);
        return new Eigen(r.eigenvalues(), r.eigenvectors());
    }

    /**
     * Tr F of the true Fisher by Monte Carlo: the mean over {@code samples} seeded label draws of (1/N)Σ‖∇ℓ(x_i, ŷ_i)‖².
     * One draw per example per sample; each sample costs about one gradient.
     */
    public static double trueFisherTrace(NetObjective obj, double[] theta, int samples, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("trueFisherTrace: samples must be >= 1, got " + samples);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double sum = 0;
        for (int s = 0; s < samples; s++) {
            NetObjective sampled = withSampledLabels(obj, theta, rng.nextLong());
            double[] norms = PerExampleGradients.compute(sampled, theta, false).squaredNorms();
            double m = 0;
            for (double v : norms) {
                m += v / norms.length;
            }
            sum += m;
        }
        return sum / samples;
    }

    /**
     * The same data with labels drawn from the model's predictive distribution at θ (seeded): ŷ_i ∼ softmax(f(x_i))
     * for cross-entropy, ŷ_i = f(x_i) + ε_i with ε_i ∼ N(0, I) for MSE.
     */
    public static NetObjective withSampledLabels(NetObjective obj, double[] theta, long seed) {
        Tensor out = obj.outputs(theta);
        int n = out.dim(0);
        int k = out.dim(1);
        double[] f = out.data();
        SplittableRandom rng = new SplittableRandom(seed);
        if (obj.lossKind() == Loss.CE) {
            int[] labels = new int[n];
            double[] p = new double[k];
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, f[i * k + c]);
                }
                double z = 0;
                for (int c = 0; c < k; c++) {
                    p[c] = Math.exp(f[i * k + c] - max);
                    z += p[c];
                }
                double u = rng.nextDouble() * z;
                int c = 0;
                while (c < k - 1 && u >= p[c]) {
                    u -= p[c];
                    c++;
                }
                labels[i] = c;
            }
            return new NetObjective(obj.network(), Loss.CE, obj.inputs(), labels, null);
        }
        double[] y = new double[n * k];
        for (int i = 0; i < y.length; i++) {
            y[i] = f[i] + gaussian(rng);
        }
        return new NetObjective(obj.network(), Loss.MSE, obj.inputs(), null, Tensor.of(y, n, k));
    }

    private static double gaussian(SplittableRandom rng) {
        // Box–Muller; one value per call keeps the stream simple to reproduce.
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Number of examples N. */
    public int size() {
        return n;
    }

    /** Tr K = (1/N)Σ‖g_i − ḡ‖². */
    public double traceK() {
        return traceK;
    }

    /** λ_K¹, the largest eigenvalue of K (NaN when no eigenvalues were requested). */
    public double lambdaK() {
        return topK.length == 0 ? Double.NaN : topK[0];
    }

    /** The requested largest eigenvalues of K, descending. */
    public double[] topEigenvaluesK() {
        return topK.clone();
    }

    /** Tr F̃ = (1/N)Σ‖g_i‖², the empirical Fisher's trace (true labels). */
    public double traceEmpiricalFisher() {
        return traceEmpiricalFisher;
    }

    /** ‖ḡ‖ = ‖∇E‖. */
    public double meanGradientNorm() {
        return meanGradientNorm;
    }

    /**
     * Unit eigenvectors of (1/N)·C G C in example space (length N), one per {@link #topEigenvaluesK()}; the K
     * eigenvector is the correspondingly weighted sum of centred per-example gradients. Pass the first as
     * {@link Options#withWarmStart} when λ_K is tracked along training on the same examples.
     */
    public double[][] eigenvectorsGram() {
        double[][] c = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            c[i] = vectors[i].clone();
        }
        return c;
    }

    /** Lanczos residual estimates ‖(1/N)CGC u − θu‖ per eigenvalue (0 for the dense path, which is exact). */
    public double[] residuals() {
        return residuals.clone();
    }

    /** The method that produced the eigenvalues (DENSE or IMPLICIT; the requested one when none were asked for). */
    public Method method() {
        return method;
    }

    /** Products with the exact implicit Gram operator (each ≈ 2·N·Σ in·out multiply-adds); 0 for DENSE. */
    public int gramProducts() {
        return gramProducts;
    }

    /** Products with the sketch operator (each costs a few percent of an exact one in time, far less in multiply-adds). */
    public int sketchProducts() {
        return sketchProducts;
    }

    /** Whether the dense-layer Gram trick was used (else N separate backward passes). */
    public boolean usedGramTrick() {
        return gramTrick;
    }

    @Override
    public String toString() {
        return "GradientCovariance[N=" + n + ", Tr K=" + traceK + ", λ_K=" + Arrays.toString(topK) + " (" + method
                + ", " + gramProducts + " Gram products), Tr F~=" + traceEmpiricalFisher + "]";
    }
}
