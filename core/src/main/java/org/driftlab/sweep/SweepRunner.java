package org.driftlab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.DirectoryLock;
import org.driftlab.experiment.Provenance;
import org.driftlab.experiment.RunIdentity;
import org.driftlab.experiment.Runner;

/**
 * Runs a {@link SweepPlan} into a sweep directory ({@link SweepDirectory}) on an engine: writes sweep.yaml and
 * provenance.json, hands the unfinished members to the engine, and rewrites sweep.csv / sweep.jsonl as each member
 * ends. {@link #resume} continues a sweep killed at any moment: finished members (those with member.json) are
 * skipped, started ones resume from their checkpoints, the rest start; the tables end as an uninterrupted sweep's.
 * The sweep directory is locked while a process runs it.
 */
public final class SweepRunner {
    private SweepRunner() {}

    /** Progress of a sweep: one call per finished member. */
    public interface Listener {
        /** The sweep starts (or resumes) with done of total members already finished. */
        default void started(Path dir, int done, int total, SweepEngine engine) {}

        /**
         * A member finished.
         *
         * @param done members finished so far, this one included
         * @param etaSeconds the estimated time until the whole sweep is done (from this process's throughput)
         */
        default void finished(Member member, MemberResult result, int done, int total, double etaSeconds) {}
    }

    /** The members' results in member order. */
    public record Result(Path dir, List<MemberResult> results) {}

    /** Starts a sweep in dir, which must not exist or be empty ({@link DirectoryLock#create}). */
    public static Result start(SweepPlan plan, Path dir, SweepEngine engine, Listener listener) {
        return start(plan, dir, engine, listener, new RunMember());
    }

    /** Starts a sweep with another member job (tests use one that fails on purpose). */
    public static Result start(SweepPlan plan, Path dir, SweepEngine engine, Listener listener, MemberJob job) {
        // claimed and locked before anything is written: at every instant the directory is absent, empty but for
        // its lock (a kill right after creating it; the same command starts there again), or a resumable sweep
        try (DirectoryLock lock = DirectoryLock.create(dir, "sweep")) {
            return startLocked(plan, dir, engine, listener, job);
        }
    }

    private static Result startLocked(SweepPlan plan, Path dir, SweepEngine engine, Listener listener, MemberJob job) {
        Map<String, Object> prov = Provenance.start(String.valueOf(plan.base().getOrDefault("name", "")));
        prov.put("kind", "sweep");
        prov.put("axes", plan.spec().keys());
        prov.put("members", plan.members().size());
        prov.put("quick", plan.quick());
        prov.put("engine", engine.describe("member"));
        String yaml = MemberSpec.toYaml(plan.toMap());
        RunIdentity.record(prov, yaml);
        // provenance first: a directory with sweep.yaml (what makes it a sweep) always has it. No hidden directory
        // beside --out: the locked directory is at every instant absent, empty but for its lock and temporaries (a
        // kill while starting; the same command starts there again and resume says nothing started), or a sweep
        Provenance.write(dir, prov);
        AtomicFiles.writeString(dir.resolve(SweepDirectory.SWEEP_YAML), yaml);
        try {
            Files.createDirectories(dir.resolve(SweepDirectory.MEMBERS));
        } catch (IOException e) {
            throw new DriftlabException("cannot create " + dir.resolve(SweepDirectory.MEMBERS) + ": "
                    + AtomicFiles.describe(e), e);
        }
        return execute(plan, dir, engine, listener, job, prov);
    }

    /** The plan of the sweep in dir, re-read from sweep.yaml (and provenance.json's quick flag). */
    public static SweepPlan plan(Path dir) {
        if (!SweepDirectory.isSweep(dir)) {
            throw new DriftlabException(dir + " is not a sweep directory (no " + SweepDirectory.SWEEP_YAML + ")");
        }
        Map<String, Object> tree = SweepDirectory.readTree(dir.resolve(SweepDirectory.SWEEP_YAML));
        boolean quick = Boolean.TRUE.equals(SweepDirectory.readTree(dir.resolve(SweepDirectory.PROVENANCE)).get("quick"));
        return SweepPlan.of(tree, Set.of(), SweepSpec.HARD_LIMIT, quick);
    }

    /** True when every member of the sweep in dir has its result and provenance records the end. */
    public static boolean isFinished(Path dir) {
        if (!SweepDirectory.isSweep(dir)
                || SweepDirectory.readTree(dir.resolve(SweepDirectory.PROVENANCE)).get("end") == null) {
            return false;
        }
        for (Member m : plan(dir).members()) {
            if (SweepDirectory.readResult(SweepDirectory.memberDir(dir, m)) == null) {
                return false;
            }
        }
        return true;
    }

    /** Continues the sweep in dir: finished members are kept, started ones resume, the others start. */
    public static Result resume(Path dir, SweepPlan plan, SweepEngine engine, Listener listener) {
        return resume(dir, plan, engine, listener, new RunMember());
    }

    /**
     * The refusals of {@link #resume} that need no engine (the directory in use by another driftlab, a sweep.yaml or
     * code that changed since the start), checked before the caller starts one: a Spark context costs seconds.
     */
    public static void checkResumable(Path dir) {
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            RunIdentity.verify(Provenance.read(dir), dir.resolve(SweepDirectory.SWEEP_YAML), Set.of(), false, null);
        }
    }

    /** Continues a sweep with another member job. */
    @SuppressWarnings("unchecked")
    public static Result resume(Path dir, SweepPlan plan, SweepEngine engine, Listener listener, MemberJob job) {
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) { // before cleaning: the temporaries may be a live run's
            return resumeLocked(dir, plan, engine, listener, job);
        }
    }

    @SuppressWarnings("unchecked")
    private static Result resumeLocked(Path dir, SweepPlan plan, SweepEngine engine, Listener listener, MemberJob job) {
        Map<String, Object> prov = Provenance.read(dir);
        // a sweep cannot continue under another spec or code: its members and their ids come from sweep.yaml
        RunIdentity.verify(prov, dir.resolve(SweepDirectory.SWEEP_YAML), Set.of(), false, null);
        AtomicFiles.cleanTemporaries(dir);
        ((List<Object>) prov.computeIfAbsent("resumed", k -> new ArrayList<>())).add(Instant.now().toString());
        prov.put("engine", engine.describe("member"));
        prov.put("end", null);
        return execute(plan, dir, engine, listener, job, prov);
    }

    private static Result execute(SweepPlan plan, Path dir, SweepEngine engine, Listener listener, MemberJob job,
                                  Map<String, Object> prov) {
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            return executeLocked(plan, dir, engine, listener, job, prov);
        }
    }

    private static Result executeLocked(SweepPlan plan, Path dir, SweepEngine engine, Listener listener, MemberJob job,
                                        Map<String, Object> prov) {
        Provenance.write(dir, prov);
        List<Member> members = plan.members();
        List<String> axes = plan.spec().keys();
        TreeMap<Integer, MemberResult> results = new TreeMap<>();
        List<MemberTask> tasks = new ArrayList<>();
        for (Member m : members) {
            Path md = SweepDirectory.memberDir(dir, m).toAbsolutePath();
            MemberResult r = SweepDirectory.readResult(md);
            if (r != null) {
                results.put(m.index(), r);
            } else {
                tasks.add(new MemberTask(m.index(), m.id(), plan.memberSpecs().get(m.index()), md.toString(),
                        plan.quick()));
            }
        }
        SweepDirectory.writeTables(dir, axes, members, new ArrayList<>(results.values()));
        listener.started(dir, results.size(), members.size(), engine);
        long start = System.nanoTime();
        int[] doneHere = {0};
        engine.run(tasks, job, r -> {
            results.put(r.index(), r);
            doneHere[0]++;
            SweepDirectory.writeTables(dir, axes, members, new ArrayList<>(results.values()));
            double elapsed = (System.nanoTime() - start) / 1e9;
            double eta = elapsed / doneHere[0] * (members.size() - results.size());
            listener.finished(members.get(r.index()), r, results.size(), members.size(), eta);
        });
        Map<String, Object> counts = new TreeMap<>();
        for (MemberResult r : results.values()) {
            counts.merge(r.outcome(), 1, (a, b) -> (Integer) a + (Integer) b);
        }
        prov.put("end", Instant.now().toString());
        prov.put("outcomes", counts);
        Provenance.write(dir, prov);
        return new Result(dir, new ArrayList<>(results.values()));
    }
}
