package org.driftlab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.data.DirectoryLock;
import org.driftlab.experiment.Outcome;
import org.driftlab.experiment.RunResult;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;

/**
 * The member job every engine runs: the member's training run or study in its directory, started, resumed from its
 * checkpoint, or (when {@code member.json} already records it) not run at all. The member directory is locked
 * while the job runs ({@code .lock}, an OS file lock, released if the process dies), so two attempts at one member
 * never run at once; a job that finds the lock held throws {@link Busy} rather than recording a failure, so that
 * an engine which retries (Spark) tries again later and finds the result.
 */
public final class RunMember implements MemberJob {
    private static final long serialVersionUID = 1L;

    /** Step progress of a training member, from its spec; in-process engines only (not serialised: silent on Spark). */
    private final transient java.util.function.Function<Spec, Runner.Listener> progress;

    /** A job whose members run silently. */
    public RunMember() {
        this(null);
    }

    /** A job whose training members report their steps to the listener progress makes of their spec (null: none). */
    public RunMember(java.util.function.Function<Spec, Runner.Listener> progress) {
        this.progress = progress;
    }

    /** Another process or thread is running this member now. */
    public static final class Busy extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message);
        }
    }

    @Override
    public MemberResult run(MemberTask task) {
        Path dir = Path.of(task.dir());
        MemberResult recorded = SweepDirectory.readResult(dir);
        if (recorded != null) {
            return recorded;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DriftlabException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        try (DirectoryLock lock = DirectoryLock.acquire(dir, message -> new Busy("member " + task.id() + ": "
                + message))) {
            recorded = SweepDirectory.readResult(dir); // an attempt that held the lock before may have finished it
            if (recorded != null) {
                return recorded;
            }
            MemberResult r = execute(task, dir);
            SweepDirectory.writeResult(dir, r);
            return r;
        }
    }

    private MemberResult execute(MemberTask task, Path dir) {
        long start = System.nanoTime();
        try {
            Map<String, Object> tree = SweepDirectory.parseTree(task.spec().yaml());
            boolean begun = Files.exists(dir.resolve(Runner.SPEC));
            String outcome;
            Map<String, Double> summary;
            if (task.spec().study()) {
                StudyRunner.Result r = begun ? StudyRunner.resume(dir, line -> { })
                        : StudyRunner.start(StudySpec.fromMap(tree, task.quick()), dir, line -> { });
                outcome = Outcome.COMPLETED;
                summary = MemberSummary.study(r);
            } else {
                tree.remove("kind");
                Spec spec = begun ? Spec.fromMap(SpecLoader.readYaml(dir.resolve(Runner.SPEC))) : Spec.fromMap(tree);
                Runner.Options options = progress == null ? Runner.Options.defaults()
                        : Runner.Options.defaults().withListener(progress.apply(spec));
                RunResult r = begun ? Runner.resume(dir, options) : Runner.start(spec, dir, options);
                if (r.outcomes().size() != 1) {
                    throw new IllegalStateException("a sweep member is one run, got " + r.outcomes().size() + " sub-runs");
                }
                outcome = r.outcomes().get(0).outcome();
                summary = MemberSummary.training(r, 0);
            }
            return new MemberResult(task.index(), task.id(), outcome, "", seconds(start), summary);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // a member that throws is a result of the sweep (recorded with its message), not the end of it
            return MemberResult.failed(task, e, seconds(start));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
