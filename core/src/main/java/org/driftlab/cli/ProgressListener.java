package org.driftlab.cli;

import java.io.PrintStream;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Outcome;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;

/**
 * Run progress for humans: on a terminal one line rewritten with \r (step, ETA, latest loss and sharpness);
 * otherwise (CI, pipes) a plain log line about every 5% of a sub-run or every 30 s. Wall-clock time lives only
 * here, never in the metrics.
 */
final class ProgressListener implements Runner.Listener {
    private final PrintStream out;
    private final boolean terminal;
    private long startNanos;
    private long startStep;
    private long lastPrint;
    private long lastPrintStep;
    private String lastData;

    ProgressListener(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void data(Spec.SubRun run, String description) {
        if (!description.equals(lastData)) {
            out.println("data: " + description);
            lastData = description;
        }
    }

    @Override
    public void started(Spec.SubRun run, long from, long total) {
        startNanos = System.nanoTime();
        startStep = from;
        lastPrint = 0;
        lastPrintStep = from;
        if (!terminal) {
            out.printf("%s h=%s seed=%d: %s at step %d of %d%n", run.tag(), run.lr(), run.seed(),
                    from == 0 ? "starting" : "resuming", from, total);
        }
    }

    @Override
    public void progress(Spec.SubRun run, long step, long total, double loss, double sharpness) {
        long now = System.nanoTime();
        double elapsed = (now - startNanos) / 1e9;
        double rate = (step - startStep) / Math.max(elapsed, 1e-9);
        String eta = rate > 0 ? formatSeconds((total - step) / rate) : "?";
        if (terminal) {
            if (now - lastPrint < 100_000_000L && step < total) {
                return; // at most ten redraws a second
            }
            lastPrint = now;
            int width = 24;
            int filled = (int) (width * step / Math.max(1, total));
            String bar = "=".repeat(filled) + " ".repeat(width - filled);
            out.printf("\r%s h=%s [%s] %d/%d ETA %s  E=%s  λ1=%s   ", run.tag(), run.lr(), bar, step, total, eta,
                    fmt(loss), fmt(sharpness));
            out.flush();
        } else if (step - lastPrintStep >= Math.max(1, total / 20) || now - lastPrint > 30_000_000_000L) {
            lastPrint = now;
            lastPrintStep = step;
            out.printf("%s h=%s step %d/%d ETA %s E=%s λ1=%s%n", run.tag(), run.lr(), step, total, eta, fmt(loss),
                    fmt(sharpness));
        }
    }

    @Override
    public void finished(Spec.SubRun run, Outcome o) {
        if (terminal) {
            out.print("\r" + " ".repeat(100) + "\r");
        }
        out.printf("%s h=%s seed=%d: %s at step %d, final loss %s%n", run.tag(), run.lr(), run.seed(), o.outcome(),
                o.step(), fmt(o.finalLoss()));
    }

    @Override
    public void judged(Spec.SubRun run, EdgeOfStability.Verdict edge) {
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
