package org.driftlab.report;

/**
 * Edge-of-stability detectors over a sharpness trace: the first probe step where λ_1 ≥ 2/h, and the share of
 * later probes with λ_1 within ±tolerance of 2/h (h read per row, so schedules are handled).
 */
public final class EdgeOfStability {
    private EdgeOfStability() {}

    /**
     * The detector result.
     *
     * @param firstStep first step with λ_1 ≥ 2/h, or -1 when never reached
     * @param shareAtEdge share of later probes within the tolerance (NaN when there are none)
     * @param probesAfter number of sharpness probes after the first step
     */
    public record Result(long firstStep, double shareAtEdge, int probesAfter) {
        /** True when 2/h was reached. */
        public boolean reached() {
            return firstStep >= 0;
        }
    }

    /** Runs the detectors on parallel arrays; NaN sharpness entries (not measured) are skipped. */
    public static Result detect(long[] steps, double[] sharpness, double[] h, double tolerance) {
        long first = -1;
        int after = 0;
        int within = 0;
        for (int i = 0; i < steps.length; i++) {
            double s = sharpness[i];
            if (Double.isNaN(s) || Double.isNaN(h[i])) {
                continue;
            }
            double edge = 2 / h[i];
            if (first < 0) {
                if (s >= edge) {
                    first = steps[i];
                }
            } else {
                after++;
                if (Math.abs(s - edge) <= tolerance * edge) {
                    within++;
                }
            }
        }
        return new Result(first, after == 0 ? Double.NaN : (double) within / after, after);
    }
}
