package org.driftlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.driftlab.experiment.Params;
import org.driftlab.landscape.Landscape;
import org.driftlab.landscape.LandscapeSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftlab landscape}: the loss (and accuracy) of a model over a plane or along a line through θ, in
 * filter-normalised random directions, along the top Hessian eigenvectors or in the plane of a run's trajectory.
 * Computed point by point in parallel; running the same command again after a kill continues where it stopped.
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

    @Option(names = "--threads", paramLabel = "N", description = "Points evaluated at once (default ${DEFAULT-VALUE}); "
            + "the grid is the same bit for bit for any count, and a resumed one may use another.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory (rerun with the same one to resume).")
    Path out;

    /** Option name → key of {@link LandscapeSpec} where they differ from the option without its dashes. */
    private static final Map<String, String> KEYS = Map.of("--subrun", "sub_run");

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
        given.put("threads", threads);
        given.values().removeIf(v -> v == null);
        LandscapeSpec spec = LandscapeSpec.fromMap(given, "");
        long start = System.nanoTime();
        Landscape.Result r = Landscape.compute(spec, out, new Landscape.Listener() {
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
        System.out.printf(Locale.ROOT, "driftlab landscape: %d points in %.1f s -> %s%n", r.a().length * r.b().length,
                (System.nanoTime() - start) / 1e9, out.resolve("report.html"));
        return 0;
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }
}
