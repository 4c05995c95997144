package org.driftlab.tensor;

/**
 * exp, expm1-based tanh, sigmoid and softplus built from one range-reduced polynomial, written so that
 * {@link VectorMath} can evaluate exactly the same sequence of IEEE operations on vector lanes. The scalar forms
 * here are the reference (and the fallback without the incubator module, and for array tails), so a result never
 * depends on whether an element went through the vector or the scalar path, nor on how work was split.
 *
 * <p>Method: y = k·ln2 + r with k = round(y/ln2) (|r| ≤ ln2/2, k·ln2 split in a high part with trailing zeros so
 * k·LN2_HI is exact), e^r − 1 by its Taylor series to r¹³ (the truncation error is below 2⁻⁵³·|r| on that range),
 * then 2^k from exponent bits. Accurate to a few ulp; inputs outside the polynomial's range go to {@link Math}.
 */
final class FastMath {
    private FastMath() {}

    static final double LN2_HI = 6.93147180369123816490e-01; // 0x3fe62e42fee00000
    static final double LN2_LO = 1.90821492927058770002e-10;
    static final double INV_LN2 = 1.44269504088896338700e+00;
    /** 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits. */
    static final double SHIFTER = 0x1.8p52;
    /** exp's fast range: k stays within the normal exponents (no overflow, no subnormal results). */
    static final double EXP_LO = -708.0;
    static final double EXP_HI = 709.0;
    /** Beyond this |x|, tanh(x) rounds to ±1 (e^{-2x} < 2⁻⁶³). */
    static final double TANH_SAT = 22.0;

    /** 1/n! for n = 2..13, highest first (Horner order). */
    static final double[] C = {
        1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
        1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5
    };
    static final double C13 = C[0], C12 = C[1], C11 = C[2], C10 = C[3], C9 = C[4], C8 = C[5];
    static final double C7 = C[6], C6 = C[7], C5 = C[8], C4 = C[9], C3 = C[10], C2 = C[11];

    /** e^r − 1 for |r| ≤ ln2/2. */
    static double expm1Reduced(double r) {
        double p = Math.fma(C13, r, C12);
        p = Math.fma(p, r, C11);
        p = Math.fma(p, r, C10);
        p = Math.fma(p, r, C9);
        p = Math.fma(p, r, C8);
        p = Math.fma(p, r, C7);
        p = Math.fma(p, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        return Math.fma(r * r, p, r);
    }

    /** e^x. */
    static double exp(double x) {
        if (!(x >= EXP_LO && x <= EXP_HI)) {
            return Math.exp(x); // overflow, subnormal results, ±Inf and NaN
        }
        double t = Math.fma(x, INV_LN2, SHIFTER);
        double k = t - SHIFTER;
        double r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, x));
        double s = Double.longBitsToDouble((Double.doubleToRawLongBits(t) + 1023) << 52);
        return Math.fma(s, expm1Reduced(r), s);
    }

    /** tanh(x) = sign(x)·u/(u + 2) with u = e^{2|x|} − 1, which has no cancellation for small |x|. */
    static double tanh(double x) {
        double a = Math.abs(x);
        double y = a + a;
        double t = Math.fma(y, INV_LN2, SHIFTER);
        double k = t - SHIFTER;
        double r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, y));
        double s = Double.longBitsToDouble((Double.doubleToRawLongBits(t) + 1023) << 52);
        double u = Math.fma(s, expm1Reduced(r), s - 1.0);
        double v = u / (u + 2.0);
        v = a > TANH_SAT ? 1.0 : v; // also maps ±Inf to ±1; NaN fails the test and stays NaN
        return Double.longBitsToDouble(Double.doubleToRawLongBits(v) | (Double.doubleToRawLongBits(x) & Long.MIN_VALUE));
    }

    /** 1/(1 + e^{−x}) for x ≥ 0, e^x/(1 + e^x) otherwise (no overflow, accurate tails). */
    static double sigmoid(double x) {
        double e = exp(-Math.abs(x));
        double d = 1.0 + e;
        return x >= 0 ? 1.0 / d : e / d;
    }

    /** Below this |x| erf comes from its power series, above it erfc from its continued fraction. */
    private static final double ERF_SWITCH = 1.5;
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

    /**
     * The complementary error function erfc(x) = 1 − erf(x), to about 1e-14 relative (measured against Hipparchus'
     * regularised-gamma erfc, which is 20-50 times slower: exact GELU calls this once per activation).
     *
     * <p>Hand-written because no library on the class path has a fast accurate erfc. Method: for |x| &lt; 1.5,
     * erf(x) = (2/√π)·e^{−x²}·Σ_n 2ⁿx^{2n+1}/(1·3···(2n+1)), a series of positive terms (no cancellation; at most 25
     * terms); for |x| ≥ 1.5, erfc(|x|) = e^{−x²}/√π · 1/(|x| + (1/2)/(|x| + 1/(|x| + (3/2)/(|x| + ...)))) by the
     * modified Lentz method (at most about 90 steps, fewer further out); then erfc(−x) = 2 − erfc(x).
     */
    public static double erfc(double x) {
        if (x != x) {
            return x;
        }
        double a = Math.abs(x);
        if (a < ERF_SWITCH) {
            double e = erfSeries(a);
            return x >= 0 ? 1.0 - e : 1.0 + e;
        }
        double c = a > 27.3 ? 0.0 : erfcContinuedFraction(a); // e^{−x²} underflows beyond 27.3
        return x >= 0 ? c : 2.0 - c;
    }

    /** erf(a) for 0 ≤ a &lt; 1.5 by the positive series. */
    private static double erfSeries(double a) {
        double a2 = a * a;
        double term = a;
        double sum = a;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= 2 * a2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-a2) * sum;
    }

    /** erfc(a) for a ≥ 1.5 by the continued fraction, evaluated front to back (modified Lentz). */
    private static double erfcContinuedFraction(double a) {
        double f = a;
        double c = a;
        double d = 0;
        for (int k = 1; k < 400; k++) {
            double ak = 0.5 * k;
            d = 1.0 / (a + ak * d);
            c = a + ak / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 4e-16) {
                break;
            }
        }
        return Math.exp(-a * a) * INV_SQRT_PI / f;
    }
}
