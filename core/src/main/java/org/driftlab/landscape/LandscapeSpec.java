package org.driftlab.landscape;

import java.util.Locale;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Params;
import org.driftlab.sweep.EngineOptions;

/**
 * Everything that determines a loss landscape, and so every one of its points: where θ and E come from (a run
 * directory and one of its sub-runs, or a model, data, loss and θ), the kind of directions, the grid and the thread
 * count (kernels are deterministic for a thread count). Each parameter is declared once, here, with its default
 * ({@link Param}); the command line and {@code landscape.json} (which a resumed landscape must match) are bound to
 * it by {@link Params}. Immutable; the compact constructor checks every value.
 * Serialisable: the point job of an engine carries it to where points are evaluated (a Spark executor).
 */
public record LandscapeSpec(
        @Param(value = Param.NONE, doc = "a run directory (absolute path): its spec gives E, its final θ the centre")
        String runDir,
        @Param(value = "r0", doc = "the sub-run of the run directory whose θ is the centre") String subRun,
        @Param(value = Param.NONE, doc = "a model spec or an analytic objective, instead of a run directory") String model,
        @Param(value = Param.NONE, doc = "the data source of a network (analytic objectives take none)") String data,
        @Param(value = "mse", doc = "mse or ce (networks)") String loss,
        @Param(value = Param.NONE, doc = "θ as a .npy (absolute path); absent: the run's final θ, or drawn") String params,
        @Param(value = "pytorch", doc = "initialiser of θ when neither params nor a run gives it") String init,
        @Param(value = "0", doc = "seed of θ's initialiser and of the random directions") long seed,
        @Param(value = Param.REQUIRED, doc = "random-filter-normalised, hessian-top2 or trajectory-pca") String directions,
        @Param(value = "21", unit = "points", doc = "points per axis") int grid,
        @Param(value = "1.0", doc = "the axes run over [-R, R]") double range,
        @Param(value = "2", doc = "1 (a line along d1) or 2 (a plane)") int dims,
        @Param(value = "0", doc = "points evaluated at once (the grid is bitwise the same for any count); 0: "
                + EngineOptions.PARALLEL_ZERO) int threads)
        implements java.io.Serializable {
    /** The kinds of directions. */
    public enum Kind {
        /** Gaussian directions normalised filter by filter (Li et al. 2018). */
        RANDOM_FILTER_NORMALISED("random-filter-normalised"),
        /** The unit top-two Hessian eigenvectors. */
        HESSIAN_TOP2("hessian-top2"),
        /** The principal directions of a run's saved iterates. */
        TRAJECTORY_PCA("trajectory-pca");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name used on the command line. */
        public String label() {
            return label;
        }

        /** Parses a command-line name; an unknown one is a one-line error listing the names. */
        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.label.equals(s)) {
                    return k;
                }
            }
            throw new DriftlabException("directions: unknown '" + s + "'; one of random-filter-normalised, "
                    + "hessian-top2, trajectory-pca");
        }
    }

    /** The most points per axis (a 1001 × 1001 grid is already a million evaluations). */
    public static final int MAX_GRID = 1001;

    /** Checks every value; a bad one is a one-line error naming its key. */
    public LandscapeSpec {
        Params.check((runDir == null) != (model == null), runDir == null ? "model" : "run_dir",
                "give either a RUN_DIR or --model, not " + (runDir == null ? "neither" : "both"));
        Params.check(runDir == null || data == null, "data",
                "comes from the run directory's spec; drop it or give --model instead of RUN_DIR");
        Kind kind = Kind.parse(directions);
        Params.check(grid >= 2 && grid <= MAX_GRID, "grid", grid + " must be in 2.." + MAX_GRID);
        Params.check(range > 0 && Double.isFinite(range), "range", range + " must be a positive number");
        Params.check(dims == 1 || dims == 2, "dims", dims + " must be 1 or 2");
        // the engines' count (--parallel), checked where theirs is: the same 0 and the same bound
        EngineOptions.checkParallel("threads", threads);
        Params.check(kind != Kind.TRAJECTORY_PCA || runDir != null, "directions",
                "trajectory-pca needs a RUN_DIR whose spec saved iterates (save_iterates: N)");
    }

    /** The same landscape evaluated by another number of workers (the same grid, bit for bit). */
    public LandscapeSpec withThreads(int n) {
        return new LandscapeSpec(runDir, subRun, model, data, loss, params, init, seed, directions, grid, range, dims, n);
    }

    /** The kind of directions. */
    public Kind kind() {
        return Kind.parse(directions);
    }

    /** Number of points: N for a line, N² for a plane. */
    public int points() {
        return dims == 1 ? grid : grid * grid;
    }

    /** The spec as a map (what {@code landscape.json} holds). */
    public Map<String, Object> toMap() {
        return Params.toMap(this);
    }

    /** The spec a map holds (a saved {@code landscape.json}, or the command line's options); errors name the key. */
    public static LandscapeSpec fromMap(Map<?, ?> m, String where) {
        return Params.bind(LandscapeSpec.class, m, where);
    }

    /** A one-line description for logs and the report. */
    public String describe() {
        String where = runDir != null ? "run " + runDir + " (" + subRun + ")" : model + (data != null ? " on " + data : "");
        return String.format(Locale.ROOT, "%s, %s directions, %s %d%s points over [−%s, %s]", where, directions,
                dims == 1 ? "line of" : "grid of", grid, dims == 1 ? "" : "×" + grid, range, range);
    }
}
