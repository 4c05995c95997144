package org.driftlab.landscape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.driftlab.DriftlabException;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.data.Npy;
import org.driftlab.experiment.Iterates;
import org.driftlab.experiment.NetProblemFactory;
import org.driftlab.experiment.ObjectiveFactories;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;

/**
 * The objective E, the centre θ and (from a run) the saved iterates of a landscape, loaded from its spec: a run
 * directory's spec, sub-run and final θ through the same factory that trained it, or a model string (a network on
 * a data source, or an analytic objective such as {@code quadratic:eigs=1,10}) with θ from a .npy or an
 * initialiser. Every user error is a one-line {@link DriftlabException}, raised before anything is written.
 *
 * @param objectives a fresh objective per call (one per worker thread: objectives may cache)
 * @param network θ's layout for filter normalisation, or null for an analytic objective
 * @param theta the centre θ
 * @param iterates a run's saved iterates, or null
 * @param description what was loaded, for the report
 */
record LandscapeProblem(Supplier<Objective> objectives, Network network, double[] theta, double[][] iterates,
                        String description) {
    static LandscapeProblem load(LandscapeSpec spec) {
        return spec.runDir() != null ? fromRun(spec) : fromModel(spec);
    }

    private static boolean isNetwork(String model) {
        return model.startsWith("fc-") || model.startsWith("cnn-");
    }

    private static LandscapeProblem fromModel(LandscapeSpec spec) {
        String model = spec.model();
        if (!isNetwork(model)) {
            if (spec.data() != null) {
                throw new DriftlabException("--data: the analytic objective " + model + " has no data set");
            }
            Objective e = ToyObjectives.parse(model);
            double[] theta = spec.params() != null ? readParams(Path.of(spec.params()), e.dim())
                    : NetProblemFactory.gaussian(e.dim(), spec.seed());
            return new LandscapeProblem(() -> e, null, theta, null, "analytic objective " + model);
        }
        if (spec.data() == null) {
            throw new DriftlabException("--data: the network " + model + " needs a data source; " + DataSources.FORMS);
        }
        Loss loss = Loss.parse(spec.loss());
        Init init = Init.parse(spec.init());
        Dataset ds = DataSources.parse(spec.data());
        if (ds.outputSize() <= 0) {
            throw new DriftlabException("data " + ds.name() + " has no labels or targets to fit");
        }
        Network net = Networks.parse(model, ds.inputShape(), ds.outputSize());
        NetObjective.of(net, loss, ds); // shape and loss checks now, before anything is written
        double[] theta = spec.params() != null ? net.loadParams(Path.of(spec.params())) : net.initialize(init, spec.seed());
        return new LandscapeProblem(() -> NetObjective.of(net, loss, ds), net, theta, null,
                net.spec() + " on " + ds.describe() + ", " + spec.loss());
    }

    private static LandscapeProblem fromRun(LandscapeSpec spec) {
        Path dir = Path.of(spec.runDir());
        if (!Files.isRegularFile(dir.resolve(Runner.SPEC))) {
            throw new DriftlabException(dir + " is not a run directory (no " + Runner.SPEC + ")");
        }
        Spec run = Spec.fromMap(SpecLoader.readYaml(dir.resolve(Runner.SPEC)));
        Spec.SubRun sub = null;
        StringBuilder tags = new StringBuilder();
        for (Spec.SubRun s : run.subRuns()) {
            tags.append(tags.length() == 0 ? "" : ", ").append(s.tag());
            if (s.tag().equals(spec.subRun())) {
                sub = s;
            }
        }
        if (sub == null) {
            throw new DriftlabException("--subrun: " + dir + " has no sub-run '" + spec.subRun() + "'; it has " + tags);
        }
        long seed = sub.seed();
        Objective probe = ObjectiveFactories.DEFAULT.create(run, seed).train();
        Network net = probe instanceof NetObjective n ? n.network() : null;
        double[] theta;
        if (spec.params() != null) {
            theta = readParams(Path.of(spec.params()), probe.dim());
        } else {
            Path fin = dir.resolve("theta_final_" + sub.tag() + ".npy");
            if (!Files.isRegularFile(fin)) {
                throw new DriftlabException(dir + ": sub-run " + sub.tag() + " has not finished (no " + fin.getFileName()
                        + "); resume it first or give --params");
            }
            theta = readParams(fin, probe.dim());
        }
        double[][] iterates = null;
        Path it = Iterates.file(dir, sub.tag());
        if (Files.isRegularFile(it)) {
            iterates = Iterates.read(it).thetas();
            if (iterates.length > 0 && iterates[0].length != probe.dim()) {
                throw new DriftlabException(it + ": iterates of length " + iterates[0].length + " for D = " + probe.dim());
            }
        } else if (spec.kind() == LandscapeSpec.Kind.TRAJECTORY_PCA) {
            throw new DriftlabException("--directions trajectory-pca: " + dir + " saved no iterates for " + sub.tag()
                    + " (" + it.getFileName() + "); run it with save_iterates: N in its spec");
        }
        Supplier<Objective> objectives = () -> ObjectiveFactories.DEFAULT.create(run, seed).train();
        return new LandscapeProblem(objectives, net, theta, iterates, "run " + dir.getFileName() + " (" + sub.tag()
                + "): " + run.model() + (run.data() != null ? " on " + run.data() : "") + ", " + run.loss());
    }

    private static double[] readParams(Path file, int dim) {
        if (!Files.isRegularFile(file)) {
            throw new DriftlabException("--params: no file " + file);
        }
        double[] theta = Npy.read(file).values();
        if (theta.length != dim) {
            throw new DriftlabException("--params: " + file + " holds " + theta.length + " values, the objective has D = "
                    + dim);
        }
        return theta;
    }
}
