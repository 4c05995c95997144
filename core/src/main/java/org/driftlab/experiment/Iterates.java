package org.driftlab.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.data.Npy;
import org.driftlab.data.NpyArray;

/**
 * The iterates a run keeps when its spec says {@code save_iterates: N}: θ_0, θ after every N-th step and the final
 * θ of one sub-run, as {@code iterates_TAG.npz} with {@code theta} [M, D] and {@code step} [M]. The file is
 * rewritten (atomically) just before each checkpoint and at the end, so after a kill it holds at least the rows up
 * to the checkpoint; resume drops any rows past it and the continued run appends exactly what an uninterrupted run
 * would have.
 */
public final class Iterates {
    private final Path file;
    private final List<double[]> thetas = new ArrayList<>();
    private final List<Long> steps = new ArrayList<>();

    private Iterates(Path file) {
        this.file = file;
    }

    /** The file of a sub-run in a run directory. */
    public static Path file(Path dir, String tag) {
        return dir.resolve("iterates_" + tag + ".npz");
    }

    /** An empty list for a sub-run that starts now. */
    static Iterates start(Path dir, String tag) {
        return new Iterates(file(dir, tag));
    }

    /** The list of a resumed sub-run, cut back to the checkpoint's step. */
    static Iterates resume(Path dir, String tag, long checkpointStep) {
        Iterates it = new Iterates(file(dir, tag));
        if (!Files.exists(it.file)) {
            return it;
        }
        Read r = read(it.file);
        for (int i = 0; i < r.steps().length && r.steps()[i] <= checkpointStep; i++) {
            it.steps.add(r.steps()[i]);
            it.thetas.add(r.thetas()[i]);
        }
        return it;
    }

    /** Adds θ at step t unless t is already the last row. */
    void add(long t, double[] theta) {
        if (!steps.isEmpty() && steps.get(steps.size() - 1) == t) {
            return;
        }
        steps.add(t);
        thetas.add(theta.clone());
    }

    /** Writes the file atomically. */
    void write() {
        int m = thetas.size();
        int d = m == 0 ? 0 : thetas.get(0).length;
        double[] all = new double[m * d];
        double[] st = new double[m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(thetas.get(i), 0, all, i * d, d);
            st[i] = steps.get(i);
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("theta", new NpyArray(new int[] {m, d}, all, "<f8"));
        arrays.put("step", new NpyArray(new int[] {m}, st, "<f8"));
        Npy.writeNpz(file, arrays);
    }

    /**
     * A saved list.
     *
     * @param steps the step of each row
     * @param thetas θ at each of them
     */
    public record Read(long[] steps, double[][] thetas) {}

    /** Reads an iterates file; a malformed one is a one-line error. */
    public static Read read(Path file) {
        Map<String, NpyArray> arrays = Npy.readNpz(file);
        NpyArray theta = arrays.get("theta");
        NpyArray step = arrays.get("step");
        if (theta == null || step == null || theta.shape().length != 2 || step.shape().length != 1
                || step.shape()[0] != theta.shape()[0]) {
            throw new DriftlabException(file + ": not an iterates file (needs theta [M, D] and step [M])");
        }
        int m = theta.shape()[0];
        int d = theta.shape()[1];
        long[] s = new long[m];
        double[][] t = new double[m][];
        for (int i = 0; i < m; i++) {
            s[i] = (long) step.values()[i];
            t[i] = java.util.Arrays.copyOfRange(theta.values(), i * d, (i + 1) * d);
        }
        return new Read(s, t);
    }
}
