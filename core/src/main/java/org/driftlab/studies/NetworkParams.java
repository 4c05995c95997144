package org.driftlab.studies;

import static org.driftlab.experiment.Params.check;

import org.driftlab.DriftlabException;
import org.driftlab.experiment.ObjectiveFactories;
import org.driftlab.experiment.ObjectiveFactory;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Spec;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.study.StudyContext;

/**
 * The network a study trains, the data it trains on and the loss: the one declaration of these keys that every
 * network study composes. A study's parameter record holds it as a component, which {@code experiment.Params}
 * inlines (the keys {@code model}, {@code data}, {@code loss} sit flat in the study's {@code params:}); the
 * component's {@link Param#value()} overrides defaults where a study differs, e.g. {@code "{loss: ce}"}.
 */
public record NetworkParams(
        @Param(value = "fc-tanh:100,100", doc = "network spec string (fc-…, cnn-…, resmlp:…, resnet-cnn:…, vit:…)") String model,
        @Param(value = "fashion-mnist:train:1000:standardize", doc = "training data source") String data,
        @Param(value = "mse", doc = "loss: mse or ce") String loss) {
    /** A network (not an analytic objective) and a known loss. */
    public NetworkParams {
        check(Networks.isNetwork(model), "model",
                "'" + model + "': this study trains a network (fc-…, cnn-…, resmlp:…, resnet-cnn:… or vit:…)");
        check(Spec.LOSSES.contains(loss), "loss", "'" + loss + "' is not one of " + String.join(", ", Spec.LOSSES));
    }

    /** A training spec of this network, data and loss, to be completed by the study (optimizer, probes, steps). */
    public Spec.Builder spec(String name) {
        return Spec.builder(name).network(model, data, loss);
    }

    /**
     * The problem exactly as a training run builds it (the same objective, θ₀ for the seed and data description),
     * θ₀ scaled by initScale.
     */
    public ObjectiveFactory.Problem problem(long seed, double initScale) {
        // the problem depends on the model, data, loss, θ₀'s scale and the seed only; the rate is a placeholder
        return ObjectiveFactories.DEFAULT.create(spec("problem").lr(1).initScale(initScale).build(), seed);
    }

    /**
     * The problem at the study's seed with θ₀ as initialised, built as a training run builds it (the same θ₀ and data),
     * its data's origin noted (shown in the report and on the terminal).
     */
    public ObjectiveFactory.Problem problem(StudyContext ctx) {
        ObjectiveFactory.Problem p = problem(ctx.seed());
        StudySupport.noteData(ctx, p);
        return p;
    }

    /** The problem with θ₀ as initialised. */
    public ObjectiveFactory.Problem problem(long seed) {
        return problem(seed, 1.0);
    }

    /** The training objective of a problem as a network objective (the studies need per-example gradients). */
    static NetObjective net(ObjectiveFactory.Problem p) {
        if (!(p.train() instanceof NetObjective n)) {
            throw new DriftlabException("params.model: this study needs a network model (fc-…, cnn-…, resmlp:…, resnet-cnn:… or vit:…)");
        }
        return n;
    }
}
