package org.driftlab.curvature;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
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
 *       Tr K = (1/N)Σ‖g_i‖² − ‖ḡ‖². Its nonzero eigenvalues λ_K are those of the N×N matrix (1/N)·G_c G_cᵀ with G_c
 *       the centred per-example gradients as rows: the D×D matrix is never formed.</li>
 *   <li>Empirical Fisher F̃ = (1/N)Σ_i g_i g_iᵀ with the true labels (uncentred), Tr F̃ = (1/N)Σ‖g_i‖².</li>
 *   <li>True Fisher F = (1/N)Σ_i E_{ŷ∼p_θ(·|x_i)}[∇ℓ(x_i, ŷ)∇ℓ(x_i, ŷ)ᵀ]: for cross-entropy ŷ is drawn from
 *       softmax(f(x_i)); for MSE (a unit-variance Gaussian likelihood) ŷ = f(x_i) + ε, ε ∼ N(0, I), whose
 *       expectation is the Gauss–Newton matrix. Tr F is estimated by Monte Carlo over seeded label draws.</li>
 * </ul>
 *
 * <p>Cost (dense nets): Tr K and Tr F̃ ≈ one full-batch gradient; λ_K adds the N×N Gram matrix
 * (N²·Σ_layers(in + out) multiply-adds, 8N² bytes) and a symmetric eigensolve of it (dense for N ≤ 2000, else
 * Lanczos with N²-cost products). Each true-Fisher sample costs about one more gradient.
 */
public final class GradientCovariance {
    /** Above this N the top eigenvalues of the Gram matrix come from Lanczos instead of a dense eigensolver. */
    static final int DENSE_EIGEN_LIMIT = 2000;

    private final int n;
    private final double traceK;
    private final double[] topK;
    private final double traceEmpiricalFisher;
    private final double meanGradientNorm;
    private final boolean gramTrick;

    private GradientCovariance(int n, double traceK, double[] topK, double traceEmpiricalFisher, double meanGradientNorm,
            boolean gramTrick) {
        this.n = n;
        this.traceK = traceK;
        this.topK = topK;
        this.traceEmpiricalFisher = traceEmpiricalFisher;
        this.meanGradientNorm = meanGradientNorm;
        this.gramTrick = gramTrick;
    }

    /** Tr K, Tr F̃ and the topK largest eigenvalues of K (topK = 0 skips the Gram matrix: traces only). */
    public static GradientCovariance of(NetObjective obj, double[] theta, int topK) {
        PerExampleGradients pe = PerExampleGradients.compute(obj, theta, topK > 0);
        return of(pe, topK);
    }

    /** The same from already computed per-example gradients (which must hold the Gram matrix when topK &gt; 0). */
    public static GradientCovariance of(PerExampleGradients pe, int topK) {
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
        double[] top = new double[0];
        if (topK > 0) {
            if (pe.gram() == null) {
                throw new IllegalArgumentException("GradientCovariance: the per-example gradients carry no Gram matrix");
            }
            top = topEigenvalues(centre(pe.gram(), n), n, Math.min(topK, n));
        }
        return new GradientCovariance(n, meanSq - gg, top, meanSq, Math.sqrt(gg), pe.usedGramTrick());
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

    /** The k largest eigenvalues, descending, of a symmetric n×n matrix. */
    static double[] topEigenvalues(double[] matrix, int n, int k) {
        if (n <= DENSE_EIGEN_LIMIT) {
            double[] all = SymmetricEigen.of(matrix, n).values();
            double[] top = new double[k];
            for (int i = 0; i < k; i++) {
                top[i] = all[n - 1 - i];
            }
            return top;
        }
        LinearOperator op = LinearOperator.dense(matrix, n);
        Lanczos.Config cfg = Lanczos.Config.builder().k(k).which(Lanczos.Which.LARGEST_ALGEBRAIC).tolerance(1e-10)
                .maxIterations(Math.min(n, 300)).residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE).build();
        return Lanczos.run(op, cfg).eigenvalues();
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

    /** Whether the dense-layer Gram trick was used (else N separate backward passes). */
    public boolean usedGramTrick() {
        return gramTrick;
    }

    @Override
    public String toString() {
        return "GradientCovariance[N=" + n + ", Tr K=" + traceK + ", λ_K=" + Arrays.toString(topK) + ", Tr F~="
                + traceEmpiricalFisher + "]";
    }
}
