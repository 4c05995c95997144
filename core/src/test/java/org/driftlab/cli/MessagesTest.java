package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.driftlab.data.Npy;
import org.driftlab.data.NpyArray;
import org.driftlab.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "messages", "arithmetic and memory" and "bad values": each failure reproduced before it was fixed, now
 * one line a user can act on (the input, the value, what was expected), exit 2, no Java class name; the exit codes
 * documented in {@code --help}; an internal error one line and a file holding the stack trace.
 */
class MessagesTest {
    @TempDir
    Path tmp;

    private static final String DATA = "synthetic:blobs:n=30,d=4,k=3,seed=1";

    @Test
    void theExitCodesAreInTheHelpOfEveryCommand() {
        for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"resume", "--help"}, {"eval", "--help"}}) {
            String out = Cli.run(0, args)[0];
            assertTrue(out.contains("Exit codes:") && out.contains("0   finished (a run that diverged has finished")
                    && out.contains("2   user error") && out.contains("1   internal error"), out);
        }
    }

    /** Divergence is an outcome: the run finished, exit 0 (before, only a source comment said so). */
    @Test
    void aDivergedRunExitsZero() throws Exception {
        Path f = Files.writeString(tmp.resolve("div.yaml"), "name: div\nmodel: \"quadratic:eigs=1,10\"\n"
                + "optimizer: {name: gd, lr: 0.5}\nstop: {steps: 200}\n");
        String out = Cli.run(0, "run", f.toString(), "--out", tmp.resolve("d").toString())[0];
        assertTrue(out.contains("diverged"), out);
    }

    @Test
    void anInternalErrorIsOneLineAndAFileWithTheStackTrace() throws Exception {
        StringWriter s = new StringWriter();
        int code = Main.report(new IllegalStateException("a bug"), new PrintWriter(s, true), new String[] {"run", "x"});
        assertEquals(Main.INTERNAL_ERROR, code);
        String line = s.toString().strip();
        assertEquals(1, line.lines().count(), line);
        String prefix = "driftlab: internal error: this is a bug in driftlab, not a problem with your input; the details "
                + "are in ";
        assertTrue(line.startsWith(prefix) && line.endsWith(" (please include that file in a report)"), line);
        Path trace = Path.of(line.substring(prefix.length(), line.indexOf(" (please")));
        String text = Files.readString(trace);
        Files.delete(trace);
        assertTrue(text.contains("arguments: run x") && text.contains("java.lang.IllegalStateException: a bug")
                && text.contains("\tat org.driftlab.cli.MessagesTest"), text);
        // an OutOfMemoryError is the heap's limit: one line with the heap and the option that raises it
        s = new StringWriter();
        assertEquals(Main.USER_ERROR, Main.report(new OutOfMemoryError("Java heap space"), new PrintWriter(s, true), null));
        assertTrue(s.toString().startsWith("driftlab: out of memory: the JVM's maximum heap is ")
                && s.toString().contains("raise it with DRIFTLAB_JAVA_OPTS=-Xmx"), s.toString());
    }

    /** Before: bytes from a file were echoed raw, so a crafted .npy dtype could send terminal escape codes. */
    @Test
    void controlCharactersFromFilesAreEscaped() throws Exception {
        byte[] npy = Npy.toBytes(NpyArray.of(new double[3]));
        String header = new String(npy, StandardCharsets.ISO_8859_1).replace("'<f8'", "'\u001b[31m'");
        Path bad = tmp.resolve("esc.npy");
        Files.write(bad, header.getBytes(StandardCharsets.ISO_8859_1));
        String line = Cli.userError("eval", "--model", "fc-tanh:4", "--data", DATA, "--params", bad.toString());
        assertEquals(bad + ": unsupported dtype '\\x1b[31m' (supported: f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1, "
                + "e.g. '<f8')", line);
        // a spec value with a line break and an escape is quoted escaped, on one line
        Path f = Files.writeString(tmp.resolve("n.yaml"), "name: \"a\\nb\\e[2J\"\nmodel: \"quadratic:eigs=1\"\n"
                + "optimizer: {name: gd, lr: 0.1}\nstop: {steps: 2}\n");
        assertTrue(Cli.userError("run", f.toString(), "--out", tmp.resolve("n").toString())
                .startsWith("name: 'a\\nb\\x1b[2J' must be"));
    }

    /** Before: "IOException Is a directory", "MalformedInputException", "NetObjective: empty data set". */
    @Test
    void messagesNameTheInputAndWhatWasExpectedWithoutJavaNames() throws Exception {
        assertEquals("cannot read " + tmp + ": is a directory",
                Cli.userError("eval", "--model", "fc-tanh:4", "--data", DATA, "--params", tmp.toString()));
        Path latin1 = tmp.resolve("latin1.yaml");
        Files.write(latin1, "name: caf\u00e9\nmodel: fc-tanh:4\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ": invalid YAML: not valid UTF-8 text; save the file as UTF-8",
                Cli.userError("run", latin1.toString(), "--out", tmp.resolve("x").toString()));
        assertEquals("n must be a whole number from 1 to 2147483647 in 'synthetic:blobs:n=0', got '0'",
                Cli.userError("eval", "--model", "fc-tanh:4", "--data", "synthetic:blobs:n=0"));
        Path dup = Files.writeString(tmp.resolve("dup.yaml"), "name: d\nmodel: \"quadratic:eigs=1\"\nseed: 1\n"
                + "optimizer: {name: gd, lr: 0.1}\nseed: 5\n");
        assertEquals(dup + ": invalid YAML: line 5, column 1: a key given twice: seed (remove one)",
                Cli.userError("run", dup.toString(), "--out", tmp.resolve("y").toString()));
        assertFalse(Files.exists(tmp.resolve("y")));
    }

    /** Before: each printed a Java stack trace with exit 1 (an overflow, an index crash after 18 s, an OOM). */
    @Test
    void sizesAreCheckedExactlyAndAgainstTheHeapBeforeAllocation() throws Exception {
        Path f = Files.writeString(tmp.resolve("t.yaml"), RunDirectoryTest.TINY.formatted(0.1, 5));
        Path out = tmp.resolve("out");
        String line = Cli.userError("run", f.toString(), "--out", out.toString(), "--set",
                "data=synthetic:blobs:n=2147483000,d=4,k=3");
        assertTrue(line.contains("8589932000 values are more than one array holds"), line);
        line = Cli.userError("run", f.toString(), "--out", out.toString(), "--set", "model=fc-tanh:100000000");
        assertTrue(line.startsWith("model fc-tanh:100000000 (D = 800000003) on 48 examples (data ") && line.contains(
                "needs about ") && line.contains("but the JVM's maximum heap is ") && line.contains(
                "raise it with DRIFTLAB_JAVA_OPTS=-Xmx"), line);
        assertTrue(Cli.userError("eval", "--model", "fc-tanh:100000000", "--data", DATA).contains("maximum heap"));
        Path npz = tmp.resolve("big.npz");
        int[] y = new int[30];
        y[7] = 999_999_999;
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("X", new NpyArray(new int[] {30, 4}, new double[120], "<f8"));
        m.put("y", NpyArray.ofInt64(y));
        Npy.writeNpz(npz, m);
        line = Cli.userError("run", f.toString(), "--out", out.toString(), "--set", "data=npz:" + npz);
        assertTrue(line.contains("labels skip from 0 to 999999999 (example 7)"), line);
        assertFalse(Files.exists(out));
    }

    /** Before: a non-numeric DRIFTLAB_THREADS was ignored. Environment variables are validated like options. */
    @Test
    void environmentVariablesAreValidatedLikeOptions() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Cli.javaCommand("list")).redirectErrorStream(false);
        pb.environment().put("DRIFTLAB_THREADS", "abc");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertEquals(List.of("driftlab: environment variable DRIFTLAB_THREADS='abc' is not valid: expected a whole "
                + "number of threads from 1 to 1024"), lines);
    }
}
