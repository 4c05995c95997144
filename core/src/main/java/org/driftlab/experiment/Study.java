package org.driftlab.experiment;

import java.util.Map;

/**
 * An experiment of the catalogue that is more than one training loop: it computes its own tables (flows against
 * iterates, stationary histograms, game trajectories, several training runs compared), declares the figures a
 * reader should see, and states its qualitative findings as checks that can fail. A study file in
 * {@code experiments/} names it by {@code kind:}; its {@code params:} override {@link #defaults()}.
 *
 * <p>Implementations are stateless: everything a run needs comes through the {@link StudyContext}, and
 * everything it produces goes out through it (tables as CSV, figures and findings in {@code study.json}), so the
 * report is rendered from files alone and a run directory can be re-rendered by {@code driftlab report}.
 */
public interface Study {
    /** The name used by {@code kind:} in a study file, e.g. {@code quadratic-flows}. */
    String kind();

    /** One line for {@code driftlab list} and the report's heading. */
    String description();

    /**
     * Every parameter with its default value (numbers, strings, booleans or lists of them). A study file may
     * only set keys listed here; values are type-checked against the default's type.
     */
    Map<String, Object> defaults();

    /** Runs the study: compute, write tables, declare figures, state findings. */
    void run(StudyContext ctx);
}
