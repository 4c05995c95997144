package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** What every command of the CLI promises, whatever it does: its usage and its help. */
class CommandLineContractTest {
    /**
     * Bare {@code driftlab} is a usage error: the usage (every command listed) on stdout, and on stderr the one line
     * of every user error, exit code 2.
     */
    @Test
    void bareDriftlabPrintsUsageAndExitsTwo() {
        String[] outErr = CliRun.run(2);
        assertTrue(outErr[0].contains("Usage: driftlab"), outErr[0]);
        for (String command : new String[] {"run", "sweep", "resume", "report", "list", "show", "eval", "curvature",
            "bench", "landscape"}) {
            assertTrue(outErr[0].contains("  " + command + " "), "usage does not list " + command + ": " + outErr[0]);
        }
        assertEquals(1, outErr[1].strip().lines().count(), outErr[1]);
        assertTrue(outErr[1].startsWith("driftlab: no command given"), outErr[1]);
    }

    /**
     * No help shows picocli's default label {@code <fieldName>} (a Java field name, meaningless to a user): every
     * option that takes a value and every positional parameter declares a paramLabel. Checked on the command model, so
     * a command added later is covered too; and on the rendered help of every command.
     */
    @Test
    void noHelpShowsAFieldNameLabel() {
        List<String> offenders = new ArrayList<>();
        CommandLine root = new CommandLine(new Main());
        List<CommandLine> all = new ArrayList<>(List.of(root));
        all.addAll(root.getSubcommands().values());
        for (CommandLine cl : all) {
            CommandSpec spec = cl.getCommandSpec();
            for (ArgSpec arg : spec.args()) {
                boolean takesValue = !(arg.isOption() && arg.typeInfo().isBoolean());
                if (takesValue && arg.paramLabel().startsWith("<")) {
                    offenders.add(spec.qualifiedName() + " " + (arg.isOption() ? ((CommandLine.Model.OptionSpec) arg)
                            .longestName() : "positional") + " " + arg.paramLabel());
                }
            }
        }
        assertEquals(List.of(), offenders);
        for (CommandLine cl : all) {
            String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(!help.matches("(?s).*[= \\[]<[a-zA-Z]+>.*"),
                    cl.getCommandSpec().qualifiedName() + " --help shows a field-name label:\n" + help);
        }
    }

    /**
     * No help makes picocli complain on stderr: a description is a format string, so a bare % in it (say "below 5% of
     * the trace") made every {@code curvature --help} print a warning three times before the usage.
     */
    @Test
    void noHelpMakesPicocliWarn() {
        CommandLine root = new CommandLine(new Main());
        List<CommandLine> all = new ArrayList<>(List.of(root));
        all.addAll(root.getSubcommands().values());
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (CommandLine cl : all) {
                cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            }
        } finally {
            System.setErr(err);
        }
        assertEquals("", captured.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * A normal run on a machine without a native BLAS, LAPACK or ARPACK (simulated by pointing netlib's loaders at a
     * library that does not exist) prints nothing on stderr from their loaders: a fresh JVM, because the loaders log
     * once per process, when first used. The only other line is the JVM's own incubator notice, which the launcher
     * filters.
     */
    @Test
    void noLoggingFromTheBlasAndLapackLoaders(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector"));
        for (String lib : new String[] {"blas", "lapack", "arpack"}) {
            cmd.add("-Ddev.ludovic.netlib." + lib + ".nativeLib=libdriftlab-absent-" + lib + ".so");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "curvature", "--model",
                "fc-tanh:6", "--data", "synthetic:blobs:n=40,d=5,k=3,seed=3", "--exact", "--hutchinson", "4", "--slq-steps",
                "10", "--out", tmp.resolve("c.json").toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        List<String> noise = err.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING: Using incubator modules"))
                .toList();
        assertEquals(List.of(), noise);
    }

    /**
     * An option several commands take is one option: --parallel of sweep, resume and landscape has one help text, and
     * every command accepts and refuses the same counts with the same line. Before: landscape refused the 0 that sweep
     * documents ("the engine chooses"), sweep accepted 5000 members at once that landscape refused, and resume
     * checked the count only for a sweep directory. 0 runs a landscape with the local engine's own choice, one point
     * per core, as it runs a sweep with one member per core (members of one thread).
     */
    @Test
    void parallelIsOneOptionWithOneMeaningInEveryCommand(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        CommandLine root = new CommandLine(new Main());
        java.util.Map<String, String> help = new java.util.TreeMap<>();
        for (CommandLine cl : root.getSubcommands().values()) {
            CommandLine.Model.OptionSpec o = cl.getCommandSpec().findOption("--parallel");
            if (o != null) {
                assertEquals("N", o.paramLabel(), cl.getCommandName());
                help.put(cl.getCommandName(), String.join(" ", o.description()));
            }
        }
        assertEquals(List.of("landscape", "resume", "sweep"), List.copyOf(help.keySet()));
        assertEquals(1, new java.util.HashSet<>(help.values()).size(), "one help text: " + help);
        assertTrue(help.get("sweep").contains("0 (the default): " + org.driftlab.sweep.EngineOptions.PARALLEL_ZERO),
                help.get("sweep"));

        java.nio.file.Path spec = java.nio.file.Files.writeString(tmp.resolve("s.yaml"), """
                name: s
                model: "quadratic:eigs=1,10"
                optimizer: {name: gd, lr: 0.1}
                stop: {steps: 3}
                sweep: {grid: {seed: [0, 1, 2]}}
                """);
        java.nio.file.Path out = tmp.resolve("out");
        List<List<String>> commands = List.of(List.of("sweep", spec.toString()), List.of("resume", out.toString()),
                List.of("landscape", "--model", "xyzw", "--directions", "random-filter-normalised", "--grid", "3"));
        for (String count : List.of("-1", "1025", "-2147483648")) {
            for (List<String> c : commands) {
                List<String> args = new ArrayList<>(c);
                args.addAll(List.of("--parallel", count, "--out", out.toString()));
                if (c.get(0).equals("resume")) {
                    args.subList(args.size() - 2, args.size()).clear();
                }
                String line = org.driftlab.testing.Cli.userError(args.toArray(new String[0]));
                assertTrue(line.startsWith("--parallel: " + count + " must be from 0 (the engine chooses) to 1024"),
                        args + ": " + line);
                assertTrue(!java.nio.file.Files.exists(out), "nothing left: " + args);
            }
        }
        // 0: the engine chooses, the same choice for members of one thread and for points
        int cores = Runtime.getRuntime().availableProcessors();
        String sweep = CliRun.run(0, "sweep", spec.toString(), "--parallel", "0", "--out", out.toString())[0];
        assertTrue(sweep.contains("(local, " + cores + " member" + (cores == 1 ? "" : "s") + " at a time)"), sweep);
        String landscape = CliRun.run(0, "landscape", "--model", "xyzw", "--directions", "random-filter-normalised",
                "--grid", "3", "--parallel", "0", "--out", tmp.resolve("land").toString())[1];
        assertTrue(landscape.contains("(local, " + cores + " point" + (cores == 1 ? "" : "s") + " at a time)"),
                landscape);
    }
}
