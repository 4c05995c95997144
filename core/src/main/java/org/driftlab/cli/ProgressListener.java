package org.driftlab.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Outcome;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;

/**
 * Run progress for humans: on a terminal one line rewritten with \r (step, ETA, latest loss and sharpness);
 * otherwise (CI, pipes) a plain log line about every 5% of a sub-run or every 30 s. Wall-clock time lives only
 * here, never in the metrics.
 *
 * <p>The ETA is the measured cost per step times the steps left. A step's cost is uneven: the probes (λ1 by
 * Lanczos, the test loss, …) run every few steps and can cost many steps each, and a sub-run's step 0 carries a
 * cold-started eigen-solve. So the clock of a sub-run starts after its first step (step 0's probes are behind it)
 * and no ETA is shown until it has timed one whole probe cycle (the largest probe period of the spec), which holds
 * every kind of step in its true proportion. Before that a later sub-run of the same job uses the cost per step
 * measured on the earlier ones. The job's ETA adds the steps of the runs still to come (sub-runs, or the members of
 * a sweep run one at a time) at the same cost (an upper bound when runs stop early, on a loss target or by
 * diverging).
 */
final class ProgressListener implements Runner.Listener {
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    /** Steps of one whole probe cycle: no ETA from a shorter window. */
    private long cycle;
    /** The runs of the job (sub-runs of a spec, or members of a sweep run one at a time). */
    private final int runs;
    /** Runs of the job started or already finished before this process (a resumed job skips those). */
    private int started;
    /** Sweep members: only the progress lines (the sweep prints each member's start, end and verdict itself). */
    private boolean stepsOnly;

    private long windowStartNanos;
    private long windowStartStep = -1;
    private long lastNanos;
    private long lastStep;
    /** Timed steps and nanoseconds of the earlier sub-runs of this job (in this process). */
    private long jobSteps;
    private long jobNanos;
    private long lastPrint;
    private long lastPrintStep;
    private String lastData;

    /**
     * @param clock nanoseconds, as {@link System#nanoTime} (tests pass a fake one)
     * @param cycle the largest probe period in steps (at least 1)
     * @param runs the runs of the job, run one after another, each with the step cap of the current one
     */
    ProgressListener(PrintStream out, boolean terminal, LongSupplier clock, long cycle, int runs) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.cycle = Math.max(1, cycle);
        this.runs = runs;
    }

    /** The listener of a run of this spec on the console. */
    static ProgressListener of(Spec spec, PrintStream out, boolean terminal) {
        return new ProgressListener(out, terminal, System::nanoTime, cycle(spec), spec.subRuns().size());
    }

    /**
     * The progress of a sweep's members run one after another in this process: one listener for all of them, so the
     * cost per step measured on the first members times the later ones, and the job's ETA covers the members to come.
     */
    static ProgressListener ofSweep(int members, PrintStream out, boolean terminal) {
        ProgressListener l = new ProgressListener(out, terminal, System::nanoTime, 1, members);
        l.stepsOnly = true;
        return l;
    }

    /** Runs of the job that finished before this process started (a resumed sweep skips them). */
    void skipped(int runsDone) {
        started = Math.max(started, runsDone);
    }

    /** This listener for a run of spec (a sweep member): its probe cycle. */
    ProgressListener forRun(Spec spec) {
        cycle = cycle(spec);
        return this;
    }

    /** The largest probe period of a spec, in steps. */
    private static long cycle(Spec spec) {
        long cycle = 1;
        for (String key : spec.probes().byKey().keySet()) {
            cycle = Math.max(cycle, spec.probes().every(key));
        }
        return cycle;
    }

    @Override
    public void data(Spec.SubRun run, String description) {
        if (!stepsOnly && !description.equals(lastData)) {
            out.println("data: " + description);
            lastData = description;
        }
    }

    @Override
    public void started(Spec.SubRun run, long from, long total) {
        windowStartStep = -1;
        started = Math.max(started + 1, run.index() + 1);
        lastPrint = clock.getAsLong();
        lastPrintStep = from;
        if (!terminal && !stepsOnly) {
            out.printf("%s h=%s seed=%d: %s at step %d of %d%n", run.tag(), run.lr(), run.seed(),
                    from == 0 ? "starting" : "resuming", from, total);
        }
    }

    @Override
    public void progress(Spec.SubRun run, long step, long total, double loss, double sharpness) {
        long now = clock.getAsLong();
        if (windowStartStep < 0) { // the first step (and step 0's probes) are behind us: start timing here
            windowStartStep = step;
            windowStartNanos = now;
        }
        lastNanos = now;
        lastStep = step;
        double perStep = secondsPerStep();
        String eta = Double.isNaN(perStep) ? "?" : formatSeconds(perStep * (total - step));
        String job = runs > 1 && !Double.isNaN(perStep)
                ? ", job " + formatSeconds(perStep * (total - step + total * Math.max(0, runs - started)))
                : "";
        if (terminal) {
            if (now - lastPrint < 100_000_000L && step < total) {
                return; // at most ten redraws a second
            }
            lastPrint = now;
            int width = 24;
            int filled = (int) (width * step / Math.max(1, total));
            String bar = "=".repeat(filled) + " ".repeat(width - filled);
            out.printf("\r%s h=%s [%s] %d/%d ETA %s%s  E=%s  λ1=%s   ", run.tag(), run.lr(), bar, step, total, eta, job,
                    fmt(loss), fmt(sharpness));
            out.flush();
        } else if (step - lastPrintStep >= Math.max(1, total / 20) || now - lastPrint > 30_000_000_000L) {
            lastPrint = now;
            lastPrintStep = step;
            out.printf("%s h=%s step %d/%d ETA %s%s E=%s λ1=%s%n", run.tag(), run.lr(), step, total, eta, job, fmt(loss),
                    fmt(sharpness));
        }
    }

    /**
     * Seconds per step: this sub-run's once it has timed a whole probe cycle (pooled with the earlier sub-runs'),
     * else the earlier sub-runs', else NaN (not known yet).
     */
    double secondsPerStep() {
        long steps = windowStartStep < 0 ? 0 : lastStep - windowStartStep;
        long nanos = windowStartStep < 0 ? 0 : lastNanos - windowStartNanos;
        if (steps >= cycle) {
            return (jobNanos + nanos) / 1e9 / (jobSteps + steps);
        }
        return jobSteps > 0 ? jobNanos / 1e9 / jobSteps : Double.NaN;
    }

    @Override
    public void finished(Spec.SubRun run, Outcome o) {
        if (windowStartStep >= 0) {
            jobSteps += lastStep - windowStartStep;
            jobNanos += lastNanos - windowStartNanos;
            windowStartStep = -1;
        }
        if (terminal) {
            out.print("\r" + " ".repeat(100) + "\r");
        }
        if (stepsOnly) {
            return;
        }
        out.printf("%s h=%s seed=%d: %s at step %d, final loss %s%n", run.tag(), run.lr(), run.seed(), o.outcome(),
                o.step(), fmt(o.finalLoss()));
    }

    @Override
    public void judged(Spec.SubRun run, EdgeOfStability.Verdict edge) {
        if (stepsOnly) {
            return;
        }
        out.printf("%s h=%s seed=%d: edge of stability: %s%n", run.tag(), run.lr(), run.seed(), edge.describe());
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    static String formatSeconds(double s) {
        if (s < 60) {
            return String.format(java.util.Locale.ROOT, "%.0fs", s);
        }
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%dh%02dm", (long) s / 3600, ((long) s % 3600) / 60);
    }
}
