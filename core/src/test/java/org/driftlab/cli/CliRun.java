package org.driftlab.cli;

import org.driftlab.testing.Cli;

/**
 * The console capture for CLI tests in this package: {@link Cli#run(int, String...)}, the one capture (also used by
 * the fuzz suite, which adds the user-error assertions); kept as a short name for the command tests.
 */
final class CliRun {
    private CliRun() {}

    /** Runs the CLI, asserts its exit code and returns {stdout, stderr}. */
    static String[] run(int expectedCode, String... args) {
        return Cli.run(expectedCode, args);
    }
}
