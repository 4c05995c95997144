package org.driftlab.game;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;
import org.driftlab.linalg.LeastSquares;

/** Discrete updates against the flows: local-error orders, the bilinear game's known behaviour, RK4, m and k. */
class GameDynamicsTest {
    private static final double[] HS = {0.04, 0.02, 0.01, 0.005};

    /** Fitted slope of log(one-step error) against log h. */
    private static double[] slopes(GameField f, Scheme s, double alpha, double lambda, int m, int k, boolean commonTime) {
        double[] z0 = {0.7, 1.1};
        double[] lx = new double[HS.length];
        double[] lo = new double[HS.length];
        double[] lm = new double[HS.length];
        for (int i = 0; i < HS.length; i++) {
            double h = HS[i];
            GameStepper st = GameStepper.euler(f, s, h, alpha, lambda, m, k, Regulariser.none());
            DriftCoefficients c = commonTime ? DriftCoefficients.commonTime(s, st.h1(), st.h2(), m, k) : st.drift();
            double[] z1 = st.step(z0, 0);
            double[] orig = GameFlow.original(f, alpha, lambda).advance(z0, h);
            double[] mod = GameFlow.modified(f, alpha, lambda, c).advance(z0, h);
            lx[i] = Math.log(h);
            lo[i] = Math.log(Math.hypot(z1[0] - orig[0], z1[1] - orig[1]));
            lm[i] = Math.log(Math.hypot(z1[0] - mod[0], z1[1] - mod[1]));
        }
        return new double[] {LeastSquares.slope(lx, lo), LeastSquares.slope(lx, lm)};
    }

    /*
     * Orders are slopes of log local error against log h (least squares over the h of slopes()): the next order of
     * the expansion bends the line by O(h), which the bands ±0.08 (order 2) and ±0.1 (order 3) absorb at these h
     * while a wrong order (off by 1) is ten bands away.
     */
    @Test
    void eulerFollowsTheModifiedFlowToThirdOrderAndTheFlowToSecond() {
        GameField dirac = new GameField(Games.diracGan());
        for (Scheme s : Scheme.values()) {
            double[] sl = slopes(dirac, s, 1, 1, 1, 1, false);
            assertEquals(2, sl[0], 0.08, s + " vs flow");
            assertEquals(3, sl[1], 0.1, s + " vs modified flow");
        }
        double[] mk = slopes(dirac, Scheme.ALTERNATING, 1, 1, 2, 3, false);
        assertEquals(2, mk[0], 0.08, "alternating m=2,k=3 vs flow");
        assertEquals(3, mk[1], 0.1, "alternating m=2,k=3 vs modified flow");
    }

    @Test
    void unequalRatesNeedTheCommonTimeInteractionCoefficients() {
        GameField dirac = new GameField(Games.diracGan());
        for (Scheme s : Scheme.values()) {
            double[] common = slopes(dirac, s, 1, 0.5, 1, 1, true);
            assertEquals(3, common[1], 0.1, s + " common-time modified flow");
            double[] paper = slopes(dirac, s, 1, 0.5, 1, 1, false);
            assertEquals(2, paper[1], 0.1, s + " per-player formulas with h1 != h2 are only first-order accurate");
        }
    }

    @Test
    void bilinearSimultaneousSpiralsOutAlternatingStaysBoundedFlowConserves() {
        GameField f = new GameField(Games.bilinear());
        double h = 0.1;
        double[] z0 = {1.0, 0.5};
        double r0 = Math.hypot(z0[0], z0[1]);
        double[][] sim = GameStepper.simultaneous(f, h).run(z0, 500);
        for (int t = 0; t <= 500; t += 50) {
            // (φ, θ) ↦ (φ + hθ, θ − hφ) multiplies the radius by √(1 + h²) exactly
            assertEquals(r0 * Math.pow(1 + h * h, t / 2.0), Math.hypot(sim[t][0], sim[t][1]), 1e-10 * Math.pow(1 + h * h, t / 2.0));
        }
        double[][] alt = GameStepper.alternating(f, h).run(z0, 5000);
        double max = 0;
        for (double[] z : alt) {
            max = Math.max(max, Math.hypot(z[0], z[1]));
            // φ' = φ + hθ, θ' = θ − hφ' is area-preserving and conserves φ² + θ² + hφθ exactly
            assertEquals(z0[0] * z0[0] + z0[1] * z0[1] + h * z0[0] * z0[1], z[0] * z[0] + z[1] * z[1] + h * z[0] * z[1], 1e-10);
        }
        assertTrue(max < 1.1 * r0, "alternating stays bounded: max radius " + max);
        double[][] flow = GameFlow.original(f, 1, 1).trajectory(z0, 1.0, 30);
        for (double[] z : flow) {
            assertEquals(r0 * r0, z[0] * z[0] + z[1] * z[1], 1e-9);
        }
    }

    @Test
    void alternatingSubstepsAndRk4() {
        QuadraticGame q = QuadraticGame.scalar("q", 0.5, 1, 0.2, -1);
        GameField f = new GameField(q);
        double[] z = {0.3, -0.4};
        double h = 0.2;
        double[] two = GameStepper.euler(f, Scheme.ALTERNATING, h, 1.5, 0.5, 2, 1, Regulariser.none()).step(z, 0);
        // by hand: two φ-steps of αh/2, then one θ-step of λh at the new φ
        double phi = z[0];
        for (int i = 0; i < 2; i++) {
            phi -= 1.5 * h / 2 * (0.5 * phi + z[1]);
        }
        double theta = z[1] - 0.5 * h * (0.2 * z[1] - phi);
        assertArrayEquals(new double[] {phi, theta}, two, 1e-15);

        // RK4 is far closer to the flow than Euler (local error h⁵ against h²)
        GameField bil = new GameField(Games.bilinear());
        double[] z0 = {1, 0};
        double[] exact = GameFlow.original(bil, 1, 1).advance(z0, 0.1);
        double[] rk = GameStepper.rk4(bil, 0.1, 1, 1, Regulariser.none()).step(z0, 0);
        assertEquals(Math.cos(0.1), exact[0], 1e-12); // φ̇ = θ, θ̇ = −φ from (1, 0): (cos t, −sin t)
        assertEquals(-Math.sin(0.1), exact[1], 1e-12);
        // one RK4 step on a rotation: local error h⁵/120 ≈ 8e-8 at h = 0.1, Euler's h²/2 = 5e-3
        assertTrue(Math.hypot(rk[0] - exact[0], rk[1] - exact[1]) < 1e-6);
        assertThrows(DriftlabException.class, () -> GameStepper.euler(bil, Scheme.SIMULTANEOUS, 0.1, 1, 1, 2, 1, Regulariser.none()));
    }

    @Test
    void previousIterateFormUsesTheLastIteratesGradientsInTheInteractionTerms() {
        double a = 0.7;
        double b = 1.3;
        double c = -0.4;
        double d = -0.9;
        GameField f = new GameField(QuadraticGame.scalar("q", a, b, c, d));
        double h = 0.1;
        Regulariser r = new Regulariser(0, 0.3, 0, 0, 0.2, 0);
        GameStepper st = GameStepper.previousIterate(f, h, 1, 1, r);
        double[] z0 = {0.6, -1.1};
        double[] z1 = st.step(z0, 0);
        assertArrayEquals(GameStepper.euler(f, Scheme.SIMULTANEOUS, h, 1, 1, 1, 1, r).step(z0, 0), z1, 1e-15);
        double[] z2 = st.step(z1, 1);
        double g1prev = a * z0[0] + b * z0[1];
        double g2prev = c * z0[1] + d * z0[0];
        double g1 = a * z1[0] + b * z1[1];
        double g2 = c * z1[1] + d * z1[0];
        assertEquals(z1[0] - h * (g1 + 0.3 * b * g2prev), z2[0], 1e-15);
        assertEquals(z1[1] - h * (g2 + 0.2 * d * g1prev), z2[1], 1e-15);
        Regulariser gs = Regulariser.generalSum(0.1, 1, -1);
        assertEquals(new Regulariser(0.05, -0.05, 0, 0.05, -0.05, 0), gs);
    }
}
