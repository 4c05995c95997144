package org.driftlab.experiment;

import org.driftlab.optim.GradientSource;
import org.driftlab.optim.MiniBatches;
import org.driftlab.optim.RandomBatches;
import org.driftlab.optim.Schedule;
import org.driftlab.optim.UpdateRule;
import org.driftlab.DriftlabException;

/** Builds a sub-run's update rule (through the {@link Optimizers} registry) and schedule from a spec. */
public final class Rules {
    private Rules() {}

    /**
     * A fresh rule for one sub-run; the sampler, SGLD's noise and a regulariser's draws are seeded by the sub-run
     * seed. A {@code regularizer:} section wraps the rule through its {@link Regularizers} entry.
     */
    public static UpdateRule create(Spec.Optimizer o, int numExamples, long seed) {
        GradientSource source;
        if (o.batchSize() > 0) {
            if (numExamples <= 0) {
                throw new DriftlabException("optimizer.batch_size: the objective has no examples to batch");
            }
            if (o.batchSize() > numExamples) {
                throw new DriftlabException("optimizer.batch_size: " + o.batchSize() + " exceeds the " + numExamples
                        + " training examples");
            }
            source = o.replacement() ? new RandomBatches(numExamples, o.batchSize(), seed)
                    : new MiniBatches(numExamples, o.batchSize(), o.shuffle(), seed);
        } else {
            source = GradientSource.fullBatch();
        }
        UpdateRule rule = o.entry().build(o.params(), source, seed);
        // The penalty's draws get their own stream of the sub-run seed (StepRandom streams differ per use).
        return o.regularizer() == null ? rule : o.regularizer().entry().wrap(rule, o.regularizer().params(), seed);
    }

    /** The schedule of a spec over its step cap. */
    public static Schedule schedule(Spec spec) {
        Spec.ScheduleSpec s = spec.schedule();
        Schedule inner = switch (s.name()) {
            case "step" -> Schedule.stepDrops(s.at().stream().mapToLong(Long::longValue).toArray(), s.factor());
            case "cosine" -> Schedule.cosine(spec.stop().steps(), s.min());
            default -> Schedule.constant();
        };
        return Schedule.warmup(s.warmup(), inner);
    }
}
