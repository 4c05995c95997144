package org.driftlab.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Sweeps on the local engine: outcomes across 2/λ_max, members bitwise equal to runs alone, failing members. */
public class SweepRunnerTest {
    @TempDir
    Path tmp;

    /** The sweep: GD on ½θᵀdiag(1, 10)θ is stable exactly for h < 2/λ_max = 0.2. */
    static final String QUADRATIC = """
            name: q-sweep
            model: "quadratic:eigs=1,10"
            optimizer: {name: gd}
            stop: {steps: 200}
            sweep:
              grid:
                optimizer.lr: [0.1, 0.19, 0.21]
                seed: [0, 1]
            """;

    static Map<String, Object> tree(String yaml) {
        return new Yaml().load(yaml);
    }

    static SweepPlan plan(String yaml) {
        return SweepPlan.of(tree(yaml), Set.of(), SweepSpec.DEFAULT_LIMIT, false);
    }

    static SweepRunner.Result run(SweepPlan plan, Path dir, int parallel) {
        return SweepRunner.start(plan, dir, new LocalEngine(new EngineOptions(parallel, plan.maxThreads(), null)),
                new SweepRunner.Listener() {});
    }

    static List<CSVRecord> rows(Path csv) throws IOException {
        try (Reader r = Files.newBufferedReader(csv);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            return p.getRecords();
        }
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void aQuadraticSweepAcrossTwoOverLambdaMaxConvergesBelowAndDivergesAbove() throws Exception {
        Path dir = tmp.resolve("q");
        run(plan(QUADRATIC), dir, 2);
        List<CSVRecord> rows = rows(dir.resolve(SweepDirectory.CSV));
        assertEquals(6, rows.size());
        assertEquals(List.of("optimizer.lr", "seed", "member", "outcome", "message", "wall_seconds"),
                rows.get(0).getParser().getHeaderNames().subList(0, 6));
        for (CSVRecord r : rows) {
            double h = Double.parseDouble(r.get("optimizer.lr"));
            double loss = Double.parseDouble(r.get("final_train_loss"));
            if (h < 0.2) {
                // |1 − hλ| ≤ 0.9 for both eigenvalues, so after 200 steps E has shrunk by at least 0.9^400 ≈ 5e-19
                assertEquals("completed", r.get("outcome"), r.toString());
                assertEquals(200, Double.parseDouble(r.get("steps")));
                assertTrue(loss < 1e-15, r.toString());
            } else {
                // |1 − 0.21·10| = 1.1: E grows by 1.21 a step and passes the divergence bound 1000·E(θ0) near step 36
                assertEquals("diverged", r.get("outcome"), r.toString());
                assertTrue(Double.parseDouble(r.get("steps")) < 60, r.toString());
            }
        }
        assertEquals(List.of("lr=0.1,seed=0", "lr=0.1,seed=1", "lr=0.19,seed=0", "lr=0.19,seed=1", "lr=0.21,seed=0",
                "lr=0.21,seed=1"), rows.stream().map(r -> r.get("member")).toList());
        // every member is an ordinary run directory
        for (CSVRecord r : rows) {
            Path m = dir.resolve(SweepDirectory.MEMBERS).resolve(r.get("member"));
            assertTrue(Files.exists(m.resolve(Runner.SPEC)) && Files.exists(m.resolve("metrics.csv")), m.toString());
        }
        Map<String, Object> sweepYaml = tree(Files.readString(dir.resolve(SweepDirectory.SWEEP_YAML)));
        assertEquals(Map.of("grid", Map.of("optimizer.lr", List.of(0.1, 0.19, 0.21), "seed", List.of(0, 1))),
                sweepYaml.get("sweep"));
        assertEquals(6, Files.readAllLines(dir.resolve(SweepDirectory.JSONL)).size());
    }

    /** A member of a parallel sweep is the same run alone, to the bit: metrics files and the final θ. */
    @Test
    void aLocalMemberIsBitwiseTheSameRunAlone() throws Exception {
        // 1 and 2 threads per member, and an axis over threads: members of different counts side by side
        for (String threads : new String[] {"seed: [0, 1]\nthreads: [1]", "seed: [0, 1]\nthreads: [2]",
            "threads: [1, 2]"}) {
            String yaml = """
                    name: bits
                    model: fc-tanh:24
                    data: synthetic:blobs:n=120,d=6,k=3,seed=4
                    optimizer: {name: momentum}
                    probes: {sharpness: 5, k: 2, distance: 5}
                    stop: {steps: 30}
                    checkpoint_every: 7
                    sweep:
                      grid:
                        optimizer.lr: [0.05, 0.3]
                        %s
                    """.formatted(threads.replace("\n", "\n    "));
            SweepPlan plan = plan(yaml);
            Path dir = tmp.resolve("bits" + threads.hashCode());
            run(plan, dir, 2);
            for (Member m : plan.members()) {
                Path alone = tmp.resolve("alone" + threads.hashCode() + "-" + m.index());
                Runner.start(Spec.fromMap(SweepPlan.memberTree(plan.base(), m)), alone, Runner.Options.defaults());
                Path in = SweepDirectory.memberDir(dir, m);
                for (String f : List.of("metrics.csv", "metrics.jsonl")) {
                    assertArrayEquals(Files.readAllBytes(alone.resolve(f)), Files.readAllBytes(in.resolve(f)), m.id() + " " + f);
                }
                assertEquals(sha256(alone.resolve("theta_final_r0.npy")), sha256(in.resolve("theta_final_r0.npy")), m.id());
            }
        }
    }

    @Test
    void aMemberThatThrowsIsRecordedAndTheSweepGoesOn() throws Exception {
        // a data file that exists (so the up-front checks pass) but holds a word where a number belongs: the member
        // fails when it loads its data: the file is valid when the sweep is planned (which checks it) and broken
        // by the time the member runs
        Path broken = tmp.resolve("broken-data.csv");
        Files.writeString(broken, "x1,x2,label\n1.0,2.0,0\n0.5,1.5,1\n");
        String yaml = """
                name: faults
                model: fc-tanh:4
                optimizer: {name: gd, lr: 0.1}
                stop: {steps: 5}
                sweep:
                  grid:
                    data: ["synthetic:blobs:n=30,d=3,k=2,seed=1", "csv:%s", "synthetic:blobs:n=30,d=3,k=2,seed=2"]
                """.formatted(broken);
        Path dir = tmp.resolve("faults");
        SweepPlan planned = plan(yaml);
        Files.writeString(broken, "x1,x2,label\n1.0,2.0,0\n0.5,fast,1\n");
        SweepRunner.Result r = run(planned, dir, 2);
        assertEquals(List.of("completed", "failed", "completed"), r.results().stream().map(MemberResult::outcome).toList());
        List<CSVRecord> rows = rows(dir.resolve(SweepDirectory.CSV));
        assertEquals("failed", rows.get(1).get("outcome"));
        String msg = rows.get(1).get("message");
        assertTrue(msg.contains("broken-data.csv") && msg.contains("not a number") && !msg.contains("\n"), msg);
        assertEquals("", rows.get(0).get("message"));
        assertTrue(Files.exists(dir.resolve(SweepDirectory.MEMBERS).resolve(rows.get(1).get("member")).resolve(SweepDirectory.RESULT)));
    }

    /** A member job that dies half-way (a kill) leaves the member to be resumed; nothing is run twice. */
    @Test
    void resumeSkipsFinishedMembersAndResumesInterruptedOnes() throws Exception {
        String yaml = """
                name: resume
                model: fc-tanh:6
                data: synthetic:blobs:n=40,d=4,k=3,seed=2
                optimizer: {name: gd}
                probes: {sharpness: 4}
                stop: {steps: 40}
                checkpoint_every: 5
                sweep:
                  grid:
                    optimizer.lr: [0.05, 0.1, 0.2]
                    seed: [0, 1]
                """;
        SweepPlan plan = plan(yaml);
        Path ref = tmp.resolve("ref");
        run(plan, ref, 2);
        Path dir = tmp.resolve("killed");
        // the job of member 3 "dies" after its run has started and checkpointed, member 4's before it starts
        List<Integer> started = new ArrayList<>();
        MemberJob dying = task -> {
            synchronized (started) {
                started.add(task.index());
            }
            if (task.index() == 4) {
                throw new IllegalStateException("killed before starting");
            }
            MemberResult res = new RunMember().run(task);
            if (task.index() == 3) {
                try {
                    Files.delete(Path.of(task.dir()).resolve(SweepDirectory.RESULT)); // as if killed before writing it
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
            return res;
        };
        SweepRunner.start(plan, dir, new LocalEngine(new EngineOptions(2, 1, null)), new SweepRunner.Listener() {}, dying);
        List<Integer> resumed = new ArrayList<>();
        SweepRunner.resume(dir, SweepRunner.plan(dir), new LocalEngine(new EngineOptions(2, 1, null)),
                new SweepRunner.Listener() {
                    @Override
                    public void finished(Member m, MemberResult r, int done, int total, double eta) {
                        resumed.add(m.index());
                    }
                });
        assertEquals(Set.of(3, 4), Set.copyOf(resumed));
        assertEquals(withoutWallTimes(ref), withoutWallTimes(dir));
        try (Stream<Path> s = Files.list(dir.resolve(SweepDirectory.MEMBERS))) {
            assertEquals(6, s.count());
        }
        assertFalse(Files.exists(dir.resolve("members/lr=0.2,seed=0/.tmp")));
    }

    /** sweep.csv with the wall_seconds column blanked (the one column that differs between identical sweeps). */
    public static List<String> withoutWallTimes(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        List<CSVRecord> rows = rows(dir.resolve(SweepDirectory.CSV));
        List<String> header = rows.isEmpty() ? List.of() : rows.get(0).getParser().getHeaderNames();
        out.add(String.join(",", header));
        for (CSVRecord r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : header) {
                cells.add(c.equals("wall_seconds") ? "" : r.get(c));
            }
            out.add(String.join("|", cells));
        }
        return out;
    }
}
