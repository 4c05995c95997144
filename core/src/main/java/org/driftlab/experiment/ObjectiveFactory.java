package org.driftlab.experiment;

import java.util.Optional;
import org.driftlab.objective.Objective;

/**
 * The one seam between experiment specs and concrete models and data: turns the spec's {@code model},
 * {@code data}, {@code test_data} and {@code loss} strings into Objectives and an initial θ.
 * {@link NetProblemFactory} (networks from nn.Networks, data from data.DataSources, analytic objectives from
 * objective.ToyObjectives) is {@link ObjectiveFactories#DEFAULT}; tests may pass their own through
 * {@link Runner.Options}.
 */
public interface ObjectiveFactory {
    /** Builds the problem of one sub-run; seed drives the initialisation (data are fixed by their own string). */
    Problem create(Spec spec, long seed);

    /**
     * Checks what {@link #create} would need before a run creates anything (e.g. that a named data set is available
     * in the requested size), throwing the same user errors; by default nothing is checked.
     */
    default void check(Spec spec) {}

    /**
     * Everything a run needs from its model and data.
     *
     * @param train the training objective E
     * @param test an optional held-out objective
     * @param initialTheta θ_0
     * @param dataDescription a human-readable description of the data used, including where it came from
     * @param dataChecksum a checksum of the data used (provenance)
     */
    record Problem(Objective train, Optional<Objective> test, double[] initialTheta, String dataDescription,
                   String dataChecksum) {}
}
