package org.driftlab.objective;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.SplittableRandom;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.nn.Dense;
import org.driftlab.nn.Layer;
import org.driftlab.nn.Network;
import org.driftlab.tensor.Layout;
import org.driftlab.tensor.MatMul;
import org.driftlab.tensor.Tensor;
import org.driftlab.tensor.Workspace;
import org.driftlab.linalg.Orthonormal;

/**
 * Per-example gradients g_i = ∇ℓ(θ; x_i, y_i) of a {@link NetObjective} (E = (1/N)Σ_i ℓ_i, so ḡ = ∇E), summarised
 * without materialising them: the squared norms ‖g_i‖², the mean ḡ, and optionally the N×N Gram matrix g_i·g_j.
 *
 * <p><b>Gram trick (dense layers).</b> A dense layer z = a·Wᵀ + b contributes δ_i a_iᵀ and δ_i to g_i, where a_i is
 * the layer input and δ_i = ∂ℓ_i/∂z_i. One forward pass exposes the a_i ({@link Network#forwardTrace}) and one
 * backward pass of Σ_i ℓ_i with respect to the pre-activations gives every δ_i (no layer mixes examples). Then
 * g_i·g_j = Σ_layers (a_i·a_j + 1)(δ_i·δ_j) and ‖g_i‖² = Σ_layers (‖a_i‖² + 1)‖δ_i‖²; the +1 is the bias.
 * Cost: one forward pass, one backward pass to the pre-activations (one GEMM per layer), one GEMM per layer for ḡ —
 * about one full-batch gradient — plus, for the Gram matrix, N²·Σ_layers(in + out) multiply-adds and 8N² bytes.
 *
 * <p><b>Implicit Gram products.</b> With {@link Detail#FACTORS} the per-layer inputs A_l [N, in] and deltas Δ_l [N, out]
 * are kept instead, and {@link #centredGram()} applies (1/N)·C G C (C = I − 11ᵀ/N, whose nonzero spectrum is K's)
 * without forming G: G s = Σ_l rowsum((A_l P_lᵀ) ∘ Δ_l) + Δ_l(Δ_lᵀ s) with P_l = Δ_lᵀ diag(s) A_l. Two GEMMs of the
 * weight-gradient shape per layer, 2·N·Σ_l in·out multiply-adds per product, and N·Σ_l(in + out) doubles of memory.
 *
 * <p><b>Fallback.</b> When some layer with parameters is not dense (convolutions), g_i is computed by N separate
 * backward passes on one-example batches: N times the cost of a gradient on one example, and N·D doubles of memory
 * when the Gram matrix is wanted.
 */
public final class PerExampleGradients {
    /** Examples per forward/backward pass of the Gram trick (bounds activation memory; does not change results). */
    static final int CHUNK = 8192;

    /** What {@link #compute(NetObjective, double[], Detail)} keeps besides the norms and the mean gradient. */
    public enum Detail {
        /** ‖g_i‖² and ḡ only (Tr K, Tr F̃): about one gradient. */
        NORMS,
        /** Also what {@link #centredGram()} needs to multiply by the Gram matrix without forming it. */
        FACTORS,
        /** Also the dense N×N Gram matrix (N²·Σ_l(in + out) multiply-adds, 8N² bytes). */
        GRAM
    }

    private final int n;
    private final double[] squaredNorms;
    private final double[] meanGradient;
    private final double[] gram;
    private final boolean gramTrick;
    /** Per dense layer, A_l [N, in] and Δ_l [N, out] (FACTORS with the Gram trick), else null. */
    private final List<Tensor> inputs;
    private final List<Tensor> deltas;
    /** The per-example gradients themselves (FACTORS in the fallback), else null. */
    private final double[][] gradients;

    /**
     * Sketch projections X V of data matrices (the first layer's A = X, θ-independent), by the identity of X's backing
     * array, so that tracking λ_K along training projects the data once. Weak keys: a dropped data set frees its entry.
     * Relies on the convention that a tensor others hold is never written into.
     */
    private static final Map<double[], Map<Long, Tensor>> DATA_PROJECTIONS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** Number of data matrices with a kept sketch projection (for tests). */
    static int dataProjectionCount() {
        return DATA_PROJECTIONS.size();
    }

    /** The objective's data array (X), to recognise a layer whose input is the raw data; null if unknown. */
    private final double[] dataInputs;

    private PerExampleGradients(int n, double[] squaredNorms, double[] meanGradient, double[] gram, boolean gramTrick,
            List<Tensor> inputs, List<Tensor> deltas, double[][] gradients, double[] dataInputs) {
        this.dataInputs = dataInputs;
        this.n = n;
        this.squaredNorms = squaredNorms;
        this.meanGradient = meanGradient;
        this.gram = gram;
        this.gramTrick = gramTrick;
        this.inputs = inputs;
        this.deltas = deltas;
        this.gradients = gradients;
    }

    /** Number of examples N. */
    public int size() {
        return n;
    }

    /** ‖g_i‖² for every example (a copy). */
    public double[] squaredNorms() {
        return squaredNorms.clone();
    }

    /** ḡ = (1/N)Σ g_i = ∇E(θ) (a copy). */
    public double[] meanGradient() {
        return meanGradient.clone();
    }

    /** The uncentred Gram matrix g_i·g_j, row-major N×N, or null when it was not requested. Not copied (large). */
    public double[] gram() {
        return gram;
    }

    /** True when the dense-layer Gram trick was used, false for the N-backward-pass fallback. */
    public boolean usedGramTrick() {
        return gramTrick;
    }

    /** Whether every layer with parameters of the network is dense, so the Gram trick applies. */
    public static boolean supportsGramTrick(Network network) {
        for (Layer l : network.layers()) {
            if (!l.params().isEmpty() && !(l instanceof Dense)) {
                return false;
            }
        }
        return true;
    }

    /** Per-example gradients of obj at θ; the N×N Gram matrix only when withGram. */
    public static PerExampleGradients compute(NetObjective obj, double[] theta, boolean withGram) {
        return compute(obj, theta, withGram ? Detail.GRAM : Detail.NORMS);
    }

    /** Per-example gradients of obj at θ, keeping what {@code detail} asks for. */
    public static PerExampleGradients compute(NetObjective obj, double[] theta, Detail detail) {
        obj.checkDim(theta);
        return supportsGramTrick(obj.network()) ? gramTrick(obj, theta, detail) : perExampleLoop(obj, theta, detail);
    }

    /** The fallback (and the oracle): N separate backward passes, one per example. */
    public static PerExampleGradients perExampleLoop(NetObjective obj, double[] theta, boolean withGram) {
        return perExampleLoop(obj, theta, withGram ? Detail.GRAM : Detail.NORMS);
    }

    /** The fallback with a {@link Detail}: FACTORS keeps the N gradients (N·D doubles). */
    public static PerExampleGradients perExampleLoop(NetObjective obj, double[] theta, Detail detail) {
        obj.checkDim(theta);
        boolean withGram = detail == Detail.GRAM;
        boolean keep = detail != Detail.NORMS;
        int n = obj.numExamples();
        int d = obj.dim();
        double[] norms = new double[n];
        double[] mean = new double[d];
        double[][] all = keep ? new double[n][] : null;
        for (int i = 0; i < n; i++) {
            double[] g = obj.onBatch(new int[] {i}).gradient(theta);
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += g[k] * g[k];
                mean[k] += g[k] / n;
            }
            norms[i] = s;
            if (keep) {
                all[i] = g;
            }
        }
        double[] gram = null;
        if (withGram) {
            gram = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += all[i][k] * all[j][k];
                    }
                    gram[i * n + j] = s;
                    gram[j * n + i] = s;
                }
            }
        }
        return new PerExampleGradients(n, norms, mean, gram, false, null, null, detail == Detail.FACTORS ? all : null, null);
    }

    private static PerExampleGradients gramTrick(NetObjective obj, double[] theta, Detail detail) {
        boolean keep = detail != Detail.NORMS;
        Network net = obj.network();
        Tensor inputs = obj.inputs();
        Tensor targets = obj.targets();
        int[] labels = obj.labels();
        int n = obj.numExamples();
        double[] norms = new double[n];
        double[] mean = new double[obj.dim()];
        int layerCount = -1;
        List<List<Tensor>> as = new ArrayList<>();
        List<List<Tensor>> ds = new ArrayList<>();
        List<Integer> layerIndex = null;
        boolean[] rawData = null;
        Var t = Var.param(Tensor.vector(theta.clone()));
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            int m = to - from;
            boolean whole = from == 0 && to == n;
            Var x = Var.constant(whole ? inputs : Layout.slice(inputs, 0, from, to));
            Tensor tc = targets == null ? null : (whole ? targets : Layout.slice(targets, 0, from, to));
            int[] lc = labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to);
            // The chunk's forward and backward arrays are recycled for the next chunk, except the layer inputs
            // and deltas kept as Gram factors.
            try (Workspace ws = Workspace.open()) {
                Network.Trace trace = net.forwardTrace(t, x);
                // The mean loss times m is Σ_i ℓ_i, whose cotangent at example i's pre-activation is exactly δ_i.
                Var lossSum = F.scale(obj.lossKind().apply(trace.output(), tc, lc), m);
                Var[] zs = trace.layerOutputs().toArray(new Var[0]);
                Var[] deltas = Autodiff.vjp(new Var[] {lossSum}, new Var[] {Var.constant(Tensor.scalar(1.0))}, zs, false);
                boolean firstChunk = layerCount < 0;
                if (firstChunk) {
                    layerCount = zs.length;
                    layerIndex = trace.layerIndices();
                    rawData = new boolean[layerCount];
                    for (int l = 0; l < layerCount; l++) {
                        as.add(new ArrayList<>());
                        ds.add(new ArrayList<>());
                    }
                }
                for (int l = 0; l < layerCount; l++) {
                    Tensor a = trace.layerInputs().get(l).value();
                    Tensor delta = deltas[l].value();
                    accumulateLayer(a, delta, from, norms, mean, net.offset(layerIndex.get(l)), n);
                    // a layer fed the data itself keeps the objective's input tensor, not a copy assembled from
                    // chunk slices: no second copy of X, and the data-projection cache recognises it
                    boolean raw = a.data() == x.value().data() && inputs.rank() == 2 && a.rank() == 2;
                    if (firstChunk) {
                        rawData[l] = raw;
                    } else if (rawData[l] != raw) {
                        throw new IllegalStateException("layer " + l + " reads the data in one chunk but not another");
                    }
                    if (keep) {
                        if (!raw) {
                            as.get(l).add(a);
                            Workspace.retain(a.data());
                        }
                        ds.get(l).add(delta);
                        Workspace.retain(delta.data());
                    }
                }
            }
        }
        double[] gram = null;
        List<Tensor> layerInputs = null;
        List<Tensor> layerDeltas = null;
        if (keep) {
            layerInputs = new ArrayList<>();
            layerDeltas = new ArrayList<>();
            for (int l = 0; l < layerCount; l++) {
                layerInputs.add(rawData[l] ? inputs : concat(as.get(l)));
                layerDeltas.add(concat(ds.get(l)));
            }
        }
        if (detail == Detail.GRAM) {
            gram = new double[n * n];
            for (int l = 0; l < layerCount; l++) {
                addLayerGram(layerInputs.get(l), layerDeltas.get(l), gram, n);
            }
            layerInputs = null;
            layerDeltas = null;
        }
        return new PerExampleGradients(n, norms, mean, gram, true, layerInputs, layerDeltas, null, inputs.data());
    }

    /** Whether {@link #centredGram()} is available (computed with {@link Detail#FACTORS} or {@link Detail#GRAM}). */
    public boolean hasGramProducts() {
        return gram != null || inputs != null || gradients != null;
    }

    /**
     * The symmetric N×N operator s ↦ (1/N)·C G C s, C = I − 11ᵀ/N: the Gram matrix of the centred per-example
     * gradients divided by N, whose nonzero eigenvalues are those of K = (1/N)Σ(g_i − ḡ)(g_i − ḡ)ᵀ. Implicit (two
     * GEMMs per layer per product) after {@link Detail#FACTORS}; a dense product after {@link Detail#GRAM}.
     *
     * @throws IllegalStateException when the per-example gradients were computed with {@link Detail#NORMS}
     */
    public LinearOperator centredGram() {
        if (!hasGramProducts()) {
            throw new IllegalStateException("PerExampleGradients: computed without Gram factors (Detail.NORMS)");
        }
        LinearOperator dense = gram != null ? LinearOperator.dense(gram, n) : null;
        return LinearOperator.of(n, s -> {
            double[] c = centred(s);
            double[] u = dense != null ? dense.apply(c) : inputs != null ? implicitProduct(c) : loopProduct(c);
            double[] r = centred(u);
            for (int i = 0; i < n; i++) {
                r[i] /= n;
            }
            return r;
        });
    }

    private static double[] centred(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double[] c = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            c[i] = v[i] - mean;
        }
        return c;
    }

    private double[] loopProduct(double[] s) {
        int d = gradients[0].length;
        double[] w = new double[d];
        for (int j = 0; j < n; j++) {
            double sj = s[j];
            double[] g = gradients[j];
            for (int k = 0; k < d; k++) {
                w[k] += sj * g[k];
            }
        }
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            double acc = 0;
            double[] g = gradients[i];
            for (int k = 0; k < d; k++) {
                acc += g[k] * w[k];
            }
            u[i] = acc;
        }
        return u;
    }

    /** G s for the kept factors (see {@link #gramProduct}). */
    private double[] implicitProduct(double[] s) {
        return gramProduct(inputs, deltas, s, n);
    }

    /**
     * G s = Σ_l rowsum((A_l P_lᵀ) ∘ Δ_l) + Δ_l (Δ_lᵀ s) with P_l = Δ_lᵀ diag(s) A_l: the weight part (two GEMMs,
     * 2·N·in·out multiply-adds) and the bias part of each dense layer.
     */
    private static double[] gramProduct(List<Tensor> as, List<Tensor> ds, double[] s, int n) {
        double[] u = new double[n];
        for (int l = 0; l < as.size(); l++) {
            // this layer's N×out intermediates are dead once added into u: recycle them for the next layer and product
            try (Workspace ws = Workspace.open()) {
                Tensor a = as.get(l);
                Tensor delta = ds.get(l);
                int out = delta.dim(1);
                double[] dd = delta.data();
                double[] scaled = Workspace.array(dd.length); // written in full below
                double[] biasPart = new double[out]; // Δᵀ s
                for (int i = 0; i < n; i++) {
                    double si = s[i];
                    int row = i * out;
                    for (int k = 0; k < out; k++) {
                        double v = si * dd[row + k];
                        scaled[row + k] = v;
                        biasPart[k] += v;
                    }
                }
                Tensor p = MatMul.matmul(Tensor.of(scaled, n, out), true, a, false); // [out, in]
                double[] z = MatMul.matmul(a, false, p, true).data(); // [N, out] = A Pᵀ
                for (int i = 0; i < n; i++) {
                    int row = i * out;
                    double acc = 0;
                    for (int k = 0; k < out; k++) {
                        acc += (z[row + k] + biasPart[k]) * dd[row + k];
                    }
                    u[i] += acc;
                }
            }
        }
        return u;
    }

    /** Whether the per-layer factors A_l, Δ_l are kept ({@link Detail#FACTORS} with the Gram trick), so
     * {@link #centredGramSketch} is available. */
    public boolean hasFactors() {
        return inputs != null;
    }

    /**
     * A cheap lower model Ĝ of {@link #centredGram()}: the same operator for the per-example gradients projected,
     * layer by layer, onto a data-adapted subspace of parameter space. Each layer's inputs are replaced by
     * Â_l = A_l V_l and its deltas by Δ̂_l = Δ_l U_l, where V_l [in, r] and U_l [out, r] are orthonormal bases of
     * (approximately) the top-r right singular subspaces of A_l and Δ_l (randomised range finder with one power
     * iteration, seeded); a side with at most r columns is kept exact. Equivalently ĝ_i = P g_i with the orthogonal
     * projector P = (U Uᵀ ⊗ V Vᵀ) on each weight and U Uᵀ on each bias, so Ĝ = Gram(P g_i) ⪯ G in the Loewner
     * order and every Ritz value of Ĝ is a lower bound of the corresponding eigenvalue of K (Cauchy interlacing).
     * Its top eigenvectors are good start vectors for Lanczos on the exact operator.
     *
     * <p>Cost: building it 3·N·r·Σ_l(in + out) multiply-adds (for fc 784-200-200-10 and r = 16, about a fifth of
     * one exact product), of which the first layer's data part X V is computed once per data set and kept (it does
     * not depend on θ); each product 2·N·r²·(layers) multiply-adds, 0.3% of an exact product (≈ 5% in time: short loops).
     *
     * @throws IllegalStateException without {@link #hasFactors()}
     */
    public LinearOperator centredGramSketch(int rank, long seed) {
        if (!hasFactors()) {
            throw new IllegalStateException("PerExampleGradients: the Gram sketch needs the per-layer factors (Detail.FACTORS"
                    + " on a network whose layers with parameters are all dense)");
        }
        if (rank < 1) {
            throw new IllegalArgumentException("centredGramSketch: rank must be >= 1, got " + rank);
        }
        List<Tensor> as = new ArrayList<>();
        List<Tensor> ds = new ArrayList<>();
        for (int l = 0; l < inputs.size(); l++) {
            Tensor a = inputs.get(l);
            long layerSeed = seed + 2L * l;
            if (a.data() == dataInputs) {
                // A = X: the same projection at every θ; key by (rank, seed).
                long key = layerSeed * 1_000_003L + rank;
                Map<Long, Tensor> byKey = DATA_PROJECTIONS.computeIfAbsent(a.data(), k -> Collections.synchronizedMap(new HashMap<>()));
                as.add(byKey.computeIfAbsent(key, k -> project(a, rank, layerSeed)));
            } else {
                as.add(project(a, rank, layerSeed));
            }
            ds.add(project(deltas.get(l), rank, seed + 2L * l + 1));
        }
        return LinearOperator.of(n, s -> {
            double[] r = centred(narrowGramProduct(as, ds, centred(s), n));
            for (int i = 0; i < n; i++) {
                r[i] /= n;
            }
            return r;
        });
    }

    /**
     * {@link #gramProduct} for narrow factors (the sketch's r columns), in plain loops over the examples: with
     * r×r blocks a GEMM call costs more in packing and thread hand-offs than its 2·N·r² multiply-adds. Four examples
     * share each pass over the r×r block (a quarter of the loads and stores). One thread: a few milliseconds of work,
     * where handing blocks to a second thread measured slower on a busy machine.
     */
    private static double[] narrowGramProduct(List<Tensor> as, List<Tensor> ds, double[] s, int n) {
        double[] u = new double[n];
        for (int l = 0; l < as.size(); l++) {
            double[] a = as.get(l).data();
            double[] d = ds.get(l).data();
            int in = as.get(l).dim(1);
            int out = ds.get(l).dim(1);
            int size = out * in + out; // Σ_i s_i δ_i a_iᵀ, then Σ_i s_i δ_i
            double[] p = new double[size];
            accumulateOuter(a, d, s, p, 0, n, in, out);
            // z_i = P a_i + b as Σ_k a_ik Pᵀ[k, ·]: independent accumulators over c, unlike a dot product per c,
            // whose serial dependency chain the JIT cannot vectorise.
            double[] pt = new double[in * out];
            for (int c = 0; c < out; c++) {
                for (int k = 0; k < in; k++) {
                    pt[k * out + c] = p[c * in + k];
                }
            }
            applyOuter(a, d, pt, p, out * in, u, 0, n, in, out);
        }
        return u;
    }

    /** p[c·in + k] += Σ_i s_i d_ic a_ik and p[out·in + c] += Σ_i s_i d_ic over examples [from, to), four at a time. */
    private static void accumulateOuter(double[] a, double[] d, double[] s, double[] p, int from, int to, int in, int out) {
        int bias = out * in;
        int i = from;
        for (; i + 3 < to; i += 4) {
            int a0 = i * in;
            int d0 = i * out;
            for (int c = 0; c < out; c++) {
                double s0 = s[i] * d[d0 + c];
                double s1 = s[i + 1] * d[d0 + out + c];
                double s2 = s[i + 2] * d[d0 + 2 * out + c];
                double s3 = s[i + 3] * d[d0 + 3 * out + c];
                p[bias + c] += (s0 + s1) + (s2 + s3);
                int pc = c * in;
                for (int k = 0; k < in; k++) {
                    p[pc + k] += s0 * a[a0 + k] + s1 * a[a0 + in + k] + s2 * a[a0 + 2 * in + k] + s3 * a[a0 + 3 * in + k];
                }
            }
        }
        for (; i < to; i++) {
            int ai = i * in;
            int di = i * out;
            for (int c = 0; c < out; c++) {
                double sd = s[i] * d[di + c];
                p[bias + c] += sd;
                int pc = c * in;
                for (int k = 0; k < in; k++) {
                    p[pc + k] += sd * a[ai + k];
                }
            }
        }
    }

    /** u_i += δ_i·(P a_i + b) for examples [from, to), with Pᵀ = pt [in, out] and b = p[bias ..], four at a time. */
    private static void applyOuter(double[] a, double[] d, double[] pt, double[] p, int bias, double[] u, int from, int to,
            int in, int out) {
        double[] z0 = new double[out];
        double[] z1 = new double[out];
        double[] z2 = new double[out];
        double[] z3 = new double[out];
        int i = from;
        for (; i + 3 < to; i += 4) {
            int a0 = i * in;
            System.arraycopy(p, bias, z0, 0, out);
            System.arraycopy(p, bias, z1, 0, out);
            System.arraycopy(p, bias, z2, 0, out);
            System.arraycopy(p, bias, z3, 0, out);
            for (int k = 0; k < in; k++) {
                double x0 = a[a0 + k];
                double x1 = a[a0 + in + k];
                double x2 = a[a0 + 2 * in + k];
                double x3 = a[a0 + 3 * in + k];
                int row = k * out;
                for (int c = 0; c < out; c++) {
                    double q = pt[row + c];
                    z0[c] += x0 * q;
                    z1[c] += x1 * q;
                    z2[c] += x2 * q;
                    z3[c] += x3 * q;
                }
            }
            int d0 = i * out;
            double c0 = 0;
            double c1 = 0;
            double c2 = 0;
            double c3 = 0;
            for (int c = 0; c < out; c++) {
                c0 += z0[c] * d[d0 + c];
                c1 += z1[c] * d[d0 + out + c];
                c2 += z2[c] * d[d0 + 2 * out + c];
                c3 += z3[c] * d[d0 + 3 * out + c];
            }
            u[i] += c0;
            u[i + 1] += c1;
            u[i + 2] += c2;
            u[i + 3] += c3;
        }
        for (; i < to; i++) {
            int ai = i * in;
            System.arraycopy(p, bias, z0, 0, out);
            for (int k = 0; k < in; k++) {
                double x = a[ai + k];
                int row = k * out;
                for (int c = 0; c < out; c++) {
                    z0[c] += x * pt[row + c];
                }
            }
            double acc = 0;
            for (int c = 0; c < out; c++) {
                acc += z0[c] * d[i * out + c];
            }
            u[i] += acc;
        }
    }

    /** M V with V an orthonormal basis of M's approximate top-r right singular subspace; M itself when r ≥ cols. */
    static Tensor project(Tensor m, int rank, long seed) {
        int cols = m.dim(1);
        if (rank >= cols) {
            return m;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] omega = new double[cols * rank];
        for (int i = 0; i < omega.length; i++) {
            omega[i] = rng.nextGaussian();
        }
        Tensor y = MatMul.matmul(m, false, Tensor.of(omega, cols, rank), false); // [N, r]: range of M
        double[] z = MatMul.matmul(m, true, y, false).data(); // [cols, r] = MᵀM Ω: one power iteration
        Orthonormal.columns(z, cols, rank);
        return MatMul.matmul(m, false, Tensor.of(z, cols, rank), false);
    }

    private static Tensor concat(List<Tensor> parts) {
        return parts.size() == 1 ? parts.get(0) : Layout.concat(0, parts.toArray(new Tensor[0]));
    }

    /** Adds one dense layer's (‖a_i‖² + 1)‖δ_i‖² to the norms and (1/N)(Δᵀ A, Σ δ) to ḡ at the layer's offset. */
    private static void accumulateLayer(Tensor a, Tensor delta, int from, double[] norms, double[] mean, int offset, int n) {
        int m = a.dim(0);
        int in = a.dim(1);
        int out = delta.dim(1);
        double[] ad = a.data();
        double[] dd = delta.data();
        for (int i = 0; i < m; i++) {
            norms[from + i] += (1 + sumOfSquares(ad, i * in, in)) * sumOfSquares(dd, i * out, out);
        }
        double[] gw = MatMul.matmul(delta, true, a, false).data(); // [out, in] = Δᵀ A, PyTorch weight layout
        for (int k = 0; k < gw.length; k++) {
            mean[offset + k] += gw[k] / n;
        }
        int bias = offset + out * in;
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < out; k++) {
                mean[bias + k] += dd[i * out + k] / n;
            }
        }
    }

    /** Σ x_k² over x[from, from + len), with four partial sums: one serial chain of adds would bound the speed. */
    private static double sumOfSquares(double[] x, int from, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = from;
        int end = from + len;
        for (; k + 3 < end; k += 4) {
            s0 += x[k] * x[k];
            s1 += x[k + 1] * x[k + 1];
            s2 += x[k + 2] * x[k + 2];
            s3 += x[k + 3] * x[k + 3];
        }
        for (; k < end; k++) {
            s0 += x[k] * x[k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** gram += (A Aᵀ + 1) ⊙ (Δ Δᵀ), by blocks of rows so the temporaries stay small. */
    private static void addLayerGram(Tensor a, Tensor delta, double[] gram, int n) {
        int block = 512;
        for (int r0 = 0; r0 < n; r0 += block) {
            int r1 = Math.min(n, r0 + block);
            double[] aa = MatMul.matmul(Layout.slice(a, 0, r0, r1), false, a, true).data();
            double[] dd = MatMul.matmul(Layout.slice(delta, 0, r0, r1), false, delta, true).data();
            int base = r0 * n;
            for (int k = 0; k < aa.length; k++) {
                gram[base + k] += (aa[k] + 1) * dd[k];
            }
        }
    }
}
