package org.driftlab.experiment;

import java.util.Optional;
import org.driftlab.DriftlabException;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.data.Synthetic;
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
 * <p>When Fashion-MNIST (or MNIST) is requested but not installed, a seeded synthetic set of the same shape
 * stands in, and the problem says so, so that the runner can warn loudly in its output and report.
 */
public final class NetProblemFactory implements ObjectiveFactory {
    @Override
    public Problem create(Spec spec, long seed) {
        String model = spec.model();
        if (!model.startsWith("fc-") && !model.startsWith("cnn-")) {
            Objective toy = ToyObjectives.parse(model);
            return new Problem(toy, Optional.empty(), gaussian(toy.dim(), seed), "none (analytic objective " + model + ")",
                    "none", false);
        }
        Loaded train = load(spec.data(), "data");
        Optional<Loaded> test = spec.testData() == null ? Optional.empty() : Optional.of(load(spec.testData(), "test_data"));
        Dataset d = train.dataset;
        int outputs = d.outputSize();
        Network net = Networks.parse(model, d.inputShape(), outputs);
        Loss loss = Loss.parse(spec.loss());
        NetObjective trainObj = objective(net, loss, d);
        Optional<Objective> testObj = test.map(t -> {
            if (t.dataset.inputSize() != d.inputSize() || t.dataset.outputSize() != outputs) {
                throw new DriftlabException("test_data: shape " + t.dataset.inputSize() + "→" + t.dataset.outputSize()
                        + " differs from data " + d.inputSize() + "→" + outputs);
            }
            return objective(net, loss, t.dataset);
        });
        String desc = train.description + test.map(t -> "; test: " + t.description).orElse("");
        String sum = d.checksum() + test.map(t -> "+" + t.dataset.checksum()).orElse("");
        boolean fallback = train.fallback || test.map(t -> t.fallback).orElse(false);
        return new Problem(trainObj, testObj, net.initialize(Init.PYTORCH, seed), desc, sum, fallback);
    }

    private static NetObjective objective(Network net, Loss loss, Dataset d) {
        return NetObjective.of(net, loss, d);
    }

    /** θ_0 ~ N(0, I), seeded: the start of an analytic objective. */
    static double[] gaussian(int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta0 = new double[dim];
        for (int i = 0; i < dim; i++) {
            theta0[i] = Init.gaussian(rng);
        }
        return theta0;
    }

    private record Loaded(Dataset dataset, String description, boolean fallback) {}

    private static Loaded load(String source, String key) {
        if (source == null || source.equals("none")) {
            throw new DriftlabException(key + ": a network needs data; allowed forms: " + DataSources.FORMS);
        }
        boolean fashion = source.startsWith("fashion-mnist");
        if (fashion && !DataSources.fashionMnistAvailable()) {
            int n = requestedSize(source, source.contains(":test") ? 10000 : 60000);
            Dataset s = Synthetic.blobs(n, 784, 10, 1.0, 20211);
            return new Loaded(s, "SYNTHETIC FALLBACK (Fashion-MNIST is not installed: run scripts/install-native.sh): "
                    + "blobs n=" + n + ", d=784, k=10 instead of " + source, true);
        }
        Dataset d = DataSources.parse(source);
        return new Loaded(d, d.describe(), false);
    }

    /** The N of "kind:split:N[:...]", or the split's size. */
    private static int requestedSize(String source, int whole) {
        String[] parts = source.split(":");
        for (int i = 2; i < parts.length; i++) {
            try {
                return Integer.parseInt(parts[i]);
            } catch (NumberFormatException ignored) {
                // an option such as "standardize"
            }
        }
        return whole;
    }
}
