package org.driftlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.data.Dataset;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.objective.NetObjective;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftlab eval}: loss, accuracy, ‖∇E‖ and D of a network at one θ (read from .npy, or drawn with an
 * initialiser and seed) on a data set. With {@code --save-params} the θ used is written as .npy, so the same
 * point can be handed to the PyTorch twin ({@code scripts/python/torch_models.py check --params}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate loss, accuracy and gradient norm of a model at one parameter vector.")
final class EvalCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ProblemOptions problem;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--save-params", paramLabel = "THETA.npy", description = "Write the θ used to this .npy file.")
    Path saveParams;

    @Override
    public Integer call() {
        ProblemOptions.Problem p = problem.load();
        Dataset ds = p.data();
        Network net = p.network();
        Loss lossKind = p.loss();
        NetObjective obj = p.objective();
        double[] theta = p.theta();
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
        out.put("params", p.thetaSource());
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
}
