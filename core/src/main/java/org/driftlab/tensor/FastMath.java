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

    /**
     * The complementary error function erfc(x) = 1 − erf(x), to within a few 1e-16 relative where erfc is well
     * conditioned (measured against Hipparchus' regularised-gamma erfc, which is about 50 times slower; exact GELU
     * calls this once per activation and per derivative).
     *
     * <p>Hand-written because no library on the class path has a fast accurate erfc. Method, for a = |x|: erf(a) =
     * a·g(a²) for a &lt; 1 and erfc(a) = e^{−a²}·h(a) for 1 ≤ a &lt; 6.5, with g and h Chebyshev interpolants on five
     * intervals whose coefficients scripts/python/erfc_coefficients.py computes in 50-digit arithmetic; beyond 6.5
     * the continued fraction e^{−a²}/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))) (modified Lentz, about a dozen
     * steps); then erfc(−a) = 2 − erfc(a). As for any erfc, the tail's relative condition number is 2a²: the one
     * rounding of a² moves e^{−a²} by up to a²·2⁻⁵² relative.
     */
    public static double erfc(double x) {
        if (x != x) {
            return x;
        }
        double a = Math.abs(x);
        if (a < 1) {
            double e = a * clenshaw(G, 2 * a * a - 1);
            return x >= 0 ? 1.0 - e : 1.0 + e;
        }
        double c;
        if (a < 2) {
            c = Math.exp(-a * a) * clenshaw(H_1_2, 2 * a - 3);
        } else if (a < 3) {
            c = Math.exp(-a * a) * clenshaw(H_2_3, 2 * a - 5);
        } else if (a < 4.5) {
            c = Math.exp(-a * a) * clenshaw(H_3_45, (2 * a - 7.5) / 1.5);
        } else if (a < 6.5) {
            c = Math.exp(-a * a) * clenshaw(H_45_65, a - 5.5);
        } else {
            c = a > 27.3 ? 0.0 : erfcContinuedFraction(a); // e^{−a²} underflows beyond 27.3
        }
        return x >= 0 ? c : 2.0 - c;
    }

    /** Σ_j c_j T_j(t) for t in [−1, 1] (Clenshaw's recurrence). */
    private static double clenshaw(double[] c, double t) {
        double b1 = 0;
        double b2 = 0;
        double t2 = 2 * t;
        for (int j = c.length - 1; j > 0; j--) {
            double b = Math.fma(t2, b1, c[j] - b2);
            b2 = b1;
            b1 = b;
        }
        return Math.fma(t, b1, c[0] - b2);
    }

    /** erfc(a) for a ≥ 6.5 by the continued fraction, evaluated front to back (modified Lentz). */
    private static double erfcContinuedFraction(double a) {
        double f = a;
        double c = a;
        double d = 0;
        for (int k = 1; k < 100; k++) {
            double ak = 0.5 * k;
            d = 1.0 / (a + ak * d);
            c = a + ak / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 4e-16) {
                break;
            }
        }
        return Math.exp(-a * a) / (SQRT_PI * f);
    }

    private static final double SQRT_PI = Math.sqrt(Math.PI);

    // Chebyshev coefficients, generated by scripts/python/erfc_coefficients.py (do not edit by hand)
    /** on [0, 1]: 12 terms, worst relative error 2.2e-16 */
    private static final double[] G = {
        0.9754769393826541,
        -0.14226120510371365,
        0.010035582187599796,
        -0.0005768764699767485,
        2.741993125219606e-05,
        -1.1043175507344507e-06,
        3.8488755420345036e-08,
        -1.1808582533875466e-09,
        3.2334215826050907e-11,
        -7.991015947004549e-13,
        1.7990725113961456e-14,
        -3.718635487818693e-16};
    /** on [1, 2]: 17 terms, worst relative error 3.4e-16 */
    private static final double[] H_1_2 = {
        0.331427281639452,
        -0.0850021377067432,
        0.009951127341466115,
        -0.0010810888102208325,
        0.0001102324363119495,
        -1.0636830518218601e-05,
        9.775012680479055e-07,
        -8.597922867888315e-08,
        7.2677084117248425e-09,
        -5.923543840592542e-10,
        4.6683928572294154e-11,
        -3.56612770156775e-12,
        2.6458779519104523e-13,
        -1.9101658673527567e-14,
        1.343976588479829e-15,
        -9.228790549094326e-17,
        6.19267308464391e-18};
    /** on [2, 3]: 14 terms, worst relative error 3.8e-16 */
    private static final double[] H_2_3 = {
        0.21398248255623223,
        -0.037938404099999566,
        0.0031959178113380353,
        -0.0002573666707889977,
        1.9905838950216772e-05,
        -1.484277185436206e-06,
        1.0702889548418397e-07,
        -7.482824223542503e-09,
        5.083548493074793e-10,
        -3.362256906091922e-11,
        2.168583689441302e-12,
        -1.3659497593967644e-13,
        8.41330237971444e-15,
        -5.07307611814009e-16};
    /** on [3, 4.5]: 16 terms, worst relative error 2.2e-16 */
    private static final double[] H_3_45 = {
        0.1481461953236469,
        -0.028025749092080682,
        0.002576484512423808,
        -0.00023069211512747147,
        2.0153233859046618e-05,
        -1.7204117400437299e-06,
        1.4370810975615484e-07,
        -1.1760033789404574e-08,
        9.437883720626808e-10,
        -7.435188873885695e-11,
        5.754833048092623e-12,
        -4.3795961526976073e-13,
        3.2794672404374804e-14,
        -2.4178069793928294e-15,
        1.7560926895200883e-16,
        -1.2572423597529682e-17};
    /** on [4.5, 6.5]: 15 terms, worst relative error 3.5e-16 */
    private static final double[] H_45_65 = {
        0.10254206654730609,
        -0.018201416485869242,
        0.0015914283645512347,
        -0.0001371656744854487,
        1.1660711185526465e-05,
        -9.782519337590006e-07,
        8.102699843614865e-08,
        -6.629089865226366e-09,
        5.359214611645432e-10,
        -4.282892100622182e-11,
        3.3846710943766386e-12,
        -2.6459634254224937e-13,
        2.0467976535080993e-14,
        -1.56717403519841e-15,
        1.1880395713427766e-16};
}
