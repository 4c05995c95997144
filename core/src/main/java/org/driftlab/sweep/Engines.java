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
        return LOCAL.equals(name) ? new LocalEngine(options) : provider(name).create(options);
    }

    /**
     * The checks of {@link #create} that allocate nothing (the engine's name, its options): a command calls this
     * before its checks of files and directories, and creates the engine, which may take seconds (Spark), last.
     */
    public static void check(String name, EngineOptions options) {
        if (!LOCAL.equals(name)) {
            provider(name).check(options);
        } else if (options.master() != null) {
            // silently ignoring it would run locally what the user meant for a cluster
            throw new DriftlabException("--master: only for --engine spark; the local engine runs in this JVM");
        }
    }

    private static EngineProvider provider(String name) {
        List<String> names = new ArrayList<>(List.of(LOCAL));
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
            names.add(p.name());
        }
        String hint = "spark".equals(name) ? " (the spark engine is the separate spark module: run through ./driftlab, "
                + "which builds it and puts it on the class path when --engine spark is given)" : "";
        throw new DriftlabException("--engine: unknown engine '" + name + "'; available: " + String.join(", ", names) + hint);
    }
}
