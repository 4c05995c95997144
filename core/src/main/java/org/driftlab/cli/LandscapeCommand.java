package org.driftlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.Params;
import org.driftlab.landscape.Landscape;
import org.driftlab.landscape.LandscapeSpec;
import org.driftlab.sweep.EngineOptions;
import org.driftlab.sweep.Engines;
import org.driftlab.sweep.SweepEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftlab landscape}: the loss (and accuracy) of a model over a plane or along a line through θ, in
 * filter-normalised random directions, along the top Hessian eigenvectors or in the plane of a run's trajectory.
 * Computed point by point in parallel, in this JVM or on Spark ({@code --engine}, {@code --parallel},
 * {@code --master} as for {@code driftlab sweep}); running the same command again after a kill continues where it
 * stopped, on either engine.
 * The options are the keys of {@link LandscapeSpec}, which declares their defaults once (the help shows them).
 */
@Command(name = "landscape", mixinStandardHelpOptions = true, defaultValueProvider = LandscapeCommand.Defaults.class,
        description = "Loss landscape around θ (Li et al. 2018), resumable: rerun the same command to continue.")
final class LandscapeCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "RUN_DIR", description = "A run directory: its spec gives model, data "
            + "and loss, its final θ the centre, its saved iterates (save_iterates) the trajectory.")
    Path runDir;

    @Option(names = "--subrun", paramLabel = "rI", description = "Sub-run of RUN_DIR (default ${DEFAULT-VALUE}).")
    String subRun;

    @Option(names = "--model", paramLabel = "SPEC", description = "Model spec (fc-tanh:32, cnn-relu:16) or analytic objective "
            + "(quadratic:eigs=1,10, xyzw), instead of RUN_DIR.")
    String model;

    @Option(names = "--data", paramLabel = "SOURCE", description = "Data source of a network, e.g. fashion-mnist:train:1000 (analytic "
            + "objectives take none).")
    String data;

    @Option(names = "--loss", paramLabel = "mse|ce", description = "mse or ce (default ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--params", paramLabel = "THETA.npy", description = "θ as a 1-D .npy (default: the run's final θ, or drawn with --init and --seed).")
    Path params;

    @Option(names = "--init", paramLabel = "KIND", description = "Initialiser of θ without --params (default ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of θ's initialiser and of random directions (default ${DEFAULT-VALUE}).")
    Long seed;

    @Option(names = "--directions", paramLabel = "KIND", required = true,
            description = "random-filter-normalised, hessian-top2 or trajectory-pca.")
    String directions;

    @Option(names = "--grid", paramLabel = "N", description = "Points per axis (default ${DEFAULT-VALUE}).")
    Integer grid;

    @Option(names = "--range", paramLabel = "R", description = "Axes run over [-R, R] (default ${DEFAULT-VALUE}).")
    Double range;

    @Option(names = "--dims", paramLabel = "1|2", description = "1 (a line along d1) or 2 (a plane; default ${DEFAULT-VALUE}).")
    Integer dims;

    @Option(names = "--engine", paramLabel = "local|spark", description = "Where points are evaluated (default: local).")
    String engine = Engines.LOCAL;

    @CommandLine.Mixin
    ParallelOption parallel;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for --engine spark: local[N] (default "
            + ParallelOption.DEFAULT_MASTER + "), spark://…, yarn, k8s://….")
    String master;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory (rerun with the same one to resume).")
    Path out;

    /** Option name → key of {@link LandscapeSpec} where they differ from the option without its dashes. */
    // --parallel, as for sweeps (points at once rather than members); the spec and landscape.json keep the key threads
    private static final Map<String, String> KEYS = Map.of("--subrun", "sub_run", "--parallel", "threads");

    /** The defaults shown by --help, read from the one declaration in {@link LandscapeSpec}. */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            if (!(arg instanceof CommandLine.Model.OptionSpec o)) {
                return null;
            }
            String key = KEYS.getOrDefault(o.longestName(), o.longestName().replaceFirst("^--", ""));
            for (Params.Info info : Params.schema(LandscapeSpec.class)) {
                if (info.key().equals(key) && info.defaultValue() != null) {
                    return String.valueOf(info.defaultValue());
                }
            }
            return null;
        }
    }

    /** A spec error ("threads: 0 must be &gt;= 1") as the option the user typed ("--parallel: 0 must be &gt;= 1"). */
    static String asOption(String message) {
        int colon = message.indexOf(':');
        if (colon <= 0) {
            return message;
        }
        String key = message.substring(0, colon);
        for (Map.Entry<String, String> k : KEYS.entrySet()) {
            if (k.getValue().equals(key)) {
                return k.getKey() + message.substring(colon);
            }
        }
        for (Params.Info info : Params.schema(LandscapeSpec.class)) {
            if (info.key().equals(key) && !key.equals("run_dir")) {
                return "--" + key + message.substring(colon);
            }
        }
        return message;
    }

    @Override
    public Integer call() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("run_dir", runDir == null ? null : absolute(runDir));
        given.put("sub_run", subRun);
        given.put("model", model);
        given.put("data", data);
        given.put("loss", loss);
        given.put("params", params == null ? null : absolute(params));
        given.put("init", init);
        given.put("seed", seed);
        given.put("directions", directions);
        given.put("grid", grid);
        given.put("range", range);
        given.put("dims", dims);
        given.put("threads", parallel.count);
        given.values().removeIf(v -> v == null);
        LandscapeSpec spec;
        try {
            spec = LandscapeSpec.fromMap(given, "");
        } catch (DriftlabException e) {
            throw new DriftlabException(asOption(e.getMessage()));
        }
        long start = System.nanoTime();
        // one point per item, one kernel thread per point: an engine's member threads are 1
        EngineOptions options = new EngineOptions(spec.threads(), 1, master);
        Engines.check(engine, options);
        // the engine starts (Spark: seconds) once the landscape has checked its directory, θ and data
        Landscape.Result r = compute(spec, () -> Engines.create(engine, options));
        System.out.printf(Locale.ROOT, "driftlab landscape: %d points in %.1f s -> %s%n", r.a().length * r.b().length,
                (System.nanoTime() - start) / 1e9, out.resolve("report.html"));
        return 0;
    }

    private Landscape.Result compute(LandscapeSpec spec, java.util.function.Supplier<SweepEngine> points) {
        return Landscape.compute(spec, out, points, new Landscape.Listener() {
            private int lastPercent = -1;

            @Override
            public void stored(int index, int done, int total) {
                int percent = (int) (100L * done / total);
                if (percent / 10 != lastPercent / 10 || done == total) {
                    lastPercent = percent;
                    System.err.printf(Locale.ROOT, "driftlab landscape: %d/%d points (%d%%)%n", done, total, percent);
                }
            }

            @Override
            public void message(String line) {
                System.err.println("driftlab landscape: " + line);
            }
        });
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }
}
