package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.driftlab.experiment.Outcome;
import org.driftlab.experiment.Spec;
import org.junit.jupiter.api.Test;

/**
 * The ETA against a fake clock that charges what a real run costs: a cold eigen-solve at step 0, JIT-slow first
 * steps, cheap steps, and an expensive probe every few steps. The truth is the fake clock's remaining time, so the
 * printed ETAs are checked against it exactly as a user would (the promise: the first ETA within 2× of the truth).
 */
class ProgressListenerTest {
    /** Fake milliseconds: a plain step, a probe step's extra, step 0's cold probe, the JIT-slow steps' extra. */
    private static final long STEP = 10;
    private static final long PROBE = 250;
    private static final long COLD = 3000;
    private static final long JIT = 30;
    private static final int JIT_STEPS = 15;
    private static final int EVERY = 20;

    /** A clock the test advances. */
    private static final class FakeClock {
        long nanos;

        void advanceMillis(long ms) {
            nanos += ms * 1_000_000L;
        }
    }

    /** One printed ETA: at which fake time, the sub-run's and the job's seconds. */
    private record Printed(long atNanos, double eta, double job) {}

    /** Drives the listener through the sub-runs like Runner does and returns the ETAs it printed, and the end time. */
    private static List<Printed> simulate(FakeClock clock, int subRuns, long steps, boolean terminal, long[] end) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<Printed> printed = new ArrayList<>();
        ProgressListener listener = new ProgressListener(out, terminal, () -> clock.nanos, EVERY, subRuns);
        Pattern eta = Pattern.compile("ETA (\\S+?)(?:, job (\\S+?))?[ ]");
        for (int r = 0; r < subRuns; r++) {
            Spec.SubRun run = new Spec.SubRun(r, 0.04, 0);
            listener.started(run, 0, steps);
            clock.advanceMillis(COLD); // step 0's probes: a cold Lanczos
            for (long t = 1; t <= steps; t++) {
                clock.advanceMillis(STEP + (t <= JIT_STEPS && r == 0 ? JIT : 0) + (t % EVERY == 0 ? PROBE : 0));
                int before = bytes.size();
                listener.progress(run, t, steps, 1.0 / t, 20.0);
                byte[] all = bytes.toByteArray();
                String line = new String(all, before, all.length - before, StandardCharsets.UTF_8);
                Matcher m = eta.matcher(line);
                if (m.find() && !m.group(1).equals("?")) {
                    printed.add(new Printed(clock.nanos, seconds(m.group(1)), m.group(2) == null ? Double.NaN
                            : seconds(m.group(2))));
                }
            }
            listener.finished(run, new Outcome(run.tag(), run.lr(), run.seed(), Outcome.COMPLETED, steps, 0.1));
        }
        end[0] = clock.nanos;
        return printed;
    }

    /** Parses 45s, 3m07s, 1h02m. */
    private static double seconds(String s) {
        Matcher m = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?").matcher(s);
        assertTrue(m.matches(), s);
        double v = 0;
        v += m.group(1) == null ? 0 : 3600 * Double.parseDouble(m.group(1));
        v += m.group(2) == null ? 0 : 60 * Double.parseDouble(m.group(2));
        v += m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
        return v;
    }

    /**
     * The first ETA of a run, on a terminal (redrawn from the first step on) and in a log: within 2× of the truth,
     * and no ETA before a whole probe cycle has been timed. With this cost profile an estimate from the first step
     * alone (the cold probe) says about 5 h instead of 2 min, and one from a window of fewer than 20 steps misses
     * the probes' cost (about 3.5× too low).
     */
    @Test
    void firstEtaIsWithinTwiceTheTruth() {
        for (boolean terminal : new boolean[] {true, false}) {
            FakeClock clock = new FakeClock();
            long[] end = new long[1];
            List<Printed> printed = simulate(clock, 1, 500, terminal, end);
            assertTrue(!printed.isEmpty(), "no ETA printed");
            Printed first = printed.get(0);
            double truth = (end[0] - first.atNanos()) / 1e9;
            double ratio = first.eta() / truth;
            assertTrue(ratio >= 0.5 && ratio <= 2, "terminal=" + terminal + ": first ETA " + first.eta() + " s, truth "
                    + truth + " s");
            // every later ETA too (they are all estimates from at least a whole cycle)
            for (Printed p : printed) {
                double t = (end[0] - p.atNanos()) / 1e9;
                assertTrue(t < 5 || (p.eta() / t >= 0.5 && p.eta() / t <= 2), "ETA " + p.eta() + " s, truth " + t + " s");
            }
        }
    }

    /**
     * The job's ETA covers the sub-runs still to come: printed beside the sub-run's, within 2× of the time to the
     * job's end from its first appearance on, and equal to the sub-run's ETA on the last sub-run.
     */
    @Test
    void jobEtaCoversTheSubRunsToCome() {
        FakeClock clock = new FakeClock();
        long[] end = new long[1];
        List<Printed> printed = simulate(clock, 3, 300, false, end);
        Printed first = printed.get(0);
        double truth = (end[0] - first.atNanos()) / 1e9;
        assertTrue(first.job() / truth >= 0.5 && first.job() / truth <= 2, "job ETA " + first.job() + ", truth " + truth);
        assertTrue(first.job() > 2.5 * first.eta(), "the job's ETA counts the two sub-runs to come: " + first);
        Printed last = printed.get(printed.size() - 1);
        assertEquals(last.eta(), last.job(), 1.0, "on the last sub-run the job ends with it: " + last);
    }

    /** One sub-run: no job ETA is printed (it would repeat the run's). */
    @Test
    void oneSubRunPrintsNoJobEta() {
        long[] end = new long[1];
        List<Printed> printed = simulate(new FakeClock(), 1, 200, false, end);
        assertTrue(printed.stream().allMatch(p -> Double.isNaN(p.job())), printed.toString());
    }
}
