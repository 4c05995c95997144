package org.driftlab.landscape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.DirectoryLock;
import org.driftlab.data.Npy;
import org.driftlab.data.NpyArray;
import org.driftlab.experiment.Json;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.objective.Objective;
import org.driftlab.sweep.EngineOptions;
import org.driftlab.sweep.LocalEngine;
import org.driftlab.sweep.SweepEngine;
import org.driftlab.tensor.Parallel;

/**
 * A loss landscape E(θ + a_i·d₁ + b_j·d₂) on an N × N grid (or a line of N points), computed point by point,
 * in parallel on a sweep engine ({@code threads} workers of the local engine, or Spark tasks, each evaluating whole
 * points with single-threaded kernels, so the grid is bitwise the same for any engine and number of workers), and
 * resumable: every finished point is appended to a log ({@link PointLog}) by this thread as the engine delivers it,
 * so a killed computation continues where it stopped and ends with the same bits as one that never stopped. The
 * value at a point is a pure function of the spec and the point's index ({@link #evaluate}, shipped to the engine
 * as a {@link PointJob}), which is what lets the engine place points anywhere.
 *
 * <p>An output directory holds {@code landscape.json} (the spec), {@code directions.npz} ({@code theta},
 * {@code d1}[, {@code d2}]), {@code points.bin} while it runs, and at the end {@code landscape.npz} with the axes
 * {@code a} [N] and {@code b} [N] (or [1] for a line), the grids {@code loss} and {@code accuracy} [N, N or 1] with
 * {@code loss[i, j]} at θ + a[i]·d₁ + b[j]·d₂ (accuracy NaN for objectives without labels), and when the run saved
 * iterates their coordinates {@code trajectory_a}, {@code trajectory_b}; plus {@code report.html} and its PNG charts.
 */
public final class Landscape {
    /** The spec file. */
    public static final String SPEC = "landscape.json";
    /** The directions file. */
    public static final String DIRECTIONS = "directions.npz";
    /** The result file. */
    public static final String RESULT = "landscape.npz";

    private Landscape() {}

    /** Progress and (in tests) simulated kills. */
    public interface Listener {
        /** After a point is stored; done counts every stored point, including those of earlier sessions. */
        default void stored(int index, int done, int total) {}

        /** A one-line message (what is loaded, how many points remain). */
        default void message(String line) {}
    }

    /**
     * A computed landscape.
     *
     * @param a the coefficients along d₁
     * @param b the coefficients along d₂ ({0} for a line)
     * @param loss loss[i][j] at θ + a[i]·d₁ + b[j]·d₂
     * @param accuracy the same for the accuracy (NaN without labels)
     * @param trajectory the saved iterates' coordinates {a values, b values}, or null
     * @param scores the eigenvalues (hessian-top2) or explained variance shares (trajectory-pca) of the directions
     * @param description what the landscape is of
     */
    public record Result(double[] a, double[] b, double[][] loss, double[][] accuracy, double[][] trajectory,
                         double[] scores, String description) {}

    /** The axis: N values from −R to R, 0 exactly at the centre of an odd N and ±R exactly at the ends. */
    public static double[] axis(int n, double range) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = range * ((2.0 * i - (n - 1)) / (n - 1));
        }
        return a;
    }

    /**
     * {loss, accuracy} at point index = i·(number of b values) + j, i.e. at θ + a[i]·d₁ + b[j]·d₂. Pure: it reads
     * nothing but its arguments.
     */
    public static double[] evaluate(Objective objective, double[] theta, Directions.Pair dirs, double[] a, double[] b,
                                    int index) {
        double ai = a[index / b.length];
        double bj = b[index % b.length];
        double[] p = new double[theta.length];
        double[] d2 = dirs.d2();
        for (int k = 0; k < p.length; k++) {
            p[k] = theta[k] + ai * dirs.d1()[k] + (d2 == null ? 0 : bj * d2[k]);
        }
        Map<String, Double> m = objective.metrics(p);
        return new double[] {m.get("loss"), m.getOrDefault("accuracy", Double.NaN)};
    }

    /**
     * Computes (or continues) the landscape of a spec in dir. Everything the spec names is loaded and checked, and
     * the directions computed, before dir is created, so a bad option leaves nothing on disk.
     */
    public static Result compute(LandscapeSpec spec, Path dir, Listener listener) {
        try (SweepEngine engine = new LocalEngine(new EngineOptions(spec.threads(), 1, null))) {
            return compute(spec, dir, engine, listener);
        }
    }

    /**
     * The same on an engine: its workers (threads here, Spark tasks elsewhere) evaluate the points, while this
     * thread keeps the log, the result and the report, so the grid is bitwise the one {@link #compute(LandscapeSpec,
     * Path, Listener)} computes, and a landscape begun on one engine may be resumed on another.
     */
    public static Result compute(LandscapeSpec spec, Path dir, SweepEngine engine, Listener listener) {
        return compute(spec, dir, () -> engine, false, listener);
    }

    /**
     * The same on an engine started only once the inputs are checked (the spec, the directory, θ and the data),
     * and closed at the end: a bad input is refused before a costly engine (a Spark context) starts.
     */
    public static Result compute(LandscapeSpec spec, Path dir, Supplier<? extends SweepEngine> engine, Listener listener) {
        return compute(spec, dir, engine, true, listener);
    }

    private static Result compute(LandscapeSpec spec, Path dir, Supplier<? extends SweepEngine> engine, boolean owned,
                                  Listener listener) {
        // kernels called from this thread use the spec's count (the global one is untouched), or the default count
        // when the engine chooses the points' (0); points use one each, so the grid's bits depend on neither
        int driver = spec.threads() > 0 ? spec.threads() : Parallel.threads();
        return Parallel.withThreads(driver, () -> computeIn(spec, dir, engine, owned, listener));
    }

    private static Result computeIn(LandscapeSpec spec, Path dir, Supplier<? extends SweepEngine> engines, boolean owned,
                                    Listener listener) {
        // an empty --out is refused by DirectoryLock.create below, never read as the current directory
        LandscapeSpec existing = dir.toString().isBlank() ? null : existingSpec(dir);
        // the number of workers is not part of a landscape's identity: a resumed grid may use another
        if (existing != null && !existing.withThreads(spec.threads()).equals(spec)) {
            throw new DriftlabException(dir + " holds a landscape with other settings (" + difference(existing, spec)
                    + "); use another --out");
        }
        LandscapeProblem problem = LandscapeProblem.load(spec);
        Directions.Pair dirs = existing != null && Files.isRegularFile(dir.resolve(DIRECTIONS))
                ? readDirections(dir.resolve(DIRECTIONS), problem.theta(), spec.dims())
                : Parallel.withThreads(1, () -> directions(spec, problem)); // bits independent of threads
        // the directory belongs to this process while it computes (issue 17): a new one is claimed (new or empty, a
        // failure before any point is stored removes it), an existing one is locked
        DirectoryLock lock = existing == null ? DirectoryLock.create(dir, "landscape") : DirectoryLock.acquire(dir);
        boolean stored = existing != null;
        try {
            SweepEngine engine = engines.get(); // a failed start removes a new directory, as any failure here
            try {
                Result r = computeLocked(spec, dir, engine, listener, existing, problem, dirs);
                stored = true;
                return r;
            } finally {
                if (owned) {
                    engine.close();
                }
            }
        } finally {
            if (stored || Files.isRegularFile(dir.resolve(PointLog.FILE))) {
                lock.close();
            } else {
                lock.discard();
            }
        }
    }

    private static Result computeLocked(LandscapeSpec spec, Path dir, SweepEngine engine, Listener listener,
                                        LandscapeSpec existing, LandscapeProblem problem, Directions.Pair dirs) {
        listener.message("landscape of " + problem.description() + " (" + engine.describe("point") + ")");
        if (existing == null) {
            // the spec first: a landscape killed while writing its (large) directions is then resumable, not a
            // directory that is neither empty nor a landscape
            AtomicFiles.writeString(dir.resolve(SPEC), Json.write(spec.toMap()));
            writeDirections(dir.resolve(DIRECTIONS), problem.theta(), dirs);
        } else {
            AtomicFiles.cleanTemporaries(dir);
            if (!Files.isRegularFile(dir.resolve(DIRECTIONS))) {
                writeDirections(dir.resolve(DIRECTIONS), problem.theta(), dirs);
            }
        }
        double[] a = axis(spec.grid(), spec.range());
        double[] b = spec.dims() == 2 ? axis(spec.grid(), spec.range()) : new double[] {0.0};
        int total = spec.points();
        Map<Integer, double[]> values = new java.util.HashMap<>(); // written by the engine's one call at a time
        try (PointLog log = PointLog.open(dir, total)) {
            values.putAll(log.done());
            int[] todo = java.util.stream.IntStream.range(0, total).filter(i -> !values.containsKey(i)).toArray();
            if (!values.isEmpty()) {
                listener.message("resuming: " + values.size() + " of " + total + " points done");
            }
            int[] done = {values.size()};
            // who evaluates which points is the engine's; the log, the values and the progress are the driver's
            engine.evaluate(todo, new PointJob(spec, problem, dirs, a, b), (index, v) -> {
                log.append(index, v[0], v[1]);
                values.put(index, v);
                listener.stored(index, ++done[0], total);
            });
        }
        double[][] loss = new double[a.length][b.length];
        double[][] acc = new double[a.length][b.length];
        for (int i = 0; i < total; i++) {
            double[] v = values.get(i);
            loss[i / b.length][i % b.length] = v[0];
            acc[i / b.length][i % b.length] = v[1];
        }
        double[][] trajectory = problem.iterates() == null ? null
                : Directions.project(problem.iterates(), problem.theta(), dirs);
        Result r = new Result(a, b, loss, acc, trajectory, dirs.scores(), problem.description());
        writeResult(dir.resolve(RESULT), r);
        LandscapeReport.write(dir, spec, r);
        return r;
    }

    private static Directions.Pair directions(LandscapeSpec spec, LandscapeProblem problem) {
        return switch (spec.kind()) {
            case RANDOM_FILTER_NORMALISED -> Directions.randomFilterNormalised(problem.network(), problem.theta(),
                    spec.seed(), spec.dims());
            case HESSIAN_TOP2 -> Directions.hessianTop(problem.objectives().get(), problem.theta(), spec.dims());
            case TRAJECTORY_PCA -> Directions.trajectoryPca(problem.iterates(), problem.theta(), spec.dims());
        };
    }

    /** The spec saved in dir, null for a fresh directory; anything else in the way is an error. */
    private static LandscapeSpec existingSpec(Path dir) {
        if (!Files.exists(dir)) {
            return null;
        }
        if (!Files.isDirectory(dir)) {
            throw new DriftlabException("--out: " + dir + " is a file");
        }
        if (Files.isRegularFile(dir.resolve(SPEC))) {
            return LandscapeSpec.fromMap(SpecLoader.readYaml(dir.resolve(SPEC)), SPEC);
        }
        // a lock alone is a start killed before its first write: the directory is claimed again as a fresh one
        if (!DirectoryLock.holdsNothing(dir)) {
            throw new DriftlabException("--out: " + dir + " exists and is not a landscape directory");
        }
        return null;
    }

    private static String difference(LandscapeSpec a, LandscapeSpec b) {
        Map<String, Object> ma = a.toMap();
        Map<String, Object> mb = b.toMap();
        for (String k : ma.keySet()) {
            if (!java.util.Objects.equals(ma.get(k), mb.get(k))) {
                return k + " " + ma.get(k) + " there, " + mb.get(k) + " here";
            }
        }
        return "?";
    }

    private static void writeDirections(Path file, double[] theta, Directions.Pair d) {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("theta", NpyArray.of(theta));
        m.put("d1", NpyArray.of(d.d1()));
        if (d.d2() != null) {
            m.put("d2", NpyArray.of(d.d2()));
        }
        m.put("scores", NpyArray.of(d.scores()));
        Npy.writeNpz(file, m);
    }

    private static Directions.Pair readDirections(Path file, double[] theta, int dims) {
        Map<String, NpyArray> m = Npy.readNpz(file);
        if (!m.containsKey("d1") || (dims == 2) != m.containsKey("d2") || !m.containsKey("theta")
                || !java.util.Arrays.equals(m.get("theta").values(), theta)) {
            throw new DriftlabException(file + " does not belong to this landscape (θ or directions differ)");
        }
        return new Directions.Pair(m.get("d1").values(), dims == 2 ? m.get("d2").values() : null,
                m.containsKey("scores") ? m.get("scores").values() : new double[0]);
    }

    private static void writeResult(Path file, Result r) {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("a", NpyArray.of(r.a()));
        m.put("b", NpyArray.of(r.b()));
        m.put("loss", grid(r.loss()));
        m.put("accuracy", grid(r.accuracy()));
        if (r.trajectory() != null) {
            m.put("trajectory_a", NpyArray.of(r.trajectory()[0]));
            m.put("trajectory_b", NpyArray.of(r.trajectory()[1]));
        }
        Npy.writeNpz(file, m);
    }

    private static NpyArray grid(double[][] g) {
        int n = g.length;
        int m = g[0].length;
        double[] flat = new double[n * m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(g[i], 0, flat, i * m, m);
        }
        return new NpyArray(new int[] {n, m}, flat, "<f8");
    }

    /** Reads a finished landscape.npz: {a, b, loss (flattened row-major), accuracy}. */
    public static Map<String, NpyArray> read(Path dir) {
        Path f = dir.resolve(RESULT);
        if (!Files.isRegularFile(f)) {
            throw new DriftlabException(dir + " holds no finished landscape (" + RESULT + ")");
        }
        return Npy.readNpz(f);
    }
}
