package org.driftlab.study;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * An experiment of the catalogue that is more than one training loop: it computes its own tables (flows against
 * iterates, stationary histograms, game trajectories, several training runs compared), declares the figures a
 * reader should see, and states its qualitative findings as checks that can fail. A study file in
 * {@code experiments/} names it by {@code kind:}; its {@code params:} set components of the study's parameter
 * record {@link #params()}, whose {@link org.driftlab.experiment.Param} annotations are the one declaration of
 * every default, unit and description.
 *
 * <p>Implementations are stateless and registered as services ({@code META-INF/services/org.driftlab.study.Study}),
 * so the framework never names a study. Everything a run needs comes through the {@link StudyContext}, and
 * everything it produces goes out through it (tables as CSV, figures and findings in {@code study.json}), so the
 * report is rendered from files alone and a run directory can be re-rendered by {@code driftlab report}.
 *
 * @param <P> the parameter record
 */
public interface Study<P extends Record> {
    /** The name used by {@code kind:} in a study file, e.g. {@code quadratic-flows}. */
    String kind();

    /** One line for {@code driftlab list} and the report's heading. */
    String description();

    /**
     * The parameter record: one component per {@code params:} key, each with its {@link org.driftlab.experiment.Param}.
     * It is the type argument of the study's {@code implements Study<P>}, so a study names its record once; only a
     * study whose P is not a concrete class there (a generic one) overrides this.
     */
    @SuppressWarnings("unchecked")
    default Class<P> params() {
        for (Class<?> c = getClass(); c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == Study.class
                        && p.getActualTypeArguments()[0] instanceof Class<?> record) {
                    return (Class<P>) record;
                }
            }
        }
        throw new IllegalStateException(getClass().getName() + " does not name its parameter record in implements "
                + "Study<P>: override params()");
    }

    /**
     * Checks what the parameter record alone cannot (a batch size against the data's size, a model's dimension),
     * before the study creates anything; throws a {@link org.driftlab.DriftlabException} naming the key, e.g.
     * {@code params.batch_sizes: ...}. Checks that need no data belong in the record's compact constructor.
     */
    default void validate(P params) {}

    /** Runs the study: compute, write tables, declare figures, state findings. */
    void run(StudyContext ctx, P params);
}
