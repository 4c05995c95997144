package org.driftlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftlab eval}: loss, accuracy, ‖∇E‖ and D of a network at one θ (read from .npy, or drawn with an
 * initialiser and seed) on a data set. With {@code --save-params} the θ used is written as .npy, so the same
 * point can be handed to the PyTorch peer ({@code torch_ref.py --params}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate loss, accuracy and gradient norm of a model at one parameter vector.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model spec, e.g. fc-tanh:200,200 or cnn-relu:32,32.")
    String model;

    @Option(names = "--data", required = true, description = "Data source, e.g. fashion-mnist:train:1000 or npz:FILE.")
    String data;

    @Option(names = "--loss", defaultValue = "mse", description = "mse or ce (default ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--params", description = "θ as a 1-D .npy of length D (default: drawn with --init and --seed).")
    Path params;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the initialiser (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", defaultValue = "pytorch", description = "pytorch, xavier, lecun or zeros (default ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--save-params", description = "Write the θ used to this .npy file.")
    Path saveParams;

    @Override
    public Integer call() {
        Loss lossKind = Loss.parse(loss);
        Init initKind = Init.parse(init);
        Dataset ds = DataSources.parse(data);
        Network net = network(model, ds);
        NetObjective obj = NetObjective.of(net, lossKind, ds);
        double[] theta = params != null ? net.loadParams(params) : net.initialize(initKind, seed);
        Autodiff.ValueAndGrad vg = obj.valueAndGradient(theta);
        double norm = 0;
        for (double g : vg.gradient()) {
            norm += g * g;
        }
        norm = Math.sqrt(norm);
        double acc = obj.accuracy(theta);
        if (saveParams != null) {
            net.saveParams(saveParams, theta);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", net.spec());
        out.put("data", ds.name());
        out.put("n", ds.size());
        out.put("loss_kind", lossKind.name().toLowerCase(Locale.ROOT));
        out.put("params", params != null ? params.toString() : initKind.name().toLowerCase(Locale.ROOT) + " seed " + seed);
        out.put("D", net.numParams());
        out.put("loss", vg.value());
        out.put("accuracy", acc);
        out.put("grad_norm", norm);
        if (json) {
            System.out.println(org.driftlab.experiment.Json.compact(out));
        } else {
            System.out.println("driftlab eval: " + net);
            System.out.printf(Locale.ROOT, "  data       %s (N=%d)%n", ds.name(), ds.size());
            System.out.printf(Locale.ROOT, "  θ          %s%n", out.get("params"));
            System.out.printf(Locale.ROOT, "  D          %d%n", net.numParams());
            System.out.printf(Locale.ROOT, "  loss (%s)  %.17g%n", out.get("loss_kind"), vg.value());
            System.out.printf(Locale.ROOT, "  accuracy   %.6f%n", acc);
            System.out.printf(Locale.ROOT, "  ‖∇E‖       %.17g%n", norm);
        }
        return 0;
    }

    /** Parses a model for a data set: fc nets see flattened examples, cnns see images (flat sizes are mapped). */
    static Network network(String spec, Dataset ds) {
        if (ds.outputSize() <= 0) {
            throw new DriftlabException("data " + ds.name() + " has no labels or targets to fit");
        }
        String kind = spec.strip().toLowerCase(Locale.ROOT);
        int[] shape = kind.startsWith("fc-") ? new int[] {ds.inputSize()} : ds.inputShape();
        return Networks.parse(spec, shape, ds.outputSize());
    }
}
