package org.driftlab.cli;

import java.io.PrintWriter;
import org.driftlab.DriftlabException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code driftlab} command. Thin: each subcommand parses its options and calls the library. User errors
 * ({@link DriftlabException}, bad options) print one readable line and exit with code 2; a bug prints its
 * stack trace and exits with code 1.
 */
@Command(name = "driftlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A laboratory for the dynamics of gradient-based training: drift, curvature, stability.",
        subcommands = {
            RunCommand.class, SweepCommand.class, ResumeCommand.class, ReportCommand.class, ListCommand.class, ShowCommand.class,
            EvalCommand.class, CurvatureCommand.class, BenchCommand.class,
            LandscapeCommand.class,
        })
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable t = ex;
            while (t != null && !(t instanceof DriftlabException) && t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            if (t instanceof DriftlabException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("driftlab: " + (t instanceof DriftlabException ? t.getMessage() : ex.getMessage()));
                return 2;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("driftlab: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        return cl.execute(args);
    }

    /** Reads the version from the jar manifest (falls back to "dev"). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"driftlab " + (v == null ? "dev" : v)};
        }
    }
}
