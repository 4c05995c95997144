package org.driftlab.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;

/**
 * The drift gradient coefficients for the learning-rate pairs of the reference test table match Rosca et al.'s
 * formulas exactly, both as numbers and as measured from the regularised gradients.
 */
class DriftCoefficientsTest {
    private static final double[][] PAIRS = {{0.01, 0.01}, {0.01, 0.05}, {0.05, 0.01}, {1e-4, 0.5}};

    @Test
    void simultaneousCoefficientsAreHalfTheOwnRate() {
        for (double[] p : PAIRS) {
            DriftCoefficients c = DriftCoefficients.of(Scheme.SIMULTANEOUS, p[0], p[1], 1, 1);
            assertEquals(0.5 * p[0], c.selfPhi(), 0);
            assertEquals(0.5 * p[0], c.interPhi(), 0);
            assertEquals(0.5 * p[1], c.selfTheta(), 0);
            assertEquals(0.5 * p[1], c.interTheta(), 0);
            measure(Scheme.SIMULTANEOUS, p[0], p[1], 1, 1, c);
        }
    }

    @Test
    void alternatingCoefficientsFollowThePaper() {
        for (double[] p : PAIRS) {
            for (int[] mk : new int[][] {{1, 1}, {2, 3}}) {
                DriftCoefficients c = DriftCoefficients.of(Scheme.ALTERNATING, p[0], p[1], mk[0], mk[1]);
                assertEquals(p[0] / (2.0 * mk[0]), c.selfPhi(), 1e-18);
                assertEquals(0.5 * p[0], c.interPhi(), 0);
                assertEquals(p[1] / (2.0 * mk[1]), c.selfTheta(), 1e-18);
                // the reference test writes it as 0.5·lr₂·(1 − 2·lr₁/lr₂)
                assertEquals(0.5 * p[1] * (1 - 2 * p[0] / p[1]), c.interTheta(), 1e-15);
                measure(Scheme.ALTERNATING, p[0], p[1], mk[0], mk[1], c);
            }
        }
    }

    @Test
    void multipliersScaleEachTermAndCommonTimeSwapsTheInteractionRates() {
        DriftCoefficients c = DriftCoefficients.of(Scheme.SIMULTANEOUS, 0.05, 0.01, 1, 1);
        Regulariser r = c.explicit(-1, 1, 0, 2);
        assertEquals(-0.05 / 4, r.selfPhi(), 1e-18);
        assertEquals(0.05 / 2, r.interPhi(), 1e-18);
        assertEquals(0, r.selfTheta(), 0);
        assertEquals(0.01, r.interTheta(), 1e-18);
        DriftCoefficients ct = DriftCoefficients.commonTime(Scheme.SIMULTANEOUS, 0.05, 0.01, 1, 1);
        assertEquals(0.005, ct.interPhi(), 1e-18);
        assertEquals(0.025, ct.interTheta(), 1e-18);
        DriftCoefficients ca = DriftCoefficients.commonTime(Scheme.ALTERNATING, 0.05, 0.01, 1, 1);
        assertEquals(-0.025, ca.interTheta(), 1e-18);
        assertThrows(DriftlabException.class, () -> DriftCoefficients.of(Scheme.SIMULTANEOUS, 0.1, 0.1, 2, 1));
        assertThrows(DriftlabException.class, () -> DriftCoefficients.of(Scheme.ALTERNATING, 0.1, -0.1, 1, 1));
        assertThrows(DriftlabException.class, () -> Scheme.parse("jacobi"));
    }

    @Test
    void comparisonMethodsAreTheirTable1Terms() {
        // Rosca et al. Table 1 (zero-sum, L_φ = −E, L_θ = E): CO adds η(‖∇_φE‖² + ‖∇_θE‖²)/2 to both players, SGA the
        // other player's norm only, the locally stable GAN η‖∇_φE‖² to the generator θ only
        assertEquals(new Regulariser(0.15, 0, 0.15, 0.15, 0, 0.15), Regulariser.consensus(0.3));
        assertEquals(new Regulariser(0, 0, 0.2, 0, 0, 0.2), Regulariser.sga(0.4));
        assertEquals(new Regulariser(0, 0, 0, 0, 0, 0.5), Regulariser.locallyStable(0.5));
        // on E = φθ: ∇_φE = θ, ∇_θE = φ, so SGA's φ-gradient is ∇_φ(0.2·φ²)... of the other norm ‖∇_θL_θ‖² = φ²
        GameField f = new GameField(Games.bilinear());
        double[] z = {0.3, -0.8};
        double[] g = f.gradients(z, Regulariser.sga(0.4), null);
        assertEquals(-z[1] + 2 * 0.2 * z[0], g[0], 1e-15); // ∇_φ(−φθ) + 0.2·∇_φ(φ²)
        assertEquals(z[0] + 2 * 0.2 * z[1], g[1], 1e-15); // ∇_θ(φθ) + 0.2·∇_θ(θ²)
    }

    /**
     * Reads each coefficient back from the gradients of the modified losses on the scalar quadratic game
     * L1 = ½aφ² + bφθ, L2 = ½cθ² + dφθ, one term at a time, and compares it with the record.
     */
    private static void measure(Scheme s, double h1, double h2, int m, int k, DriftCoefficients c) {
        double a = 0.7;
        double b = 1.3;
        double cc = -0.4;
        double d = -0.9;
        GameField f = new GameField(QuadraticGame.scalar("q", a, b, cc, d));
        double[] z = {0.6, -1.1};
        double g1 = a * z[0] + b * z[1];
        double g2 = cc * z[1] + d * z[0];
        double[] plain = f.gradients(z, Regulariser.none(), null);
        double[] self = f.gradients(z, c.explicit(1, 0, 1, 0), null);
        double[] inter = f.gradients(z, c.explicit(0, 1, 0, 1), null);
        // the difference of two gradients loses the digits of the plain gradient: tolerance 1e-14·|∇L| / |term|
        check(c.selfPhi(), self[0], plain[0], a * g1, s + " selfPhi");
        check(c.selfTheta(), self[1], plain[1], cc * g2, s + " selfTheta");
        check(c.interPhi(), inter[0], plain[0], b * g2, s + " interPhi");
        check(c.interTheta(), inter[1], plain[1], d * g1, s + " interTheta");
        assertEquals(DriftCoefficients.of(s, h1, h2, m, k), c);
    }

    private static void check(double expected, double modified, double plain, double term, String what) {
        assertEquals(expected, (modified - plain) / term, 1e-14 * (Math.abs(plain) + Math.abs(modified)) / Math.abs(term), what);
    }
}
