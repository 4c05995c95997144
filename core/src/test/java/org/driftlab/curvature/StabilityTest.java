package org.driftlab.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hipparchus.complex.Complex;
import org.junit.jupiter.api.Test;

/**
 * Stability coefficients against closed forms: logarithms and π of O(1) numbers, exact to a few ulps, hence 1e-15 to
 * 1e-13; near x = 0 against the series −Σ x^k/(k + 1) cut after x⁴, whose next term (x⁵/6 ≤ 1.7e-16 for |x| ≤ 1e-3)
 * is below that tolerance.
 */
class StabilityTest {

    @Test
    void tendsToMinusOneForSmallSteps() {
        assertEquals(-1, Stability.coefficient(0.0).getReal(), 0);
        for (double x : new double[] {1e-12, -1e-9, 5e-5, -9.9e-5, 1.01e-4, 1e-3}) {
            Complex c = Stability.coefficient(x);
            assertEquals(0, c.getImaginary(), 0);
            // Reference: −(1 + x/2 + x²/3 + x³/4 + x⁴/5), accurate for these x.
            double ref = -(1 + x / 2 + x * x / 3 + x * x * x / 4 + x * x * x * x / 5);
            assertEquals(ref, c.getReal(), 1e-15);
        }
        assertEquals(-1, Stability.coefficient(0, 123.0).getReal(), 0);
        // Continuity across the series threshold: the jump equals the slope c'(x) = −(1/2 + 2x/3 + …) times the step.
        double a = 0.99999e-4;
        double b = 1.00001e-4;
        assertEquals(-(0.5 + 2e-4 / 3) * (b - a), Stability.coefficient(b).getReal() - Stability.coefficient(a).getReal(), 1e-15);
    }

    @Test
    void realBelowOneIncludingNegativeCurvature() {
        Complex c = Stability.coefficient(0.5);
        assertEquals(Math.log(0.5) / 0.5, c.getReal(), 1e-15);
        assertTrue(c.isReal());
        Complex neg = Stability.coefficient(0.1, -3.0); // hλ = −0.3
        assertEquals(Math.log(1.3) / -0.3, neg.getReal(), 1e-15);
        assertEquals(0, neg.getImaginary(), 0);
        assertEquals(Math.log(1.3) / 0.1, Stability.growthRate(0.1, -3.0), 1e-13); // saddle escape: positive
    }

    @Test
    void complexAboveOne() {
        for (double x : new double[] {1.05, 1.8, 2.0, 3.5, 40}) {
            Complex c = Stability.coefficient(x);
            assertEquals(Math.PI / x, c.getImaginary(), 1e-15);
            assertEquals(Math.log(x - 1) / x, c.getReal(), 1e-15);
        }
        // hλ = 2: Re c = 0, the edge of stability.
        assertEquals(0, Stability.coefficient(2.0).getReal(), 0);
        // The anchors' check value: h = 0.9, λ = 2 multiplies the u₁ coordinate by −0.8 per step.
        Complex rate = Stability.rate(0.9, 2.0);
        Complex perStep = rate.multiply(0.9).exp();
        assertEquals(-0.8, perStep.getReal(), 1e-14);
        assertEquals(0, perStep.getImaginary(), 1e-14);
        assertEquals(Math.log(0.8) / 0.9, Stability.growthRate(0.9, 2.0), 1e-14);
        assertEquals(Math.log(1.1) / 1.05, Stability.growthRate(1.05, 2.0), 1e-14);
    }

    @Test
    void singularAtOne() {
        Complex c = Stability.coefficient(1.0);
        assertEquals(Double.NEGATIVE_INFINITY, c.getReal());
        assertEquals(0, c.getImaginary(), 0);
        assertEquals(Double.NEGATIVE_INFINITY, Stability.growthRate(0.5, 2.0));
        assertThrows(IllegalArgumentException.class, () -> Stability.coefficient(-0.1, 1.0));
        assertEquals(-3.0, Stability.growthRate(0, 3.0), 0);
        assertEquals(2, Stability.coefficients(0.1, new double[] {1, 30}).length);
    }

    /**
     * Over a grid of h and λ on both sides of 2/h and of 0: the growth rate is ln|1 − hλ|/h (the closed form, away from
     * hλ = 1 where both sides lose digits to the cancellation in 1 − hλ), the real part of the PF rate c(hλ)·λ, and
     * the log of GD's per-step multiplier per unit time; c for a list is c for each; a negative or non-finite h is
     * refused by every entry point.
     */
    @Test
    void growthRateIsTheLogOfGdsMultiplierPerUnitTime() {
        double[] hs = {1e-3, 0.01, 0.05, 0.3, 1.0};
        double[] lambdas = {-40, -3, -1e-3, 2e-3, 0.7, 5, 19, 39.9, 40.1, 90, 250};
        for (double h : hs) {
            Complex[] all = Stability.coefficients(h, lambdas);
            for (int k = 0; k < lambdas.length; k++) {
                double lambda = lambdas[k];
                double x = h * lambda;
                double expected = Math.log(Math.abs(1 - x)) / h;
                double tol = 1e-12 * Math.max(1, Math.abs(expected)) / Math.max(1e-3, Math.abs(1 - x));
                String at = "h = " + h + ", λ = " + lambda;
                assertEquals(expected, Stability.growthRate(h, lambda), tol, at);
                assertEquals(expected, Stability.rate(h, lambda).getReal(), tol, at);
                assertEquals(Math.abs(Stability.stepMultiplier(h, lambda)), Math.exp(h * Stability.growthRate(h, lambda)),
                        1e-12 * Math.abs(Stability.stepMultiplier(h, lambda)), at);
                assertEquals(Stability.coefficient(x), all[k], at);
                assertEquals(x > 1 ? Math.PI / x : 0.0, all[k].getImaginary(), 1e-15, at);
            }
        }
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> Stability.growthRate(bad, 1.0));
            assertThrows(IllegalArgumentException.class, () -> Stability.rate(bad, 1.0));
            assertThrows(IllegalArgumentException.class, () -> Stability.coefficients(bad, new double[] {1.0}));
        }
    }
}
