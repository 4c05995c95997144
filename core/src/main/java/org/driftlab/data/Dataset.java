package org.driftlab.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.driftlab.tensor.Tensor;

/**
 * An immutable supervised data set: inputs {@code [N, ...]}, optional integer labels in {@code 0..numClasses-1},
 * and optional explicit float targets {@code [N, K]} for regression or teacher-student problems. When there are no
 * explicit targets, {@link #targets()} is the one-hot matrix of the labels, which is what an MSE loss regresses on.
 *
 * <p>The input and target tensors are not copied on construction; like all tensors they are treated as values that
 * nobody modifies. Label arrays are copied in and out.
 */
public final class Dataset {
    private final String name;
    private final Tensor inputs;
    private final int[] labels;
    private final int numClasses;
    private final Tensor explicitTargets;
    private final String origin;
    private volatile Tensor oneHot;

    /**
     * @param name       a short description used in logs and provenance, e.g. {@code fashion-mnist:train:5000}
     * @param inputs     rank &ge; 1, first axis = examples
     * @param labels     one per example, in {@code 0..numClasses-1}, or null
     * @param numClasses number of classes (0 when there are no labels)
     * @param targets    explicit targets {@code [N, K]} or null
     */
    public Dataset(String name, Tensor inputs, int[] labels, int numClasses, Tensor targets) {
        this(name, inputs, labels, numClasses, targets, null);
    }

    private Dataset(String name, Tensor inputs, int[] labels, int numClasses, Tensor targets, String origin) {
        if (inputs.rank() < 1) {
            throw new IllegalArgumentException("Dataset inputs need a leading example axis, got a scalar");
        }
        int n = inputs.dim(0);
        if (labels != null) {
            if (labels.length != n) {
                throw new IllegalArgumentException("Dataset " + name + ": " + labels.length + " labels for " + n
                        + " examples");
            }
            for (int i = 0; i < n; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException("Dataset " + name + ": label " + labels[i] + " of example " + i
                            + " is outside 0.." + (numClasses - 1));
                }
            }
        } else if (numClasses < 0) {
            throw new IllegalArgumentException("negative numClasses " + numClasses);
        }
        if (targets != null && (targets.rank() != 2 || targets.dim(0) != n)) {
            throw new IllegalArgumentException("Dataset " + name + ": targets must have shape [" + n + ", K], got "
                    + targets.shapeString());
        }
        this.name = name == null ? "dataset" : name;
        this.inputs = inputs;
        this.labels = labels == null ? null : labels.clone();
        this.numClasses = numClasses;
        this.explicitTargets = targets;
        this.origin = origin;
    }

    /** A classification set: one-hot targets are implied by the labels. */
    public static Dataset classification(String name, Tensor inputs, int[] labels, int numClasses) {
        return new Dataset(name, inputs, labels, numClasses, null);
    }

    /** A pure regression set: no labels, explicit targets {@code [N, K]}. */
    public static Dataset regression(String name, Tensor inputs, Tensor targets) {
        return new Dataset(name, inputs, null, 0, targets);
    }

    /** The short name given at construction, e.g. {@code fashion-mnist:train:5000}. */
    public String name() {
        return name;
    }

    /**
     * Where the examples came from when the name does not say it, e.g. whether Fashion-MNIST was read from the
     * installed full set or from the subset embedded in the jar; null otherwise. The with* methods keep it; subsets
     * and transforms do not carry it over ({@link DataSources#parse} sets it on the finished set).
     */
    public String origin() {
        return origin;
    }

    /** The same data under another name (the origin is kept). */
    public Dataset withName(String newName) {
        return new Dataset(newName, inputs, labels, numClasses, explicitTargets, origin);
    }

    /** The same data with the given {@link #origin()} (null for none). */
    public Dataset withOrigin(String newOrigin) {
        return new Dataset(name, inputs, labels, numClasses, explicitTargets, newOrigin);
    }

    /** Number of examples N. */
    public int size() {
        return inputs.dim(0);
    }

    /** Shape of one example, e.g. {@code [784]} or {@code [1, 28, 28]}. */
    public int[] inputShape() {
        int[] s = inputs.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** Number of input features per example (product of {@link #inputShape()}). */
    public int inputSize() {
        return size() == 0 ? (int) Tensor.numel(inputShape()) : inputs.size() / size();
    }

    /** The inputs {@code [N, ...]}; do not modify. */
    public Tensor inputs() {
        return inputs;
    }

    /** True for a classification set (integer labels), false for a pure regression set. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** A copy of the labels, or null for a pure regression set. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** Label of example i. */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("Dataset " + name + " has no labels");
        }
        return labels[i];
    }

    /** K, the number of classes (labels lie in 0..K−1); 0 without labels. */
    public int numClasses() {
        return numClasses;
    }

    /** True when the targets were given explicitly rather than implied as one-hot labels. */
    public boolean hasExplicitTargets() {
        return explicitTargets != null;
    }

    /** The explicit targets, or null when the targets are the one-hot labels. */
    public Tensor explicitTargets() {
        return explicitTargets;
    }

    /** Width K of the targets: explicit target columns, else the number of classes. */
    public int outputSize() {
        return explicitTargets != null ? explicitTargets.dim(1) : numClasses;
    }

    /**
     * The regression targets {@code [N, K]}: the explicit targets when present, else one-hot of the labels (1 for
     * the true class, 0 elsewhere). Throws if there are neither.
     */
    public Tensor targets() {
        if (explicitTargets != null) {
            return explicitTargets;
        }
        if (labels == null) {
            throw new IllegalStateException("Dataset " + name + " has neither labels nor targets");
        }
        Tensor t = oneHot;
        if (t == null) {
            int n = size();
            double[] d = new double[n * numClasses];
            for (int i = 0; i < n; i++) {
                d[i * numClasses + labels[i]] = 1.0;
            }
            t = Tensor.of(d, n, numClasses);
            oneHot = t;
        }
        return t;
    }

    /** Number of examples per class (length numClasses). */
    public int[] classCounts() {
        int[] c = new int[numClasses];
        if (labels != null) {
            for (int y : labels) {
                c[y]++;
            }
        }
        return c;
    }

    /** A copy holding the examples at indices, in that order (repeats allowed); the name records the subset. */
    public Dataset subset(int[] indices) {
        return batch(indices).withName(name + "[subset " + indices.length + "]");
    }

    /** The first n examples (n is clamped to size()). */
    public Dataset first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("first(" + n + ")");
        }
        int m = Math.min(n, size());
        if (m == size()) {
            return this;
        }
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        return batch(idx).withName(name + "[first " + m + "]");
    }

    /** A mini-batch: a copy of the examples at indices, keeping this set's name. */
    public Dataset batch(int[] indices) {
        int n = size();
        Tensor x = gatherRows(inputs, indices, n, name);
        Tensor t = explicitTargets == null ? null : gatherRows(explicitTargets, indices, n, name);
        int[] y = null;
        if (labels != null) {
            y = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                y[i] = labels[indices[i]];
            }
        }
        return new Dataset(name, x, y, numClasses, t);
    }

    private static Tensor gatherRows(Tensor t, int[] indices, int n, String name) {
        int row = n == 0 ? 0 : t.size() / n;
        double[] src = t.data();
        double[] dst = new double[indices.length * row];
        for (int i = 0; i < indices.length; i++) {
            int k = indices[i];
            if (k < 0 || k >= n) {
                throw new IndexOutOfBoundsException("Dataset " + name + ": index " + k + " outside 0.." + (n - 1));
            }
            System.arraycopy(src, k * row, dst, i * row, row);
        }
        int[] shape = t.shape();
        shape[0] = indices.length;
        return Tensor.of(dst, shape);
    }

    /** Inputs viewed as {@code [N, features]} (no copy). */
    public Dataset flatten() {
        return inputs.rank() == 2 ? this : withInputs(inputs.reshape(size(), inputSize()));
    }

    /** Inputs viewed with another per-example shape, e.g. {@code reshapeInputs(1, 28, 28)} (no copy). */
    public Dataset reshapeInputs(int... exampleShape) {
        int[] s = new int[exampleShape.length + 1];
        s[0] = size();
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return withInputs(inputs.reshape(s));
    }

    /** The same labels and targets with other inputs having the same number of examples. */
    public Dataset withInputs(Tensor newInputs) {
        if (newInputs.rank() < 1 || newInputs.dim(0) != size()) {
            throw new IllegalArgumentException("withInputs: need " + size() + " examples, got shape "
                    + newInputs.shapeString());
        }
        return new Dataset(name, newInputs, labels, numClasses, explicitTargets, origin);
    }

    /** The same inputs with new labels and one-hot targets (explicit targets dropped). */
    public Dataset withLabels(int[] newLabels, int newNumClasses) {
        return new Dataset(name, inputs, newLabels, newNumClasses, null, origin);
    }

    /** The same inputs and labels with explicit targets (null to fall back to one-hot). */
    public Dataset withTargets(Tensor targets) {
        return new Dataset(name, inputs, labels, numClasses, targets, origin);
    }

    /**
     * SHA-256 (lower-case hex) of the content, for provenance records. The digest covers, in order: the tag
     * {@code driftlab-dataset-v1}, the input shape, the input values as little-endian IEEE doubles, the number of
     * classes, the labels (or a marker for none) and the explicit targets' shape and values (or a marker for none).
     * The name is not included, so the same data read by different routes has the same checksum.
     */
    public String checksum() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        md.update("driftlab-dataset-v1".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        putShape(md, buf, inputs.shape());
        putDoubles(md, buf, inputs.data());
        if (buf.remaining() < 16) {
            flush(md, buf);
        }
        buf.putInt(numClasses);
        if (labels == null) {
            buf.put((byte) 0);
        } else {
            buf.put((byte) 1).putInt(labels.length);
            for (int y : labels) {
                if (buf.remaining() < 4) {
                    flush(md, buf);
                }
                buf.putInt(y);
            }
        }
        if (explicitTargets == null) {
            if (buf.remaining() < 1) {
                flush(md, buf);
            }
            buf.put((byte) 0);
        } else {
            if (buf.remaining() < 1) {
                flush(md, buf);
            }
            buf.put((byte) 1);
            putShape(md, buf, explicitTargets.shape());
            putDoubles(md, buf, explicitTargets.data());
        }
        flush(md, buf);
        StringBuilder sb = new StringBuilder(64);
        for (byte b : md.digest()) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    private static void putShape(MessageDigest md, ByteBuffer buf, int[] shape) {
        if (buf.remaining() < 4 * (shape.length + 1)) {
            flush(md, buf);
        }
        buf.putInt(shape.length);
        for (int s : shape) {
            buf.putInt(s);
        }
    }

    private static void putDoubles(MessageDigest md, ByteBuffer buf, double[] v) {
        for (double x : v) {
            if (buf.remaining() < 8) {
                flush(md, buf);
            }
            buf.putDouble(x);
        }
    }

    private static void flush(MessageDigest md, ByteBuffer buf) {
        buf.flip();
        md.update(buf);
        buf.clear();
    }

    /**
     * One-line summary, e.g. {@code fashion-mnist:train:5000: N=5000, input [784], 10 classes; Fashion-MNIST full set
     * installed in /usr/share/datasets/fashion-mnist (60000 training images)}: the origin, when known, ends it.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(name).append(": N=").append(size()).append(", input ")
                .append(Arrays.toString(inputShape()));
        if (labels != null) {
            sb.append(", ").append(numClasses).append(" classes");
        }
        if (explicitTargets != null) {
            sb.append(", targets [").append(explicitTargets.dim(1)).append(']');
        }
        if (origin != null) {
            sb.append("; ").append(origin);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Dataset(" + describe() + ")";
    }
}
