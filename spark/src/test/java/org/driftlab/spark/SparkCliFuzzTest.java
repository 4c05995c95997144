package org.driftlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.commons.io.FileUtils;
import org.driftlab.sweep.SweepDirectory;
import org.driftlab.testing.Cli;
import org.driftlab.testing.Cli.Output;

/**
 * The Spark options of {@code sweep}, {@code resume} (of a sweep) and {@code landscape} fuzzed through the CLI in
 * this JVM: bad {@code --master} URLs, bad {@code --parallel} counts and spellings of {@code --engine}. Each ends with
 * exit 0 (the input was valid after all) or with exit 2, one line {@code driftlab: …} on stderr and the scratch
 * directory as it was; a refusal comes before any Spark context starts, so it is quick (the core's fuzz helpers
 * are not on this module's test class path: the minimum of them is here).
 */
class SparkCliFuzzTest {
    /** A tiny sweep: two members of a 2-D quadratic, 4 steps each, nothing probed. */
    static final String SWEEP = """
            name: spark-fuzz
            model: "quadratic:eigs=1,10"
            optimizer: {name: gd}
            seed: 0
            stop: {steps: 4}
            sweep: {grid: {optimizer.lr: [0.1, 0.2]}}
            """;

    /** A tiny landscape: 3 × 3 points of a 2-unit net on 12 points. */
    static final List<String> LANDSCAPE = List.of("landscape", "--model", "fc-tanh:2", "--data",
            "synthetic:blobs:n=12,d=3,k=2,seed=1", "--directions", "random-filter-normalised", "--grid", "3");

    /** An unfinished sweep directory (one member's member.json removed), copied for each resume. */
    private static Path unfinished;

    @BeforeContainer
    static void unfinishedSweep() throws IOException {
        unfinished = Files.createTempDirectory("driftlab-spark-fuzz-sweep-");
        Path spec = Files.writeString(unfinished.resolve("spec.yaml"), SWEEP);
        Path dir = unfinished.resolve("sweep");
        Output r = Cli.run("sweep", spec.toString(), "--parallel", "1", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.walk(dir.resolve("members"))) {
            Files.delete(s.filter(p -> p.getFileName().toString().equals("member.json")).findFirst().orElseThrow());
        }
    }

    @AfterContainer
    static void deleteSweep() throws IOException {
        FileUtils.deleteDirectory(unfinished.toFile());
    }

    @Provide
    Arbitrary<String> masters() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "garbage", "local[0]", "local[-1]", "local[x]", "local[]", "local[1",
                        "local[ 2 ]", "local[2147483648]", "local[99999999999]", "local[2,0]", "local[*,x]",
                        "local-cluster[0,1,1024]", "local-cluster[1,1]", "spark://", "spark://:7077", "spark://host",
                        "spark://host:", "spark://host:0", "spark://host:99999", "spark://host:7077,",
                        "spark://ho st:7077", "spark:/host:7077", "yarn", "k8s://", "mesos://host:5050", "LOCAL[2]",
                        "local\n[2]", "local[2]\u001b[31m", "\u0000", "local[2]\r\nspark://x:1", "loc\u202eal[2]"),
                Arbitraries.strings().ofMinLength(0).ofMaxLength(20),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(5)
                        .map(c -> "local[2]" + c),
                Arbitraries.strings().alpha().ofMinLength(200).ofMaxLength(5000).map(s -> "spark://" + s),
                Arbitraries.strings().numeric().ofMinLength(10).ofMaxLength(400).map(s -> "local[" + s + "]"));
    }

    @Provide
    Arbitrary<List<String>> parallels() {
        return Arbitraries.of(List.of(), List.of("--parallel", "0"), List.of("--parallel", "-1"),
                List.of("--parallel", "-2147483648"), List.of("--parallel", "2147483647"),
                List.of("--parallel", "99999999999"), List.of("--parallel", "2"), List.of("--parallel", "x"),
                List.of("--parallel", ""), List.of("--parallel"));
    }

    /** Spellings of spark that are not its name, and (rarely) the valid names. */
    @Provide
    Arbitrary<String> engines() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("spark")),
                net.jqwik.api.Tuple.of(4, Arbitraries.of("Spark", "SPARK", " spark", "spark ", "", "sparkk",
                        "spark\n", "spark\u0000", "local,spark", "org.driftlab.spark.SparkEngine")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("local")));
    }

    @Provide
    Arbitrary<String> commands() {
        return Arbitraries.of("sweep", "resume", "landscape");
    }

    /**
     * A bad master (always given, so that no try starts Spark), a count and an engine, on each of the three
     * commands. On the local engine a master is ignored and the command may run (exit 0).
     */
    @Property(tries = 40)
    void badSparkOptions(@ForAll("commands") String command, @ForAll("engines") String engine,
                         @ForAll("masters") String master, @ForAll("parallels") List<String> parallel)
            throws Exception {
        List<String> opts = new ArrayList<>(List.of("--engine", engine, "--master", master));
        opts.addAll(parallel); // last: a bare --parallel is a missing value
        refusedCleanlyOrRun(command, opts);
    }

    /**
     * Counts that are no counts on the spark engine without a master (0 to 1024 are valid there: the default master,
     * or local[N], would start Spark, so they are tried with a bad master above; more than 1024 at once are refused
     * by every command on every engine, as a count of threads of this JVM).
     */
    @Property(tries = 20)
    void badParallelCounts(@ForAll("commands") String command,
                           @ForAll("badCounts") String count) throws Exception {
        List<String> opts = new ArrayList<>(List.of("--engine", "spark", "--parallel"));
        if (count != null) {
            opts.add(count);
        }
        assertEquals(2, refusedCleanlyOrRun(command, opts).code(), command + " " + opts);
    }

    @Provide
    Arbitrary<String> badCounts() {
        return Arbitraries.oneOf(Arbitraries.of("-1", "-2147483648", "2147483648", "99999999999", "1025", "2147483647", "x", "", "1.5", " 2",
                        "0x10", "1e3", "--master").injectNull(0.1),
                Arbitraries.integers().lessOrEqual(-1).map(String::valueOf));
    }

    /** Each a bug once: Spark started (seconds) and failed with its own exception (exit 1, a trace file). */
    @Example
    void fixedExamples() throws Exception {
        for (List<String> opts : List.of(
                List.of("--engine", "spark", "--master", "local[0]"),
                List.of("--engine", "spark", "--master", "local[-1]"),
                List.of("--engine", "spark", "--master", "garbage"),
                List.of("--engine", "spark", "--master", ""),
                List.of("--engine", "spark", "--master", "spark://"),
                List.of("--engine", "spark", "--master", "yarn"),
                List.of("--engine", "spark", "--master", "local[2]\n"),
                List.of("--engine", "spark", "--master", "spark://" + "h".repeat(5000)),
                List.of("--engine", "spark", "--parallel", "-1"))) {
            for (String command : List.of("sweep", "resume", "landscape")) {
                assertEquals(2, refusedCleanlyOrRun(command, opts).code(), command + " " + opts);
            }
        }
    }

    /**
     * --parallel 0 is the engine's choice in every command: with a bad master it is the master that is refused, never
     * the count (landscape refused 0 itself, while sweep and resume documented it as the engine's choice).
     */
    @Example
    void zeroParallelIsTheEnginesChoiceInEveryCommand() throws Exception {
        for (String command : List.of("sweep", "resume", "landscape")) {
            Output r = refusedCleanlyOrRun(command, List.of("--engine", "spark", "--master", "garbage", "--parallel",
                    "0"));
            assertEquals(2, r.code(), command);
            assertTrue(r.err().startsWith("driftlab: --master: "), command + ": " + r.err());
        }
    }

    /**
     * A landscape's --parallel is also its kernels' thread count on the driver: a million, on the local engine, made a
     * thread team of a million threads and the test JVM could create no more ("unable to create native thread").
     */
    @Example
    void aHugeLandscapeParallelIsRefused() throws Exception {
        for (String engine : List.of("local", "spark")) {
            assertEquals(2, refusedCleanlyOrRun("landscape", List.of("--engine", engine, "--parallel", "1000000")).code(),
                    engine);
        }
    }

    /**
     * A member of 2 threads needs 2 cores of an executor (spark.task.cpus): local[1] was refused by Spark only once its
     * context had started; and --parallel 2^31 - 1 of such members overflowed the default master local[N] to
     * local[-2].
     */
    @Example
    void membersWithMoreThreadsThanTheMastersCores() throws Exception {
        String twoThreads = SWEEP.replace("seed: 0\n", "seed: 0\nthreads: 2\n");
        org.junit.jupiter.api.Assertions.assertNotEquals(SWEEP, twoThreads);
        for (List<String> opts : List.of(List.of("--master", "local[1]"), List.of("--master", "local"),
                List.of("--master", "local[1,3]"), List.of("--parallel", "2147483647"))) {
            inScratch(dir -> {
                Path spec = Files.writeString(dir.resolve("spec.yaml"), twoThreads);
                List<String> args = new ArrayList<>(List.of("sweep", spec.toString(), "--engine", "spark"));
                args.addAll(opts);
                args.addAll(List.of("--out", dir.resolve("out").toString()));
                Output r = refusedCleanlyOrRun(dir, args);
                assertEquals(2, r.code(), args + "\n" + r.err());
                assertTrue(r.err().contains(opts.get(0) + ": "), "the message names the option: " + r.err());
            });
        }
    }

    /**
     * Bad landscape inputs with a valid master: a θ of the wrong size, an --out that is a file, an --out holding a
     * landscape with other settings. The landscape checked them only after its engine had started (Spark: seconds).
     */
    @Example
    void landscapeInputsAreCheckedBeforeSparkStarts() throws Exception {
        inScratch(dir -> {
            Path theta = dir.resolve("theta.npy");
            org.driftlab.data.Npy.write(theta, new double[5]);
            Path file = Files.writeString(dir.resolve("file.txt"), "x");
            Path other = dir.resolve("other");
            List<String> local = new ArrayList<>(LANDSCAPE);
            local.addAll(List.of("--out", other.toString()));
            assertEquals(0, Cli.run(local.toArray(new String[0])).code());
            for (List<String> opts : List.of(List.of("--params", theta.toString(), "--out", dir.resolve("out").toString()),
                    List.of("--out", file.toString()), List.of("--out", other.toString(), "--range", "2"))) {
                List<String> args = new ArrayList<>(LANDSCAPE);
                args.addAll(List.of("--engine", "spark", "--master", "local[1]"));
                args.addAll(opts);
                assertEquals(2, refusedCleanlyOrRun(dir, args).code(), args.toString());
            }
        });
    }

    /** A sweep whose sweep.yaml was edited since its start: resume refused it only once Spark had started. */
    @Example
    void aResumeIsCheckedBeforeSparkStarts() throws Exception {
        inScratch(dir -> {
            Path sweep = dir.resolve("sweep");
            FileUtils.copyDirectory(unfinished.resolve("sweep").toFile(), sweep.toFile());
            Path yaml = sweep.resolve(SweepDirectory.SWEEP_YAML);
            Files.writeString(yaml, Files.readString(yaml).replace("steps: 4", "steps: 5"));
            Output r = refusedCleanlyOrRun(dir, List.of("resume", sweep.toString(), "--engine", "spark", "--master",
                    "local[1]"));
            assertEquals(2, r.code(), r.err());
        });
    }

    /** Without --master, members of more threads than the machine has cores got local[cores]: Spark refused to start. */
    @Example
    void theDefaultMasterHasTheCoresOfAMember() {
        assertEquals("local[4]", SparkEngine.defaultMaster(new org.driftlab.sweep.EngineOptions(0, 4, null), 2));
        assertEquals("local[2]", SparkEngine.defaultMaster(new org.driftlab.sweep.EngineOptions(0, 1, null), 2));
        assertEquals("local[6]", SparkEngine.defaultMaster(new org.driftlab.sweep.EngineOptions(3, 2, null), 2));
    }

    /** Runs one command with the given Spark options in a fresh scratch directory, its output there. */
    private static Output refusedCleanlyOrRun(String command, List<String> opts) throws Exception {
        Output[] r = new Output[1];
        inScratch(dir -> {
            List<String> args = new ArrayList<>();
            switch (command) {
                case "sweep" -> {
                    Path spec = Files.writeString(dir.resolve("spec.yaml"), SWEEP);
                    args.addAll(List.of("sweep", spec.toString(), "--out", dir.resolve("out").toString()));
                }
                case "resume" -> {
                    Path sweep = dir.resolve("sweep");
                    FileUtils.copyDirectory(unfinished.resolve("sweep").toFile(), sweep.toFile());
                    assertTrue(SweepDirectory.isSweep(sweep));
                    args.addAll(List.of("resume", sweep.toString()));
                }
                default -> {
                    args.addAll(LANDSCAPE);
                    args.addAll(List.of("--out", dir.resolve("out").toString()));
                }
            }
            args.addAll(opts);
            r[0] = refusedCleanlyOrRun(dir, args);
        });
        return r[0];
    }

    /**
     * The contract: exit 0, or exit 2 with one clean line, dir as it was and no Spark context begun (the counter, not
     * a clock: a timed assertion fails on a loaded machine and proves nothing a counter does not).
     */
    private static Output refusedCleanlyOrRun(Path dir, List<String> args) {
        List<String> before = listing(dir);
        int sparks = SparkEngine.STARTED.get();
        Output r = Cli.run(args.toArray(new String[0]));
        String why = args + "\n--- stderr:\n" + r.err() + "--- stdout:\n"
                + r.out().substring(0, Math.min(2000, r.out().length()));
        assertTrue(r.code() == 0 || r.code() == 2, "exit " + r.code() + ": " + why);
        if (r.code() == 2) {
            List<String> lines = r.err().lines().filter(l -> !l.isEmpty()).toList();
            assertEquals(1, lines.size(), "one line: " + why);
            String line = lines.get(0);
            assertTrue(line.startsWith("driftlab: "), why);
            assertFalse(line.contains("\tat ") || line.contains("Exception") || line.contains("java.")
                    || line.contains("org.apache") || line.contains("internal error"), "a stack trace: " + why);
            assertTrue(line.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)),
                    "a raw control character: " + why);
            assertTrue(line.length() < 400, "a short line: " + why);
            assertEquals(before, listing(dir), "a refused command left something on disk: " + why);
            assertEquals(sparks, SparkEngine.STARTED.get(), "refused after a Spark context started: " + why);
        }
        return r;
    }

    /** What one try does in its scratch directory. */
    interface Try {
        void run(Path dir) throws Exception;
    }

    /** One try in a fresh scratch directory, deleted afterwards (jqwik properties get no JUnit @TempDir). */
    static void inScratch(Try body) throws Exception {
        Path dir = Files.createTempDirectory("driftlab-spark-fuzz-");
        try {
            body.run(dir);
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    /** Every path under dir, relative and sorted. */
    static List<String> listing(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
