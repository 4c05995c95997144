package org.driftlab.cli;

import java.nio.file.Path;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.MemoryEstimate;
import org.driftlab.objective.NetObjective;
import picocli.CommandLine.Option;

/**
 * The options that name a problem at one θ (model, data, loss, parameters), shared by the commands that
 * evaluate a network at a point ({@code eval}, {@code curvature}), and the one way they are turned into a
 * network, a data set, an Objective and θ.
 */
final class ProblemOptions {
    @Option(names = "--model", required = true, description = "Model spec, e.g. fc-tanh:200,200 or cnn-relu:32,32.")
    String model;

    @Option(names = "--data", required = true, description = "Data source, e.g. fashion-mnist:train:1000 or npz:FILE.")
    String data;

    @Option(names = "--loss", defaultValue = "mse", description = "mse or ce (default ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--params", description = "θ as a 1-D .npy of length D (default: drawn with --init and --seed).")
    Path params;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the initialiser and of random probes (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", defaultValue = "pytorch", description = "pytorch, xavier, lecun or zeros (default ${DEFAULT-VALUE}).")
    String init;

    /** A loaded problem. */
    record Problem(Dataset data, Network network, Loss loss, NetObjective objective, double[] theta, String thetaSource) {}

    /**
     * Reads the data, builds the network and the objective, and loads or draws θ; user errors are DriftlabExceptions.
     * Sizes and memory are checked before the data are read (the Hessian graph counted: the commands measure
     * curvature or may).
     */
    Problem load() {
        Loss lossKind = Loss.parse(loss);
        Init initKind = Init.parse(init);
        DataSources.Shape shape = DataSources.check(data);
        if (shape.outputs() <= 0) {
            throw new org.driftlab.DriftlabException("data " + data + " has no labels or targets to fit");
        }
        // θ, a direction, a product, the gradient, autodiff's leaf copies, and a Lanczos basis of up to 30 vectors
        MemoryEstimate.of(Networks.parse(model, shape.inputShape(), shape.outputs()), shape, NetObjective.DEFAULT_CHUNK,
                36, true).require();
        Dataset ds = DataSources.parse(data);
        Network net = Networks.parse(model, ds.inputShape(), ds.outputSize());
        NetObjective obj = NetObjective.of(net, lossKind, ds);
        double[] theta = params != null ? net.loadParams(params) : net.initialize(initKind, seed);
        String source = params != null ? params.toString() : initKind.name().toLowerCase(java.util.Locale.ROOT) + " seed " + seed;
        return new Problem(ds, net, lossKind, obj, theta, source);
    }
}
