package org.driftlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.driftlab.cli.Main;

/**
 * The driftlab CLI run in this JVM with its console captured, for tests: the one helper every CLI test uses, and the
 * one definition of what a user error must look like (issue 17): exit code 2, exactly one line on stderr starting
 * with {@code driftlab: }, no stack trace, no Java class name, no control character.
 */
public final class Cli {
    private Cli() {}

    /** What a command printed and returned. */
    public record Output(int code, String out, String err) {
        /** The non-empty lines of stderr. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isEmpty()).toList();
        }
    }

    /** Runs the CLI; returns its exit code and console. */
    public static synchronized Output run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Output(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** Runs the CLI, asserts the exit code; returns {stdout, stderr}. */
    public static String[] run(int expectedCode, String... args) {
        Output r = run(args);
        assertEquals(expectedCode, r.code(), String.join(" ", args) + "\n" + r.err() + r.out());
        return new String[] {r.out(), r.err()};
    }

    /** Runs a command that must be refused as a user error; returns its one line (without "driftlab: "). */
    public static String userError(String... args) {
        Output r = run(args);
        assertUserError(r, String.join(" ", args));
        return r.errLines().get(0).substring("driftlab: ".length());
    }

    /** Exit 2, one line on stderr, no stack trace, no Java class name, no raw control character. */
    public static void assertUserError(Output r, String context) {
        String why = context + "\n--- stderr:\n" + r.err() + "--- stdout:\n" + r.out();
        assertEquals(2, r.code(), why);
        assertOneLine(r, why);
    }

    /** One line on stderr that passes {@link #assertCleanLine}. */
    public static void assertOneLine(Output r, String why) {
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), why);
        assertTrue(lines.get(0).startsWith("driftlab: "), why);
        assertCleanLine(lines.get(0), why);
    }

    private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    /** No stack frame, no exception type, no driftlab class name, no control character. */
    public static void assertCleanLine(String line, String why) {
        assertFalse(line.contains("\tat ") || line.contains("java.") || line.contains("org.driftlab")
                || line.contains("Exception") || line.contains("Error:"), "a stack trace or an exception: " + why);
        assertTrue(line.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)),
                "a raw control character: " + why);
        Matcher m = WORD.matcher(line);
        while (m.find()) {
            assertFalse(CLASS_NAMES.contains(m.group()), "the class name " + m.group() + ": " + why);
        }
    }

    /** The names of driftlab's classes written in CamelCase with two humps or more (NetObjective, IdxReader). */
    private static final Set<String> CLASS_NAMES = classNames();

    private static Set<String> classNames() {
        Set<String> names = new TreeSet<>();
        try {
            Path root = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(root)) {
                return names;
            }
            try (Stream<Path> s = Files.walk(root.resolve("org/driftlab"))) {
                for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                    for (String part : p.getFileName().toString().replace(".class", "").split("\\$")) {
                        if (part.matches("[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*")) {
                            names.add(part);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    /** Every path under dir (relative, sorted), for "nothing was left on disk" assertions. */
    public static List<String> listing(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command line running the CLI in a fresh JVM with this test's class path (for kills and environments). */
    public static List<String> javaCommand(String... args) {
        return javaMain("org.driftlab.cli.Main", args);
    }

    /** A command line running mainClass in a fresh JVM with this test's class path (a process a test can kill). */
    public static List<String> javaMain(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xss16m", "-cp",
                System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
