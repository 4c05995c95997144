package org.driftlab.spark;

import org.driftlab.sweep.EngineOptions;
import org.driftlab.sweep.EngineProvider;
import org.driftlab.sweep.SweepEngine;

/** Registers {@link SparkEngine} as {@code --engine spark} (META-INF/services). */
public final class SparkEngineProvider implements EngineProvider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public SweepEngine create(EngineOptions options) {
        return new SparkEngine(options);
    }

    /** The master URL (and the default one's core count) checked, no Spark context started. */
    @Override
    public void check(EngineOptions options) {
        SparkEngine.check(options);
    }
}
