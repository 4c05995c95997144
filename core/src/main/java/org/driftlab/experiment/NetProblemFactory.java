package org.driftlab.experiment;

import org.driftlab.linalg.Gaussian;
import java.util.Optional;
import org.driftlab.DriftlabException;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import java.util.SplittableRandom;

/**
 * Builds a run's problem from the spec's strings: {@code model} through {@link Networks#parse} (or an analytic
 * objective through {@link ToyObjectives#parse}, e.g. {@code quadratic:eigs=1,10,100}), {@code data}/{@code test_data} through {@link DataSources#parse}, {@code loss}
 * through {@link Loss#parse}, θ_0 by PyTorch's default initialisation with the sub-run's seed.
 *
 * <p>Data are exactly what the spec names: a named real data set that cannot be served (not installed and not
 * embedded, or asked for more examples than are available) is a user error, never a synthetic stand-in. The
 * problem's data description says where the examples came from (for Fashion-MNIST: the installed full set or the
 * subset embedded in the jar).
 */
public final class NetProblemFactory implements ObjectiveFactory {
    @Override
    public Problem create(Spec spec, long seed) {
        String model = spec.model();
        if (!Networks.isNetwork(model)) {
            Objective toy = ToyObjectives.parse(model);
            return new Problem(toy, Optional.empty(), gaussian(toy.dim(), seed), "none (analytic objective " + model + ")",
                    "none");
        }
        Dataset d = load(spec.data(), "data");
        Optional<Dataset> test = spec.testData() == null ? Optional.empty() : Optional.of(load(spec.testData(), "test_data"));
        int outputs = d.outputSize();
        Network net = Networks.parse(model, d.inputShape(), outputs);
        Loss loss = Loss.parse(spec.loss());
        NetObjective trainObj = objective(net, loss, d);
        Optional<Objective> testObj = test.map(t -> {
            if (t.inputSize() != d.inputSize() || t.outputSize() != outputs) {
                throw new DriftlabException("test_data: shape " + t.inputSize() + "→" + t.outputSize()
                        + " differs from data " + d.inputSize() + "→" + outputs);
            }
            return objective(net, loss, t);
        });
        String desc = d.describe() + test.map(t -> "; test: " + t.describe()).orElse("");
        String sum = d.checksum() + test.map(t -> "+" + t.checksum()).orElse("");
        return new Problem(trainObj, testObj, net.initialize(Init.PYTORCH, seed), desc, sum);
    }

    /** Checks the data strings of a network spec (present, available in the requested size) without loading. */
    @Override
    public void check(Spec spec) {
        String model = spec.model();
        if (Networks.isNetwork(model)) {
            requireData(spec.data(), "data");
            DataSources.check(spec.data());
            if (spec.testData() != null) {
                DataSources.check(spec.testData());
            }
        }
    }

    private static NetObjective objective(Network net, Loss loss, Dataset d) {
        return NetObjective.of(net, loss, d);
    }

    /** θ_0 ~ N(0, I), seeded: the start of an analytic objective. */
    public static double[] gaussian(int dim, long seed) {
        return Gaussian.vector(new SplittableRandom(seed), dim);
    }

    private static Dataset load(String source, String key) {
        requireData(source, key);
        return DataSources.parse(source);
    }

    private static void requireData(String source, String key) {
        if (source == null || source.equals("none")) {
            throw new DriftlabException(key + ": a network needs data; allowed forms: " + DataSources.FORMS);
        }
    }
}
