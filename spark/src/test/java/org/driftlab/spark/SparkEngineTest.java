package org.driftlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.TaskContext;
import org.driftlab.data.NpyArray;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.landscape.Landscape;
import org.driftlab.landscape.LandscapeSpec;
import org.driftlab.sweep.EngineOptions;
import org.driftlab.sweep.LocalEngine;
import org.driftlab.sweep.Member;
import org.driftlab.sweep.MemberJob;
import org.driftlab.sweep.MemberResult;
import org.driftlab.sweep.MemberTask;
import org.driftlab.sweep.RunMember;
import org.driftlab.sweep.SweepDirectory;
import org.driftlab.sweep.SweepPlan;
import org.driftlab.sweep.SweepRunner;
import org.driftlab.sweep.SweepSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Spark embedded in local mode on JDK 17 ({@code local[2,2]}: two task slots, a task tried at most twice): members
 * equal the local engine's to the bit, a member that throws inside an executor is a recorded result, and a task that
 * dies half-way is retried by Spark and resumes the member from its checkpoint without repeating any of it; the points
 * of a landscape equal the local engine's to the bit.
 */
class SparkEngineTest {
    private static SparkEngine spark;

    @TempDir
    Path tmp;

    static final String SPEC = """
            name: spark-bits
            model: fc-tanh:12
            data: synthetic:blobs:n=80,d=5,k=3,seed=4
            optimizer: {name: gd}
            threads: 1
            probes: {sharpness: 5, k: 2}
            stop: {steps: 40}
            checkpoint_every: 6
            sweep:
              grid:
                optimizer.lr: [0.05, 0.5]
                seed: [0, 1]
            """;

    @BeforeAll
    static void start() {
        spark = new SparkEngine(new EngineOptions(0, 1, "local[2,2]"));
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    static SweepPlan plan(String yaml) {
        Map<String, Object> tree = new Yaml().load(yaml);
        return SweepPlan.of(tree, Set.of(), SweepSpec.DEFAULT_LIMIT, false);
    }

    static List<String> table(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(dir.resolve(SweepDirectory.CSV));
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            out.add(String.join(",", p.getHeaderNames()));
            for (CSVRecord rec : p) {
                List<String> cells = new ArrayList<>();
                for (String c : p.getHeaderNames()) {
                    cells.add(c.equals("wall_seconds") ? "" : rec.get(c));
                }
                out.add(String.join("|", cells));
            }
        }
        return out;
    }

    private static void assertSameMembers(SweepPlan plan, Path a, Path b) throws IOException {
        assertEquals(table(a), table(b));
        for (Member m : plan.members()) {
            for (String f : List.of("metrics.csv", "metrics.jsonl", "theta_final_r0.npy")) {
                assertArrayEquals(Files.readAllBytes(SweepDirectory.memberDir(a, m).resolve(f)),
                        Files.readAllBytes(SweepDirectory.memberDir(b, m).resolve(f)), m.id() + " " + f);
            }
        }
    }

    @Test
    void membersOnSparkEqualTheLocalEnginesBitwise() throws IOException {
        SweepPlan plan = plan(SPEC);
        Path local = tmp.resolve("local");
        SweepRunner.start(plan, local, new LocalEngine(new EngineOptions(2, 1, null)), new SweepRunner.Listener() {});
        Path onSpark = tmp.resolve("spark");
        SweepRunner.Result r = SweepRunner.start(plan, onSpark, spark, new SweepRunner.Listener() {});
        assertEquals(4, r.results().size());
        assertTrue(r.results().stream().allMatch(m -> m.outcome().equals("completed")), r.results().toString());
        assertSameMembers(plan, local, onSpark);
    }

    @Test
    void aMemberThatThrowsInAnExecutorIsRecordedNotFatal() throws IOException {
        // valid when the sweep is planned (planning reads and checks every data source), broken before its member runs:
        // its load throws in the task
        Path broken = tmp.resolve("broken-data.csv");
        Files.writeString(broken, "x1,x2,label\n1.0,2.0,0\n0.5,1.5,1\n");
        String yaml = """
                name: spark-faults
                model: fc-tanh:4
                optimizer: {name: gd, lr: 0.1}
                stop: {steps: 5}
                sweep:
                  grid:
                    data: ["synthetic:blobs:n=30,d=3,k=2,seed=1", "csv:%s", "synthetic:blobs:n=30,d=3,k=2,seed=2"]
                """.formatted(broken);
        Path dir = tmp.resolve("faults");
        SweepPlan plan = plan(yaml);
        Files.writeString(broken, "x1,x2,label\n1.0,2.0,0\n0.5,fast,1\n");
        SweepRunner.Result r = SweepRunner.start(plan, dir, spark, new SweepRunner.Listener() {});
        assertEquals(List.of("completed", "failed", "completed"), r.results().stream().map(MemberResult::outcome).toList());
        assertTrue(r.results().get(1).message().contains("not a number"), r.results().get(1).message());
        assertTrue(table(dir).get(2).contains("|failed|"), table(dir).toString());
    }

    /** The first attempt of member 1 dies after step 17 (its last checkpoint at step 12): Spark's retry resumes it. */
    @Test
    void aTaskThatDiesIsRetriedAndResumesWithoutRepeatingTheMember() throws IOException {
        SweepPlan plan = plan(SPEC);
        Path local = tmp.resolve("reference");
        SweepRunner.start(plan, local, new LocalEngine(new EngineOptions(2, 1, null)), new SweepRunner.Listener() {});
        Path dir = tmp.resolve("retried");
        SweepRunner.Result r = SweepRunner.start(plan, dir, spark, new SweepRunner.Listener() {}, new DiesOnce(1, 17));
        assertEquals(List.of("completed", "completed", "completed", "completed"),
                r.results().stream().map(MemberResult::outcome).toList());
        assertSameMembers(plan, local, dir);
        Map<String, Object> prov = new Yaml().load(Files.readString(
                SweepDirectory.memberDir(dir, plan.members().get(1)).resolve(Runner.PROVENANCE)));
        assertEquals(1, ((List<?>) prov.get("resumed")).size(), "the retry resumed the member once: " + prov);
    }

    /**
     * A landscape of the landscape tests' tiny fc net (7 × 7 points in 7 chunks of 7, on Spark's two slots) equals
     * the local engine's to the bit, and one begun on the local engine, killed, and finished on Spark does too: the
     * engines share the point evaluation, the point log and the output, and differ only in who evaluates which points.
     * A count of 0 (the engine chooses) gives the same grid.
     */
    @Test
    void landscapePointsOnSparkEqualTheLocalEnginesBitwise() {
        LandscapeSpec spec = new LandscapeSpec(null, "r0", "fc-tanh:4", "synthetic:blobs:n=30,d=5,k=3,seed=4", "mse",
                null, "pytorch", 0, "random-filter-normalised", 7, 0.8, 2, 2);
        Path local = tmp.resolve("local");
        Landscape.compute(spec, local, new Landscape.Listener() {});
        Path onSpark = tmp.resolve("spark");
        Landscape.compute(spec, onSpark, spark, new Landscape.Listener() {});
        assertSameLandscape(local, onSpark);
        // 0 points at once: the engine's choice (--parallel 0), as for a sweep's members; the same grid
        Path chosen = tmp.resolve("chosen");
        Landscape.compute(spec.withThreads(0), chosen, spark, new Landscape.Listener() {});
        assertSameLandscape(local, chosen);
        Path resumed = tmp.resolve("resumed");
        assertThrows(ExecutorLost.class, () -> Landscape.compute(spec, resumed, new Landscape.Listener() {
            @Override
            public void stored(int index, int done, int total) {
                if (done == 17) {
                    throw new ExecutorLost();
                }
            }
        }));
        List<String> lines = new ArrayList<>();
        Landscape.compute(spec, resumed, spark, new Landscape.Listener() {
            @Override
            public void message(String line) {
                lines.add(line);
            }
        });
        assertTrue(lines.contains("resuming: 17 of 49 points done"), lines.toString());
        assertSameLandscape(local, resumed);
    }

    private static void assertSameLandscape(Path a, Path b) {
        Map<String, NpyArray> x = Landscape.read(a);
        Map<String, NpyArray> y = Landscape.read(b);
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) {
            assertArrayEquals(x.get(k).shape(), y.get(k).shape(), k);
            assertArrayEquals(bits(x.get(k).values()), bits(y.get(k).values()), k + " bit for bit");
        }
    }

    private static long[] bits(double[] v) {
        return java.util.Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    /** A member job whose first attempt at one member dies mid-run, as an executor lost to the cluster would. */
    static final class DiesOnce implements MemberJob {
        private static final long serialVersionUID = 1L;
        private final int member;
        private final long step;

        DiesOnce(int member, long step) {
            this.member = member;
            this.step = step;
        }

        @Override
        public MemberResult run(MemberTask task) {
            if (task.index() == member && TaskContext.get().attemptNumber() == 0) {
                Map<String, Object> tree = new Yaml().load(task.spec().yaml());
                Runner.start(Spec.fromMap(tree), Path.of(task.dir()), Runner.Options.defaults().withHook((run, t) -> {
                    if (t == step) {
                        throw new ExecutorLost();
                    }
                }));
            }
            return new RunMember().run(task);
        }
    }

    /** Not caught by the member job: the task attempt fails, as when its executor disappears. */
    static final class ExecutorLost extends Error {
        private static final long serialVersionUID = 1L;
    }
}
