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
import org.driftlab.objective.MemoryEstimate;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import java.util.SplittableRandom;

/**
 * Builds a run's problem from the spec's strings: {@code model} through {@link Networks#parse} (or an analytic
 * objective through {@link ToyObjectives#parse}, e.g. {@code quadratic:eigs=1,10,100}), {@code data}/{@code test_data} through {@link DataSources#parse}, {@code loss}
 * through {@link Loss#parse}, θ_0 by PyTorch's default initialisation with the sub-run's seed (times the spec's
 * {@code init_scale}).
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
            return new Problem(toy, Optional.empty(), scaled(gaussian(toy.dim(), seed), spec.initScale()),
                    "none (analytic objective " + model + ")", "none");
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
        return new Problem(trainObj, testObj, scaled(net.initialize(Init.PYTORCH, seed), spec.initScale()), desc, sum);
    }

    /** θ₀ times the spec's init_scale (the array itself when the scale is 1, so the default θ₀ is bitwise unchanged). */
    private static double[] scaled(double[] theta0, double scale) {
        if (scale != 1) {
            for (int i = 0; i < theta0.length; i++) {
                theta0[i] *= scale;
            }
        }
        return theta0;
    }

    /**
     * Checks everything the problem needs without loading the data or allocating θ: the data strings (present,
     * available in the requested size, labels in range), the model string against the data's shape (exact sizes),
     * the loss, the test set's shape against the training set's, and the memory of model and data against the JVM's
     * heap ({@link MemoryEstimate}); for an analytic objective, its string.
     */
    @Override
    public void check(Spec spec) {
        String model = spec.model();
        if (!Networks.isNetwork(model)) {
            ToyObjectives.parse(model);
            return;
        }
        requireData(spec.data(), "data");
        DataSources.Shape shape = DataSources.check(spec.data());
        if (shape.outputs() <= 0) {
            throw new DriftlabException("data " + spec.data() + " has no labels or targets to fit");
        }
        Network net = Networks.parse(model, shape.inputShape(), shape.outputs());
        Loss.parse(spec.loss());
        if (spec.testData() != null && !spec.testData().equals("none")) {
            DataSources.Shape test = DataSources.check(spec.testData());
            if (test.inputSize() != shape.inputSize() || test.outputs() != shape.outputs()) {
                throw new DriftlabException("test_data: shape " + test.inputSize() + "→" + test.outputs()
                        + " differs from data " + shape.inputSize() + "→" + shape.outputs());
            }
        }
        Probes.Settings probes = spec.probes();
        boolean curvature = probes.every("sharpness") > 0 || probes.every("trace") > 0 || probes.every("drift") > 0
                || probes.every("neff") > 0;
        // θ, θ₀, the gradient, the last gradient, up to two vectors of update-rule state, autodiff's leaf copies,
        // and a Lanczos basis when sharpness is measured
        int vectors = 8 + (probes.every("sharpness") > 0 ? probes.get(Probes.SharpnessParams.class).iterations() : 0);
        MemoryEstimate.of(net, shape, NetObjective.DEFAULT_CHUNK, vectors, curvature).require();
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
