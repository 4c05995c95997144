package org.driftlab.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The edge-of-stability verdict on one sharpness trace (Cohen et al. 2021): did λ_1 reach 2/h, and did it then
 * stay there? Computed once, by the runner at the end of each sub-run, stored in {@code provenance.json} and read
 * from there by the report and the console. h is read per probe, so schedules are handled.
 *
 * <ul>
 *   <li><b>crossing</b>: the first probe step with λ_1 ≥ 2/h;</li>
 *   <li><b>self-stabilising drop</b>: the first probe after the crossing at which λ_1 falls (GD overshoots 2/h,
 *       then the instability pulls λ_1 back: Damian et al.'s self-stabilisation);</li>
 *   <li><b>share at the edge</b>: from that drop on, the share of probes with λ_1 within ±{@link #TOLERANCE}
 *       (relative) of 2/h;</li>
 *   <li><b>median offset</b>: the median over the same probes of (λ_1 − 2/h)/(2/h): Cohen et al. see λ_1 hover
 *       slightly above 2/h, so a small positive offset is the signature.</li>
 * </ul>
 * The verdict is {@code at the edge} when the share is at least {@link #HELD_SHARE} over at least
 * {@link #MIN_PROBES} probes, {@code crossed, not held} when it is smaller, {@code too short to judge} when too few
 * probes follow the drop, and {@code not reached} without a crossing.
 *
 * <p>A run whose h drops at given steps (a step schedule) is judged per <em>phase</em> ({@link Verdict}): each
 * stretch of constant h against its own 2/h, because after a drop the iterate is stable again and λ_1 climbs to the
 * new 2/h (Cohen et al. 2021, §3); judging the whole trace at once would count that climb as falling off the edge.
 */
public final class EdgeOfStability {
    /** ±10% of 2/h counts as at the edge (Cohen et al.'s figures hover within a few percent). */
    public static final double TOLERANCE = 0.10;
    /** At the edge when at least half of the probes after the drop are within the tolerance. */
    public static final double HELD_SHARE = 0.5;
    /** Fewer probes after the drop than this cannot support a verdict. */
    public static final int MIN_PROBES = 3;

    private EdgeOfStability() {}

    /** The verdicts, in words as printed and stored. */
    public static final String AT_EDGE = "at the edge";
    /** Crossed 2/h but did not stay within the tolerance. */
    public static final String NOT_HELD = "crossed, not held";
    /** Crossed too late for a verdict on holding. */
    public static final String TOO_SHORT = "too short to judge";
    /** λ_1 stayed below 2/h. */
    public static final String NOT_REACHED = "not reached";

    /**
     * The detector result.
     *
     * @param firstStep first step with λ_1 ≥ 2/h, or -1 when never reached
     * @param dropStep the step of the first self-stabilising drop, or -1
     * @param shareAtEdge share of probes from the drop on within the tolerance (NaN when there are none)
     * @param probes number of probes from the drop on
     * @param medianOffset median of (λ_1 − 2/h)/(2/h) over those probes (NaN when there are none)
     */
    public record Result(long firstStep, long dropStep, double shareAtEdge, int probes, double medianOffset) {
        /** True when 2/h was reached. */
        public boolean reached() {
            return firstStep >= 0;
        }

        /** The verdict in words. */
        public String verdict() {
            if (!reached()) {
                return NOT_REACHED;
            }
            if (probes < MIN_PROBES) {
                return TOO_SHORT;
            }
            return shareAtEdge >= HELD_SHARE ? AT_EDGE : NOT_HELD;
        }

        /** One line: the verdict and its numbers. */
        public String describe() {
            if (!reached()) {
                return verdict();
            }
            String s = String.format(Locale.ROOT, "%s: λ1 ≥ 2/h at step %d", verdict(), firstStep);
            if (probes > 0) {
                s += String.format(Locale.ROOT, "; after the drop at step %d, %.0f%% of %d probes within ±%.0f%% of "
                        + "2/h, median offset %+.1f%%", dropStep, 100 * shareAtEdge, probes, 100 * TOLERANCE,
                        100 * medianOffset);
            }
            return s;
        }

        /** The result as stored by {@link #toMap} (absent numbers are null). */
        public static Result fromMap(Map<?, ?> m) {
            return new Result(m.get("first_step") instanceof Number n ? n.longValue() : -1,
                    m.get("drop_step") instanceof Number n ? n.longValue() : -1,
                    m.get("share") instanceof Number n ? n.doubleValue() : Double.NaN,
                    m.get("probes") instanceof Number n ? n.intValue() : 0,
                    m.get("median_offset") instanceof Number n ? n.doubleValue() : Double.NaN);
        }

        /** The result as stored in provenance.json. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("verdict", verdict());
            m.put("first_step", reached() ? firstStep : null);
            m.put("drop_step", dropStep >= 0 ? dropStep : null);
            m.put("share", probes > 0 ? shareAtEdge : null);
            m.put("probes", probes);
            m.put("median_offset", probes > 0 ? medianOffset : null);
            return m;
        }
    }

    /**
     * The verdict on one phase of a run.
     *
     * @param from the phase's first step
     * @param h the phase's learning rate (at its first sharpness probe; NaN when it has none)
     */
    public record Phase(long from, double h, Result result) {}

    /**
     * The verdict on a whole sub-run: one {@link Phase} per stretch of constant h (one for a constant rate, a
     * warm-up or a cosine schedule, whose 2/h is then read per probe).
     */
    public record Verdict(List<Phase> phases) {
        /** Immutable copy; at least one phase. */
        public Verdict {
            phases = List.copyOf(phases);
            if (phases.isEmpty()) {
                throw new IllegalArgumentException("a verdict has at least one phase");
            }
        }

        /** The verdict of the first phase (the whole run when there is one). */
        public Result first() {
            return phases.get(0).result();
        }

        /** One line: the verdict and its numbers, phase by phase. */
        public String describe() {
            if (phases.size() == 1) {
                return first().describe();
            }
            StringBuilder s = new StringBuilder();
            for (Phase p : phases) {
                s.append(s.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "from step %d (2/h = %.3g): ",
                        p.from(), 2 / p.h())).append(p.result().describe());
            }
            return s.toString();
        }

        /**
         * The verdict as stored in provenance.json: a single phase as {@link Result#toMap} (the format of runs without
         * a step schedule, unchanged), several as {@code verdict} (all phases' words) and {@code phases} (each phase's
         * {@code from}, {@code h} and result).
         */
        public Map<String, Object> toMap() {
            if (phases.size() == 1) {
                return first().toMap();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            List<String> words = new ArrayList<>();
            List<Object> list = new ArrayList<>();
            for (Phase p : phases) {
                words.add(p.result().verdict());
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("from", p.from());
                x.put("h", Double.isNaN(p.h()) ? null : p.h());
                x.putAll(p.result().toMap());
                list.add(x);
            }
            m.put("verdict", String.join(" / ", words));
            m.put("phases", list);
            return m;
        }

        /** The verdict as stored by {@link #toMap}. */
        public static Verdict fromMap(Map<?, ?> m) {
            if (!(m.get("phases") instanceof List<?> list)) {
                return new Verdict(List.of(new Phase(0, Double.NaN, Result.fromMap(m))));
            }
            List<Phase> out = new ArrayList<>();
            for (Object o : list) {
                Map<?, ?> x = (Map<?, ?>) o;
                out.add(new Phase(x.get("from") instanceof Number n ? n.longValue() : 0,
                        x.get("h") instanceof Number n ? n.doubleValue() : Double.NaN, Result.fromMap(x)));
            }
            return new Verdict(out);
        }
    }

    /** The first step of each phase of constant h of a spec: the drops of a step schedule, else one phase. */
    public static List<Long> phaseStarts(Spec spec) {
        List<Long> starts = new ArrayList<>(List.of(0L));
        if (spec.schedule().name().equals("step")) {
            for (long at : spec.schedule().at()) {
                if (at > starts.get(starts.size() - 1) && at > spec.schedule().warmup()) {
                    starts.add(at);
                }
            }
        }
        return starts;
    }

    /** The verdict on the sharpness rows of one sub-run, phase by phase (phase starts ascending, the first 0). */
    public static Verdict judge(Metrics subRun, List<Long> phaseStarts) {
        Metrics s = subRun.nonEmpty("sharpness");
        long[] steps = s.longCol("step");
        double[] lam = s.col("sharpness");
        double[] h = s.col("h");
        List<Phase> phases = new ArrayList<>();
        for (int k = 0; k < phaseStarts.size(); k++) {
            long from = phaseStarts.get(k);
            long to = k + 1 < phaseStarts.size() ? phaseStarts.get(k + 1) : Long.MAX_VALUE;
            int a = 0;
            while (a < steps.length && steps[a] < from) {
                a++;
            }
            int b = a;
            while (b < steps.length && steps[b] < to) {
                b++;
            }
            phases.add(new Phase(from, a < b ? h[a] : Double.NaN, detect(Arrays.copyOfRange(steps, a, b),
                    Arrays.copyOfRange(lam, a, b), Arrays.copyOfRange(h, a, b))));
        }
        return new Verdict(phases);
    }

    /** Runs the detectors on parallel arrays; NaN sharpness entries (not measured) are skipped. */
    public static Result detect(long[] steps, double[] sharpness, double[] h) {
        long first = -1;
        long drop = -1;
        double previous = Double.NaN;
        List<Double> offsets = new ArrayList<>();
        int within = 0;
        for (int i = 0; i < steps.length; i++) {
            double s = sharpness[i];
            if (Double.isNaN(s) || Double.isNaN(h[i])) {
                continue;
            }
            double edge = 2 / h[i];
            if (first < 0 && s >= edge) {
                first = steps[i];
            } else if (first >= 0 && drop < 0 && s < previous) {
                drop = steps[i];
            }
            if (drop >= 0) {
                double offset = (s - edge) / edge;
                offsets.add(offset);
                if (Math.abs(offset) <= TOLERANCE) {
                    within++;
                }
            }
            previous = s;
        }
        int n = offsets.size();
        double median = Double.NaN;
        if (n > 0) {
            double[] o = offsets.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(o);
            median = n % 2 == 1 ? o[n / 2] : 0.5 * (o[n / 2 - 1] + o[n / 2]);
        }
        return new Result(first, drop, n == 0 ? Double.NaN : (double) within / n, n, median);
    }

    /** The verdict of a sub-run as a finished run stored it in provenance.json, or null when it stored none. */
    public static Verdict stored(Map<String, Object> provenance, String tag) {
        if (provenance.get("outcomes") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && tag.equals(String.valueOf(m.get("run")))
                        && m.get("edge") instanceof Map<?, ?> e) {
                    return Verdict.fromMap(e);
                }
            }
        }
        return null;
    }

    /** The detectors on the sharpness rows of a metrics table (one sub-run) as one phase. */
    public static Result of(Metrics subRun) {
        return judge(subRun, List.of(0L)).first();
    }
}
