package org.driftlab.objective;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.nn.Dense;
import org.driftlab.nn.Layer;
import org.driftlab.nn.Network;
import org.driftlab.tensor.Ops;
import org.driftlab.tensor.Tensor;

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
 * <p><b>Fallback.</b> When some layer with parameters is not dense (convolutions), g_i is computed by N separate
 * backward passes on one-example batches: N times the cost of a gradient on one example, and N·D doubles of memory
 * when the Gram matrix is wanted.
 */
public final class PerExampleGradients {
    /** Examples per forward/backward pass of the Gram trick (bounds activation memory; does not change results). */
    static final int CHUNK = 8192;

    private final int n;
    private final double[] squaredNorms;
    private final double[] meanGradient;
    private final double[] gram;
    private final boolean gramTrick;

    private PerExampleGradients(int n, double[] squaredNorms, double[] meanGradient, double[] gram, boolean gramTrick) {
        this.n = n;
        this.squaredNorms = squaredNorms;
        this.meanGradient = meanGradient;
        this.gram = gram;
        this.gramTrick = gramTrick;
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
        obj.checkDim(theta);
        return supportsGramTrick(obj.network()) ? gramTrick(obj, theta, withGram) : perExampleLoop(obj, theta, withGram);
    }

    /** The fallback (and the oracle): N separate backward passes, one per example. */
    public static PerExampleGradients perExampleLoop(NetObjective obj, double[] theta, boolean withGram) {
        obj.checkDim(theta);
        int n = obj.numExamples();
        int d = obj.dim();
        double[] norms = new double[n];
        double[] mean = new double[d];
        double[][] all = withGram ? new double[n][] : null;
        for (int i = 0; i < n; i++) {
            double[] g = obj.onBatch(new int[] {i}).gradient(theta);
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += g[k] * g[k];
                mean[k] += g[k] / n;
            }
            norms[i] = s;
            if (withGram) {
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
        return new PerExampleGradients(n, norms, mean, gram, false);
    }

    private static PerExampleGradients gramTrick(NetObjective obj, double[] theta, boolean withGram) {
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
        Var t = Var.param(Tensor.vector(theta.clone()));
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            int m = to - from;
            boolean whole = from == 0 && to == n;
            Var x = Var.constant(whole ? inputs : Ops.slice(inputs, 0, from, to));
            Tensor tc = targets == null ? null : (whole ? targets : Ops.slice(targets, 0, from, to));
            int[] lc = labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to);
            Network.Trace trace = net.forwardTrace(t, x);
            // The mean loss times m is Σ_i ℓ_i, whose cotangent at example i's pre-activation is exactly δ_i.
            Var lossSum = F.scale(obj.lossKind().apply(trace.output(), tc, lc), m);
            Var[] zs = trace.layerOutputs().toArray(new Var[0]);
            Var[] deltas = Autodiff.vjp(new Var[] {lossSum}, new Var[] {Var.constant(Tensor.scalar(1.0))}, zs, false);
            if (layerCount < 0) {
                layerCount = zs.length;
                layerIndex = trace.layerIndices();
                for (int l = 0; l < layerCount; l++) {
                    as.add(new ArrayList<>());
                    ds.add(new ArrayList<>());
                }
            }
            for (int l = 0; l < layerCount; l++) {
                Tensor a = trace.layerInputs().get(l).value();
                Tensor delta = deltas[l].value();
                accumulateLayer(a, delta, from, norms, mean, net.offset(layerIndex.get(l)), n);
                if (withGram) {
                    as.get(l).add(a);
                    ds.get(l).add(delta);
                }
            }
        }
        double[] gram = null;
        if (withGram) {
            gram = new double[n * n];
            for (int l = 0; l < layerCount; l++) {
                addLayerGram(concat(as.get(l)), concat(ds.get(l)), gram, n);
            }
        }
        return new PerExampleGradients(n, norms, mean, gram, true);
    }

    private static Tensor concat(List<Tensor> parts) {
        return parts.size() == 1 ? parts.get(0) : Ops.concat(0, parts.toArray(new Tensor[0]));
    }

    /** Adds one dense layer's (‖a_i‖² + 1)‖δ_i‖² to the norms and (1/N)(Δᵀ A, Σ δ) to ḡ at the layer's offset. */
    private static void accumulateLayer(Tensor a, Tensor delta, int from, double[] norms, double[] mean, int offset, int n) {
        int m = a.dim(0);
        int in = a.dim(1);
        int out = delta.dim(1);
        double[] ad = a.data();
        double[] dd = delta.data();
        for (int i = 0; i < m; i++) {
            double na = 1;
            for (int k = 0; k < in; k++) {
                na += ad[i * in + k] * ad[i * in + k];
            }
            double nd = 0;
            for (int k = 0; k < out; k++) {
                nd += dd[i * out + k] * dd[i * out + k];
            }
            norms[from + i] += na * nd;
        }
        double[] gw = Ops.matmul(delta, true, a, false).data(); // [out, in] = Δᵀ A, PyTorch weight layout
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

    /** gram += (A Aᵀ + 1) ⊙ (Δ Δᵀ), by blocks of rows so the temporaries stay small. */
    private static void addLayerGram(Tensor a, Tensor delta, double[] gram, int n) {
        int block = 512;
        for (int r0 = 0; r0 < n; r0 += block) {
            int r1 = Math.min(n, r0 + block);
            double[] aa = Ops.matmul(Ops.slice(a, 0, r0, r1), false, a, true).data();
            double[] dd = Ops.matmul(Ops.slice(delta, 0, r0, r1), false, delta, true).data();
            int base = r0 * n;
            for (int k = 0; k < aa.length; k++) {
                gram[base + k] += (aa[k] + 1) * dd[k];
            }
        }
    }
}
