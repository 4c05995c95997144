package org.driftlab.landscape;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.driftlab.DriftlabException;

/**
 * Everything that determines a loss landscape, and so every one of its points: where θ and E come from (a run
 * directory and one of its sub-runs, or a model, data, loss and θ), the kind of directions, the grid and the thread
 * count (kernels are deterministic for a thread count). Saved as {@code landscape.json} in the output directory; a
 * resumed landscape must have the same spec. Immutable; {@link #validated} checks every value.
 *
 * @param runDir a run directory (absolute), or null
 * @param subRun the sub-run of the run directory whose θ is the centre, e.g. {@code r0}
 * @param model a model or analytic objective spec, or null with a run directory
 * @param data a data source, or null (analytic objectives, run directories)
 * @param loss mse or ce (networks)
 * @param params θ as a .npy (absolute), or null: the run's final θ, or drawn with init and seed
 * @param init initialiser of θ when neither params nor a run gives it
 * @param seed seed of θ's initialiser and of the random directions
 * @param directions the kind of directions
 * @param grid N, points per axis
 * @param range R, the axes run over [−R, R]
 * @param dims 1 (a line along d₁) or 2 (a plane)
 * @param threads worker threads
 */
public record LandscapeSpec(String runDir, String subRun, String model, String data, String loss, String params,
                            String init, long seed, Kind directions, int grid, double range, int dims, int threads) {
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
            throw new DriftlabException("--directions: unknown '" + s + "'; one of random-filter-normalised, "
                    + "hessian-top2, trajectory-pca");
        }
    }

    /** The most points per axis (a 1001 × 1001 grid is already a million evaluations). */
    public static final int MAX_GRID = 1001;

    /** Checks every value; errors are one-line {@link DriftlabException}s naming the option. */
    public LandscapeSpec validated() {
        Objects.requireNonNull(directions, "directions");
        if ((runDir == null) == (model == null)) {
            throw new DriftlabException("landscape: give either a RUN_DIR or --model, not " + (runDir == null
                    ? "neither" : "both"));
        }
        if (runDir != null && data != null) {
            throw new DriftlabException("landscape: --data comes from the run directory's spec; drop it or --model");
        }
        if (grid < 2 || grid > MAX_GRID) {
            throw new DriftlabException("--grid: " + grid + " must be in 2.." + MAX_GRID);
        }
        if (!(range > 0) || !Double.isFinite(range)) {
            throw new DriftlabException("--range: " + range + " must be a positive number");
        }
        if (dims != 1 && dims != 2) {
            throw new DriftlabException("--dims: " + dims + " must be 1 or 2");
        }
        if (threads < 1) {
            throw new DriftlabException("--threads: " + threads + " must be >= 1");
        }
        if (directions == Kind.TRAJECTORY_PCA && runDir == null) {
            throw new DriftlabException("--directions trajectory-pca needs a RUN_DIR whose spec saved iterates "
                    + "(save_iterates: N)");
        }
        return this;
    }

    /** Number of points: N for a line, N² for a plane. */
    public int points() {
        return dims == 1 ? grid : grid * grid;
    }

    /** The spec as a map (what {@code landscape.json} holds). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_dir", runDir);
        m.put("sub_run", subRun);
        m.put("model", model);
        m.put("data", data);
        m.put("loss", loss);
        m.put("params", params);
        m.put("init", init);
        m.put("seed", seed);
        m.put("directions", directions.label());
        m.put("grid", grid);
        m.put("range", range);
        m.put("dims", dims);
        m.put("threads", threads);
        return m;
    }

    /** The spec saved by {@link #toMap}. */
    public static LandscapeSpec fromMap(Map<String, Object> m) {
        try {
            return new LandscapeSpec(text(m, "run_dir"), text(m, "sub_run"), text(m, "model"), text(m, "data"),
                    text(m, "loss"), text(m, "params"), text(m, "init"), ((Number) m.get("seed")).longValue(),
                    Kind.parse(text(m, "directions")), ((Number) m.get("grid")).intValue(),
                    ((Number) m.get("range")).doubleValue(), ((Number) m.get("dims")).intValue(),
                    ((Number) m.get("threads")).intValue());
        } catch (RuntimeException e) {
            throw new DriftlabException("landscape.json is not a landscape spec: " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    /** A one-line description for logs and the report. */
    public String describe() {
        String where = runDir != null ? "run " + runDir + " (" + subRun + ")" : model + (data != null ? " on " + data : "");
        return String.format(Locale.ROOT, "%s, %s directions, %s %d%s points over [−%s, %s]", where, directions.label(),
                dims == 1 ? "line of" : "grid of", grid, dims == 1 ? "" : "×" + grid, range, range);
    }
}
