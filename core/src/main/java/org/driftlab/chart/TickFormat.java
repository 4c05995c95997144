package org.driftlab.chart;

import java.math.BigDecimal;
import java.util.function.Function;
import org.driftlab.data.Decimals;

/**
 * Tick labels of a linear axis: the shortest decimal of each tick (ticks are round, so "0.25", "1500", "-40"), in
 * one notation per axis: plain, or {@code 2.5e-5} style for every tick when the axis reaches 10⁵ or stays below
 * 10⁻³. Independent of the default locale (no decimal comma).
 */
final class TickFormat implements Function<Double, String> {
    private final boolean scientific;

    private TickFormat(boolean scientific) {
        this.scientific = scientific;
    }

    /** The format for an axis over [min, max]. */
    static TickFormat forRange(double min, double max) {
        double a = Math.max(Math.abs(min), Math.abs(max));
        return new TickFormat(a >= 1e5 || (a > 0 && a < 1e-3));
    }

    @Override
    public String apply(Double v) {
        return format(v, scientific);
    }

    /** One label. */
    static String format(double v, boolean scientific) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        BigDecimal d = new BigDecimal(Decimals.shortest(v)).stripTrailingZeros();
        if (!scientific) {
            return d.toPlainString();
        }
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }
}
