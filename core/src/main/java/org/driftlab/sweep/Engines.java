package org.driftlab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.driftlab.DriftlabException;

/** Engines by name: {@code local} built in, others from {@link EngineProvider}s on the class path. */
public final class Engines {
    /** The built-in engine's name. */
    public static final String LOCAL = "local";

    private Engines() {}

    /** A new engine by name, or an error naming the engines there are. */
    public static SweepEngine create(String name, EngineOptions options) {
        if (LOCAL.equals(name)) {
            return new LocalEngine(options);
        }
        List<String> names = new ArrayList<>(List.of(LOCAL));
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) {
            if (p.name().equals(name)) {
                return p.create(options);
            }
            names.add(p.name());
        }
        String hint = "spark".equals(name) ? " (the spark engine is the separate spark module: run through ./driftlab, "
                + "which builds it and puts it on the class path when --engine spark is given)" : "";
        throw new DriftlabException("--engine: unknown engine '" + name + "'; available: " + String.join(", ", names) + hint);
    }
}
