package org.driftlab.objective;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.GradMode;
import org.driftlab.autodiff.Var;
import org.driftlab.data.Dataset;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.tensor.Layout;
import org.driftlab.tensor.Reductions;
import org.driftlab.tensor.Tensor;
import org.driftlab.tensor.Workspace;

/**
 * E(θ) = (1/N) Σ_i ℓ(f(θ, x_i), y_i) of a network on a data set, evaluated in chunks of examples so memory stays
 * bounded for N = 60000. Each chunk's mean loss is weighted by its share of N, so chunking never changes E.
 * Not thread-safe: it keeps its last gradient (one run uses one objective from one thread).
 */
public final class NetObjective implements Objective {
    /** Default number of examples per chunk. */
    public static final int DEFAULT_CHUNK = 8192;

    private final Network network;
    private final Loss loss;
    private final int n;
    private final int numClasses;
    private final List<Chunk> chunks;
    private final Tensor inputs;
    private final int[] labels;
    private final Tensor targets;
    private final int chunkSize;
    private double[] lastTheta;
    private Autodiff.ValueAndGrad lastResult;

    private record Chunk(Var x, Tensor targets, int[] labels, double weight) {}

    /**
     * @param inputs  [N, ...] matching the network's input shape
     * @param labels  class labels (needed for CE and accuracy; may be null for pure regression with MSE)
     * @param targets [N, K] real-valued targets for MSE, or null to use one-hot(labels)
     */
    public NetObjective(Network network, Loss loss, Tensor inputs, int[] labels, Tensor targets, int chunkSize) {
        this(network, loss, inputs, labels, targets, chunkSize, true);
    }

    /**
     * @param keepPacked whether the GEMM may keep packed copies of the inputs: worth it for a data set evaluated
     *                   again and again, not for a mini-batch that lives for one step
     */
    private NetObjective(Network network, Loss loss, Tensor inputs, int[] labels, Tensor targets, int chunkSize,
                         boolean keepPacked) {
        this.network = network;
        this.loss = loss;
        this.n = inputs.dim(0);
        int k = network.outputShape()[0];
        this.numClasses = k;
        if (n == 0) {
            throw new IllegalArgumentException("NetObjective: empty data set");
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("NetObjective: " + labels.length + " labels for " + n + " examples");
        }
        if (targets == null && loss == Loss.MSE) {
            if (labels == null) {
                throw new IllegalArgumentException("NetObjective: MSE needs targets or labels");
            }
            targets = Layout.oneHot(labels, k);
        }
        if (targets != null && (targets.dim(0) != n || targets.size() != (long) n * k)) {
            throw new IllegalArgumentException("NetObjective: targets " + targets.shapeString() + " do not match [" + n + ", " + k + "]");
        }
        if (loss == Loss.CE && labels == null) {
            throw new IllegalArgumentException("NetObjective: cross-entropy needs labels");
        }
        this.inputs = inputs;
        this.labels = labels;
        this.targets = targets;
        this.chunks = new ArrayList<>();
        int size = Math.max(1, chunkSize);
        this.chunkSize = size;
        for (int from = 0; from < n; from += size) {
            int to = Math.min(n, from + size);
            boolean whole = from == 0 && to == n;
            Tensor x = whole ? inputs : Layout.slice(inputs, 0, from, to);
            Tensor t = targets == null ? null : (whole ? targets : Layout.slice(targets, 0, from, to));
            int[] l = labels == null ? null : Arrays.copyOfRange(labels, from, to);
            // The chunk inputs are fixed for the objective's lifetime: let the GEMM keep their packed panels.
            chunks.add(new Chunk(Var.constant(keepPacked ? x.constantData() : x), t, l, (to - from) / (double) n));
        }
    }

    public NetObjective(Network network, Loss loss, Tensor inputs, int[] labels, Tensor targets) {
        this(network, loss, inputs, labels, targets, DEFAULT_CHUNK);
    }

    /** {@link #of(Network, Loss, Dataset, int)} with the default chunk size. */
    public static NetObjective of(Network network, Loss loss, Dataset data) {
        return of(network, loss, data, DEFAULT_CHUNK);
    }

    /**
     * The objective of a network on a data set. This is where inputs meet the network's input shape: when the
     * example shapes differ but hold the same number of values, the inputs are viewed (not copied) in the
     * network's shape, e.g. flat Fashion-MNIST [N, 784] as [N, 1, 28, 28] for a cnn, or images flattened for an
     * fc net. MSE regresses on the data set's explicit targets when it has them, else on one-hot labels.
     */
    public static NetObjective of(Network network, Loss loss, Dataset data, int chunkSize) {
        int[] want = network.inputShape();
        Tensor x = data.inputs();
        int[] have = data.inputShape();
        if (!Arrays.equals(want, have)) {
            long wantSize = Tensor.numel(want);
            if (wantSize != data.inputSize()) {
                throw new DriftlabException("network " + network.spec() + " takes inputs " + Arrays.toString(want)
                        + " but data " + data.name() + " has examples of shape " + Arrays.toString(have));
            }
            int[] shape = new int[want.length + 1];
            shape[0] = data.size();
            System.arraycopy(want, 0, shape, 1, want.length);
            x = x.reshape(shape);
        }
        int k = network.outputShape()[0];
        Tensor targets = data.hasExplicitTargets() ? data.explicitTargets() : null;
        int[] labels = data.hasLabels() ? data.labels() : null;
        if (targets != null && targets.dim(1) != k) {
            throw new DriftlabException("network " + network.spec() + " has " + k + " outputs but data " + data.name()
                    + " has targets of width " + targets.dim(1));
        }
        if (targets == null && labels != null && data.numClasses() > k) {
            throw new DriftlabException("network " + network.spec() + " has " + k + " outputs but data " + data.name()
                    + " has " + data.numClasses() + " classes");
        }
        if (loss == Loss.CE && labels == null) {
            throw new DriftlabException("cross-entropy needs class labels, but data " + data.name() + " has none");
        }
        if (loss == Loss.MSE && targets == null && labels == null) {
            throw new DriftlabException("mse needs targets or labels, but data " + data.name() + " has neither");
        }
        return new NetObjective(network, loss, x, labels, targets, chunkSize);
    }

    /**
     * ℓ_i(θ) for every example i, so that E(θ) is their mean: MSE ½Σ_k(f_k − y_k)², CE logsumexp(f) − f_y.
     * Values only (per-example gradients live with the curvature code).
     */
    public double[] perExampleLosses(double[] theta) {
        Tensor out = outputs(theta);
        int k = out.dim(1);
        double[] o = out.data();
        double[] l = new double[n];
        if (loss == Loss.MSE) {
            double[] t = targets.data();
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    double d = o[i * k + j] - t[i * k + j];
                    s += d * d;
                }
                l[i] = 0.5 * s;
            }
        } else {
            double[] logp = Reductions.logSoftmax(out).data();
            for (int i = 0; i < n; i++) {
                l[i] = -logp[i * k + labels[i]];
            }
        }
        return l;
    }

    public Network network() {
        return network;
    }

    public Loss lossKind() {
        return loss;
    }

    @Override
    public int dim() {
        return network.numParams();
    }

    @Override
    public int numExamples() {
        return n;
    }

    private Var chunkLoss(Var theta, Chunk c) {
        return F.scale(loss.apply(network.forward(theta, c.x), c.targets, c.labels), c.weight);
    }

    @Override
    public Var loss(Var theta) {
        Var total = null;
        for (Chunk c : chunks) {
            Var l = chunkLoss(theta, c);
            total = total == null ? l : F.add(total, l);
        }
        return total;
    }

    @Override
    public double value(double[] theta) {
        checkDim(theta);
        Var t = Var.constant(Tensor.vector(theta));
        return GradMode.noGrad(() -> {
            double s = 0;
            for (Chunk c : chunks) {
                try (Workspace ws = Workspace.open()) {
                    s += chunkLoss(t, c).item();
                }
            }
            return s;
        });
    }

    private Var chunkLoss(Var[] blocks, Chunk c) {
        return F.scale(loss.apply(network.forward(blocks, c.x), c.targets, c.labels), c.weight);
    }

    /**
     * θ as one leaf per parameter block (copies, in {@link Network#layout()} order and shapes). Differentiating
     * with respect to the blocks gives each block's gradient directly, instead of slicing θ in the forward pass
     * and padding every block's cotangent back to a D-vector in the backward pass.
     */
    private Var[] blockLeaves(double[] theta) {
        List<Network.Slice> slices = network.layout();
        Var[] leaves = new Var[slices.size()];
        for (int b = 0; b < leaves.length; b++) {
            Network.Slice s = slices.get(b);
            int size = (int) Tensor.numel(s.shape());
            leaves[b] = Var.param(Tensor.of(Arrays.copyOfRange(theta, s.offset(), s.offset() + size), s.shape()));
        }
        return leaves;
    }

    /** Adds (or, when first, writes) per-block values into the flat D-vector out, in θ order. */
    private static void addBlocks(Var[] parts, double[] out, boolean first) {
        int o = 0;
        for (Var p : parts) {
            double[] d = p.value().data();
            if (first) {
                System.arraycopy(d, 0, out, o, d.length);
            } else {
                for (int i = 0; i < d.length; i++) {
                    out[o + i] += d[i];
                }
            }
            o += d.length;
        }
    }

    /**
     * E(θ) and ∇E(θ). The last result is kept: a run asks twice at the same θ (a probe after step t, then step
     * t+1), and E and ∇E are deterministic functions of θ, so the second answer is a copy, bitwise the same.
     */
    @Override
    public Autodiff.ValueAndGrad valueAndGradient(double[] theta) {
        checkDim(theta);
        Autodiff.ValueAndGrad cached = lastResult;
        if (cached != null && Arrays.equals(theta, lastTheta)) {
            return new Autodiff.ValueAndGrad(cached.value(), cached.gradient().clone());
        }
        Autodiff.ValueAndGrad fresh = computeValueAndGradient(theta);
        // Refill the cache's own arrays rather than cloning: at N = 1000 the two D-vectors are a tenth of what a
        // gradient allocates, and every fresh array is zeroed by the JVM before it is overwritten.
        double[] keptTheta = lastTheta != null && lastTheta.length == theta.length ? lastTheta : new double[theta.length];
        double[] keptGrad = lastResult != null && lastResult.gradient().length == theta.length
                ? lastResult.gradient() : new double[theta.length];
        System.arraycopy(theta, 0, keptTheta, 0, theta.length);
        System.arraycopy(fresh.gradient(), 0, keptGrad, 0, theta.length);
        lastTheta = keptTheta;
        lastResult = new Autodiff.ValueAndGrad(fresh.value(), keptGrad);
        return fresh;
    }

    private Autodiff.ValueAndGrad computeValueAndGradient(double[] theta) {
        double value = 0;
        double[] grad = new double[theta.length];
        Var[] leaves = blockLeaves(theta);
        boolean first = true;
        for (Chunk c : chunks) {
            // The chunk's activations and cotangents are dead once its block gradients are added into grad, so
            // their arrays are recycled for the next chunk and the next call (see Workspace).
            try (Workspace ws = Workspace.open()) {
                Var y = chunkLoss(leaves, c);
                Var[] g = Autodiff.grad(y, leaves, false);
                value += y.item();
                addBlocks(g, grad, first);
            }
            first = false;
        }
        return new Autodiff.ValueAndGrad(value, grad);
    }

    @Override
    public double[] hvp(double[] theta, double[] v) {
        return hessian(theta).apply(v);
    }

    /** Keeps each chunk's forward pass and gradient graph, so a product is one second-order backward pass. */
    @Override
    public LinearOperator hessian(double[] theta) {
        return secondOrder(theta).hessian();
    }

    /**
     * E, ∇E and the Hessian operator from one chunked pass that keeps each chunk's gradient graph. (It leaves the
     * last-result cache alone: a resumed run must compute the same bits whether or not a probe ran at θ first.)
     */
    @Override
    public SecondOrder secondOrder(double[] theta) {
        checkDim(theta);
        Var[] leaves = blockLeaves(theta);
        List<Var[]> grads = new ArrayList<>();
        double value = 0;
        double[] grad = new double[dim()];
        boolean firstChunk = true;
        for (Chunk c : chunks) {
            Var y = chunkLoss(leaves, c);
            Var[] g = Autodiff.grad(y, leaves, true);
            grads.add(g);
            value += y.item();
            addBlocks(g, grad, firstChunk);
            firstChunk = false;
        }
        int d = dim();
        LinearOperator op = LinearOperator.of(d, v -> {
            if (v.length != d) {
                throw new IllegalArgumentException("hvp: vector of length " + v.length + " for θ of length " + d);
            }
            // the blocks of v, as cotangents of the block gradients (the Hessian is symmetric)
            Var[] vb = new Var[leaves.length];
            int o = 0;
            for (int b = 0; b < leaves.length; b++) {
                int size = leaves[b].size();
                vb[b] = Var.constant(Tensor.of(Arrays.copyOfRange(v, o, o + size), leaves[b].shape()));
                o += size;
            }
            double[] out = new double[d];
            boolean first = true;
            for (Var[] g : grads) {
                // the product's intermediates die once added into out; the kept graph was built outside the scope
                try (Workspace ws = Workspace.open()) {
                    addBlocks(Autodiff.vjp(g, vb, leaves, false), out, first);
                }
                first = false;
            }
            return out;
        });
        return new SecondOrder(value, grad, op);
    }

    @Override
    public Objective onBatch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("NetObjective.onBatch: empty batch");
        }
        Tensor x = Layout.gatherRows(inputs, indices);
        int[] l = labels == null ? null : new int[indices.length];
        if (l != null) {
            for (int i = 0; i < indices.length; i++) {
                l[i] = labels[indices[i]];
            }
        }
        Tensor t = targets == null ? null : Layout.gatherRows(targets, indices);
        return new NetObjective(network, loss, x, l, t, chunkSize, false);
    }

    /** Network outputs f(θ, x) for all examples, [N, K]. */
    public Tensor outputs(double[] theta) {
        checkDim(theta);
        Var t = Var.constant(Tensor.vector(theta));
        return GradMode.noGrad(() -> {
            List<Tensor> parts = new ArrayList<>();
            for (Chunk c : chunks) {
                parts.add(network.forward(t, c.x).value());
            }
            return parts.size() == 1 ? parts.get(0) : Layout.concat(0, parts.toArray(new Tensor[0]));
        });
    }

    /** Fraction of examples whose argmax output equals the label (ties: first index). */
    public double accuracy(double[] theta) {
        if (labels == null) {
            return Double.NaN;
        }
        Tensor out = outputs(theta);
        return accuracy(out, labels);
    }

    static double accuracy(Tensor out, int[] labels) {
        int k = out.dim(1);
        double[] o = out.data();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (o[i * k + j] > o[i * k + best]) {
                    best = j;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }

    @Override
    public Map<String, Double> metrics(double[] theta) {
        Map<String, Double> m = new LinkedHashMap<>();
        Tensor out = outputs(theta);
        double l = GradMode.noGrad(() -> {
            Var o = Var.constant(out);
            return loss.apply(o, targets, labels).item();
        });
        m.put("loss", l);
        if (labels != null) {
            m.put("accuracy", accuracy(out, labels));
        }
        return m;
    }

    public int numClasses() {
        return numClasses;
    }

    public Tensor inputs() {
        return inputs;
    }

    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** Targets used by MSE ([N, K]), or null for cross-entropy without explicit targets. */
    public Tensor targets() {
        return targets;
    }
}
