package org.driftlab.chart;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.driftlab.data.Decimals;

/**
 * The axes of a chart: for each, linear or logarithmic and the drawn range. A linear range is the data's range
 * widened to the nearest multiples of a round step (1, 2, 2.5 or 5 times a power of ten, about six steps per axis),
 * so both ends are round numbers and so are the ticks XChart places between them; a logarithmic range is widened to
 * whole decades. Only points that can be drawn count: finite, and positive on a logarithmic axis.
 *
 * @param x the x axis
 * @param y the y axis
 * @param empty true when no point can be drawn
 */
record Axes(Range x, Range y, boolean empty) {
    /** About this many round steps per linear axis. */
    private static final int STEPS = 6;

    /**
     * One axis.
     *
     * @param min the lowest drawn value (a round number)
     * @param max the highest drawn value (a round number)
     * @param log logarithmic
     */
    record Range(double min, double max, boolean log) {
        double span() {
            return log ? Math.log10(max / min) : max - min;
        }
    }

    /** The axes of a chart (equal aspect is settled by the renderer, which knows the plot's pixels). */
    static Axes of(Chart c) {
        boolean logX = decideLog(c, c.xScale(), true);
        boolean logY = decideLog(c, c.yScale(), false);
        double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Chart.Series s : c.series()) {
            boolean spans = s.spansAxis();
            for (int i = 0; i < s.x().length; i++) {
                if (!drawable(s, i, logX, logY)) {
                    continue;
                }
                if (!spans) {
                    include(xr, s.x()[i]);
                }
                include(yr, s.y()[i]);
                if (s.y2() != null) {
                    include(yr, s.y2()[i]);
                }
            }
        }
        boolean empty = !(xr[0] <= xr[1]); // nothing but horizontal references, or nothing at all
        if (empty) {
            xr = new double[] {logX ? 1 : 0, logX ? 10 : 1};
        }
        if (!(yr[0] <= yr[1])) {
            yr = new double[] {logY ? 1 : 0, logY ? 10 : 1};
        }
        return new Axes(range(xr[0], xr[1], logX), range(yr[0], yr[1], logY), empty);
    }

    /** Whether point i of s can be drawn on axes of these kinds (a spanning reference line: by its y alone). */
    static boolean drawable(Chart.Series s, int i, boolean logX, boolean logY) {
        double x = s.x()[i];
        double y = s.y()[i];
        boolean xOk = s.spansAxis() || (Double.isFinite(x) && (!logX || x > 0));
        boolean yOk = Double.isFinite(y) && (!logY || y > 0);
        if (s.y2() != null) {
            double y2 = s.y2()[i];
            yOk &= Double.isFinite(y2) && (!logY || y2 > 0);
        }
        return xOk && yOk;
    }

    private static void include(double[] r, double v) {
        r[0] = Math.min(r[0], v);
        r[1] = Math.max(r[1], v);
    }

    /** LOG and LINEAR as asked; AUTO: log when the finite values are all positive and span enough decades. */
    private static boolean decideLog(Chart c, Chart.Scale scale, boolean xAxis) {
        if (scale == Chart.Scale.LINEAR) {
            return false;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean nonPositive = false;
        for (Chart.Series s : c.series()) {
            if (xAxis && s.spansAxis()) {
                continue;
            }
            double[][] columns = xAxis ? new double[][] {s.x()} : s.y2() == null ? new double[][] {s.y()}
                    : new double[][] {s.y(), s.y2()};
            for (double[] col : columns) {
                for (double v : col) {
                    if (Double.isFinite(v)) {
                        nonPositive |= v <= 0;
                        if (v > 0) {
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                    }
                }
            }
        }
        if (!(min <= max)) {
            return false; // nothing positive to draw on a log axis
        }
        if (scale == Chart.Scale.LOG) {
            return true;
        }
        return !nonPositive && Math.log10(max / min) >= Chart.AUTO_LOG_DECADES;
    }

    /** The drawn range of data in [lo, hi]. */
    static Range range(double lo, double hi, boolean log) {
        if (log) {
            int a = (int) Math.floor(Math.log10(lo));
            int b = (int) Math.ceil(Math.log10(hi));
            if (a == b) {
                a--;
                b++;
            }
            return new Range(decade(a), decade(b), true);
        }
        if (lo == hi) { // a constant: a round range around it
            double d = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= d;
            hi += d;
        }
        BigDecimal step = roundStep((hi - lo) / STEPS);
        return new Range(multiple(lo, step, RoundingMode.FLOOR), multiple(hi, step, RoundingMode.CEILING), false);
    }

    /** The double nearest 10^k (Math.pow is not correctly rounded for every negative k). */
    static double decade(int k) {
        return Double.parseDouble("1e" + k);
    }

    /** The smallest of 1, 2, 2.5, 5, 10 times a power of ten that is at least raw, as an exact decimal. */
    static BigDecimal roundStep(double raw) {
        int e = (int) Math.floor(Math.log10(raw));
        BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(e);
        for (String m : new String[] {"1", "2", "2.5", "5", "10"}) {
            BigDecimal step = new BigDecimal(m).multiply(unit);
            if (step.doubleValue() >= raw * (1 - 1e-9)) { // 0.6000000000000227 / 6 still takes the step 0.1
                return step;
            }
        }
        return BigDecimal.TEN.multiply(unit).multiply(BigDecimal.TEN);
    }

    /**
     * v rounded down or up to a multiple of step, as the double nearest that exact decimal multiple; v is taken as
     * its shortest decimal, so a value that reads as a round number (1000.3) is its own end of the axis.
     */
    private static double multiple(double v, BigDecimal step, RoundingMode mode) {
        BigDecimal k = new BigDecimal(Decimals.shortest(v)).divide(step, 0, mode);
        return k.multiply(step).doubleValue();
    }
}
