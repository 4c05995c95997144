package org.driftlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.driftlab.DriftlabException;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.MemoryEstimate;
import org.driftlab.objective.NetObjective;
import org.driftlab.study.StudyRunner;
import org.driftlab.sweep.SweepDirectory;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options that name a problem at one θ (model, data, loss, parameters), shared by the commands that
 * evaluate a network at a point ({@code eval}, {@code curvature}), and the one way they are turned into a
 * network, a data set, an Objective and θ. Either {@code --model} and {@code --data} name the problem, or a run
 * directory does: its resolved {@code spec.yaml} gives model, data and loss (parsed by the same functions the
 * runner used, so the objective is the one it trained) and its {@code theta_final_rI.npy} gives θ.
 */
final class ProblemOptions {
    /** The default loss when neither --loss nor a run directory names one. */
    private static final String DEFAULT_LOSS = "mse";

    @Parameters(arity = "0..1", paramLabel = "RUN_DIR",
            description = "A run directory (a sweep's member directory for a sweep): model, data, loss and θ come from its "
                    + "spec.yaml and final θ; --data, --loss and --params override them.")
    Path runDir;

    @Option(names = "--subrun", paramLabel = "rI", description = "The sub-run of RUN_DIR whose final θ is used (default r0).")
    String subRun;

    @Option(names = "--model", paramLabel = "SPEC", description = "Model spec, e.g. fc-tanh:200,200 or cnn-relu:32,32 (or RUN_DIR).")
    String model;

    @Option(names = "--data", paramLabel = "SOURCE", description = "Data source, e.g. fashion-mnist:train:1000 or npz:FILE.")
    String data;

    @Option(names = "--loss", paramLabel = "mse|ce", description = "mse or ce (default: the run's, else " + DEFAULT_LOSS + ").")
    String loss;

    @Option(names = "--params", paramLabel = "THETA.npy",
            description = "θ as a 1-D .npy of length D (default: the run's final θ, else drawn with --init and --seed).")
    Path params;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the initialiser and of random probes (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", paramLabel = "KIND", defaultValue = "pytorch",
            description = "pytorch, xavier, lecun or zeros (default ${DEFAULT-VALUE}).")
    String init;

    /** A loaded problem. */
    record Problem(Dataset data, Network network, Loss loss, NetObjective objective, double[] theta, String thetaSource) {}

    /**
     * Reads the data, builds the network and the objective, and loads or draws θ; user errors are DriftlabExceptions.
     * Sizes and memory are checked before the data are read (the Hessian graph counted: the commands measure
     * curvature or may).
     */
    Problem load() {
        Spec run = null;
        Path finalTheta = null;
        if (runDir != null) {
            if (model != null) {
                throw new DriftlabException("--model: give either a RUN_DIR or --model, not both");
            }
            run = readRun(runDir);
            Spec.SubRun sub = subRun(run, subRun == null ? "r0" : subRun);
            finalTheta = runDir.resolve("theta_final_" + sub.tag() + ".npy");
            if (params == null && !Files.isRegularFile(finalTheta)) {
                throw new DriftlabException(runDir + ": sub-run " + sub.tag() + " has not finished (no "
                        + finalTheta.getFileName() + "); resume it first or give --params");
            }
        } else if (model == null || data == null) {
            throw new DriftlabException("give a RUN_DIR, or --model and --data (e.g. --model fc-tanh:200,200 --data "
                    + "fashion-mnist:train:1000)");
        } else if (subRun != null) {
            throw new DriftlabException("--subrun: only with a RUN_DIR");
        }
        Loss lossKind = Loss.parse(loss != null ? loss : run != null ? run.loss() : DEFAULT_LOSS);
        Init initKind = Init.parse(init);
        String dataSource = data != null ? data : run.data();
        String modelSpec = run != null ? run.model() : model;
        if (run != null && !Networks.isNetwork(modelSpec)) {
            throw new DriftlabException(runDir + " trained the analytic objective " + modelSpec + ", not a network");
        }
        DataSources.Shape shape = DataSources.check(dataSource);
        if (shape.outputs() <= 0) {
            throw new DriftlabException("data " + dataSource + " has no labels or targets to fit");
        }
        // θ, a direction, a product, the gradient, autodiff's leaf copies, and a Lanczos basis of up to 30 vectors
        MemoryEstimate.of(Networks.parse(modelSpec, shape.inputShape(), shape.outputs()), shape, NetObjective.DEFAULT_CHUNK,
                36, true).require();
        Dataset ds = DataSources.parse(dataSource);
        Network net = Networks.parse(modelSpec, ds.inputShape(), ds.outputSize());
        NetObjective obj = NetObjective.of(net, lossKind, ds);
        double[] theta;
        String source;
        if (params != null) {
            theta = net.loadParams(params);
            source = params.toString();
        } else if (finalTheta != null) {
            theta = net.loadParams(finalTheta);
            source = finalTheta.toString();
        } else {
            theta = net.initialize(initKind, seed);
            source = initKind.name().toLowerCase(java.util.Locale.ROOT) + " seed " + seed;
        }
        return new Problem(ds, net, lossKind, obj, theta, source);
    }

    /** The resolved spec of a training run directory, or one clear error naming what the directory is instead. */
    private static Spec readRun(Path dir) {
        if (SweepDirectory.isSweep(dir)) {
            throw new DriftlabException(dir + " is a sweep: give one of its members, e.g. " + firstMember(dir));
        }
        if (StudyRunner.isStudyDir(dir)) {
            throw new DriftlabException(dir + " is a study directory, not a training run");
        }
        if (!Files.isRegularFile(dir.resolve(Runner.SPEC))) {
            throw new DriftlabException(dir + " is not a run directory (no " + Runner.SPEC + ")");
        }
        java.util.Map<String, Object> tree = SpecLoader.readYaml(dir.resolve(Runner.SPEC));
        tree.remove("kind");
        return Spec.fromMap(tree);
    }

    private static Path firstMember(Path sweepDir) {
        try (var members = Files.list(sweepDir.resolve(SweepDirectory.MEMBERS))) {
            return members.sorted().findFirst().orElse(sweepDir.resolve(SweepDirectory.MEMBERS));
        } catch (java.io.IOException e) {
            return sweepDir.resolve(SweepDirectory.MEMBERS);
        }
    }

    private static Spec.SubRun subRun(Spec run, String tag) {
        List<Spec.SubRun> subs = run.subRuns();
        for (Spec.SubRun s : subs) {
            if (s.tag().equals(tag)) {
                return s;
            }
        }
        throw new DriftlabException("--subrun: the run has no sub-run '" + tag + "'; it has "
                + String.join(", ", subs.stream().map(Spec.SubRun::tag).toList()));
    }
}
