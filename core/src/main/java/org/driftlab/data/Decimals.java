package org.driftlab.data;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Decimal text for the numbers driftlab writes to CSV and JSON files: the shortest decimal that reads back as the
 * same double, so that any correctly rounding reader (Java, Python's {@code float}, NumPy, pandas with
 * {@code float_precision="round_trip"} or a pandas whose default converter is fast_float) gets the exact value.
 *
 * <p>Hand-written because {@link Double#toString} is the shortest only from JDK 19 on (JDK-4511638): JDK 17 writes
 * e.g. 2.82879384806159E17 as {@code 2.82879384806159008E17}. This class gives the same text on every JDK: the
 * fewest significant digits p such that v rounded to p digits (half-even) reads back as v, in
 * {@link Double#toString}'s layout (plain for 10⁻³ ≤ |v| &lt; 10⁷, else {@code d.dddE±n}; {@code NaN},
 * {@code Infinity}, {@code -Infinity}, {@code -0.0} as there).
 */
public final class Decimals {
    private Decimals() {}

    /**
     * The shortest round-trip decimal of v (see the class comment).
     *
     * @param v any double
     * @return text that {@link Double#parseDouble} maps back to exactly v
     */
    public static String shortest(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return Double.toString(v);
        }
        BigDecimal exact = new BigDecimal(v);
        // Rounding to more digits is never farther from v, so the digit counts that round-trip form a range [p, 17].
        int lo = 1;
        int hi = 17;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (round(exact, mid).doubleValue() == v) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return layout(round(exact, lo).stripTrailingZeros(), v);
    }

    private static BigDecimal round(BigDecimal exact, int digits) {
        return exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
    }

    /** Double.toString's layout of the decimal d (the shortest digits of v). */
    private static String layout(BigDecimal d, double v) {
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale(); // d = digits[0].digits[1..] × 10^exponent
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (v < 0) {
            sb.append('-');
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e7) {
            if (exponent < 0) {
                sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            } else if (digits.length() <= exponent + 1) {
                sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            sb.append(digits.charAt(0)).append('.').append(digits.length() > 1 ? digits.substring(1) : "0")
                    .append('E').append(exponent);
        }
        return sb.toString();
    }
}
