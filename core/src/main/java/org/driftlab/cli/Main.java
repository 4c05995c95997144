package org.driftlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.Environment;
import org.driftlab.Escape;
import org.driftlab.Memory;
import org.driftlab.experiment.RunIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code driftlab} command. Thin: each subcommand parses its options and calls the library. Every outcome is one
 * of three exit codes ({@link #EXIT_CODES}, listed by {@code --help} and in the README): 0 when the command finished
 * (a diverged run included: divergence is a result), 2 for a user error (a bad option, file, spec or environment
 * variable, or too little memory), printed as one line saying what to change, and 1 for an internal error (a bug),
 * printed as one line naming a file that holds the stack trace. Text from users and files is escaped before it is
 * printed ({@link Escape}). Without a command it prints the usage and, as for any user error, one line on stderr and exit code 2.
 */
@Command(name = "driftlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A laboratory for the dynamics of gradient-based training: drift, curvature, stability.",
        subcommands = {
            RunCommand.class, SweepCommand.class, ResumeCommand.class, ReportCommand.class, ListCommand.class, ShowCommand.class,
            EvalCommand.class, CurvatureCommand.class, BenchCommand.class,
            LandscapeCommand.class,
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** Finished, including a run that diverged (an outcome, recorded in the run, not an error). */
    public static final int FINISHED = 0;
    /** A bug in driftlab: one line and a file with the stack trace. */
    public static final int INTERNAL_ERROR = 1;
    /** Bad input or environment: one line saying what to change. */
    public static final int USER_ERROR = 2;

    /** The exit codes as {@code --help} lists them (and the README). */
    static final Map<String, String> EXIT_CODES = new LinkedHashMap<>();

    static {
        EXIT_CODES.put(" " + FINISHED, "finished (a run that diverged has finished: divergence is a result)");
        EXIT_CODES.put(" " + USER_ERROR, "user error: a bad option, file, spec, environment variable or too little "
                + "memory; one line says what to change");
        EXIT_CODES.put(" " + INTERNAL_ERROR, "internal error (a bug in driftlab): one line names a file holding the "
                + "stack trace");
    }

    /**
     * dev.ludovic.netlib logs a dated two-line WARNING whenever a native BLAS, LAPACK or ARPACK is not installed,
     * which is normal: the pure-Java implementations take over (OpenBLAS is optional, scripts/install-native.sh).
     * Its loaders are quiet below SEVERE on the command line; held strongly, or the logger and its level could be
     * collected before the first loader runs.
     */
    private static final java.util.logging.Logger NETLIB_LOG = java.util.logging.Logger.getLogger("dev.ludovic.netlib");

    static {
        NETLIB_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /**
     * Bare {@code driftlab}: no command was given, a usage error. The usage goes to stdout, and stderr gets the one
     * line every user error gets, with exit code 2.
     */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        spec.commandLine().getErr().println("driftlab: no command given: choose one of the commands above "
                + "('driftlab COMMAND --help' lists its options)");
        return USER_ERROR;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        // every print of the command goes through the terminal filter (Escape.terminal), whatever the message did
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        System.setOut(Escape.terminal(stdout));
        System.setErr(Escape.terminal(stderr));
        try {
            return executeFiltered(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private static int executeFiltered(String... args) {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            Environment.check(); // validated like options, before any command runs
            CommandLine cl = new CommandLine(new Main());
            exitCodes(cl);
            cl.setErr(err);
            cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> report(ex, err, args));
            cl.setParameterExceptionHandler((ex, a) -> {
                String help = ex.getCommandLine().getCommandSpec().qualifiedName();
                err.println("driftlab: " + Escape.controls(ex.getMessage()) + " (see '" + help + " --help')");
                return USER_ERROR;
            });
            return cl.execute(args);
        } catch (Throwable t) { // what picocli lets through: errors (OutOfMemoryError), and the checks above
            return report(t, err, args);
        }
    }

    /** Lists the exit codes in the help of driftlab and of every subcommand. */
    private static void exitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        for (CommandLine sub : cl.getSubcommands().values()) {
            exitCodes(sub);
        }
    }

    /** One line for a failure and its exit code: a user error, too little memory, or a bug (with its trace file). */
    static int report(Throwable ex, PrintWriter err, String[] args) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DriftlabException d) {
                err.println("driftlab: " + Escape.controls(d.getMessage()));
                return USER_ERROR;
            }
        }
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                err.println("driftlab: out of memory: the JVM's maximum heap is " + Memory.bytes(Memory.maxHeap())
                        + "; raise it with " + Memory.JAVA_OPTS + "=-Xmx" + (Memory.maxHeap() * 2 >> 30)
                        + "g (if the machine has that much memory) or make the problem smaller (an interrupted run "
                        + "continues with driftlab resume DIR)");
                return USER_ERROR;
            }
        }
        Path trace = writeTrace(ex, args);
        err.println("driftlab: internal error: this is a bug in driftlab, not a problem with your input; "
                + (trace != null ? "the details are in " + trace + " (please include that file in a report)"
                        : "the details follow"));
        if (trace == null) {
            ex.printStackTrace(err);
        }
        return INTERNAL_ERROR;
    }

    /** Writes the stack trace, version and arguments of an internal error to a new file; null when that fails. */
    private static Path writeTrace(Throwable ex, String[] args) {
        try {
            Path f = Files.createTempFile("driftlab-error-", ".txt");
            StringWriter s = new StringWriter();
            PrintWriter w = new PrintWriter(s);
            w.println("driftlab internal error at " + Instant.now());
            w.println("code: " + RunIdentity.code());
            w.println("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
            w.println("arguments: " + Escape.controls(String.join(" ", args == null ? new String[0] : args)));
            w.println();
            ex.printStackTrace(w);
            w.flush();
            Files.writeString(f, s.toString(), StandardCharsets.UTF_8);
            return f;
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
