package org.driftlab.cli;

import org.driftlab.DriftlabException;
import org.driftlab.sweep.EngineOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --parallel N} option of every command that runs on an engine ({@code sweep}, {@code resume} of a
 * sweep, {@code landscape}): its name, label, help text and check, once, so that the commands cannot drift apart
 * again ({@code landscape} refused the 0 that {@code sweep} documents). What a count means and which counts are
 * valid is {@link EngineOptions}', which every engine reads; the count is checked as it is parsed, so every command
 * refuses a bad one alike, before it reads anything.
 */
final class ParallelOption {
    /** The default Spark master without {@code --master}, as the engines build it from --parallel. */
    static final String DEFAULT_MASTER = "local[--parallel × threads per member], or local[cores] for --parallel 0";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Members or points at once; 0: the engine chooses. */
    int count;

    @Option(names = "--parallel", paramLabel = "N", description = "Members of a sweep, or points of a landscape, at "
            + "once: threads of this JVM, or Spark jobs with --engine spark. 0 (the default): "
            + EngineOptions.PARALLEL_ZERO + ". Results are bitwise the same for any N; a resumed one may use another.")
    void count(int n) {
        try {
            EngineOptions.checkParallel("--parallel", n);
        } catch (DriftlabException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
        count = n;
    }
}
