package org.driftlab.game;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** J̃ = J − (h/2)Δ against the slides' Δ, the finite-difference Jacobian of the modified field, and simulated runs. */
class ModifiedJacobianTest {
    private static QuadraticGame randomGame(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new QuadraticGame("q", GameFieldTest.sym(rng, 2), GameFieldTest.rand(rng, 2, 2), GameFieldTest.sym(rng, 2),
                GameFieldTest.rand(rng, 2, 2));
    }

    @Test
    void simultaneousDeltaIsTheSlidesFormula() {
        QuadraticGame q = randomGame(1);
        double[][] j = q.jacobian();
        double h = 0.3;
        double alpha = 0.7;
        double lambda = 1.9;
        DriftCoefficients c = DriftCoefficients.of(Scheme.SIMULTANEOUS, alpha * h, lambda * h, 1, 1);
        double[][] delta = new ModifiedJacobian(j, 2, h, alpha, lambda, c, Regulariser.none()).delta();
        for (int i = 0; i < 4; i++) {
            for (int l = 0; l < 4; l++) {
                double jj = 0;
                for (int q2 = 0; q2 < 4; q2++) {
                    jj += j[i][q2] * j[q2][l];
                }
                assertEquals((i < 2 ? alpha : lambda) * jj, delta[i][l], 1e-13); // Δ = diag(α, λ)·J²
            }
        }
    }

    @Test
    void modifiedJacobianIsTheJacobianOfTheModifiedFieldAtTheFixedPoint() {
        QuadraticGame q = randomGame(2);
        GameField f = new GameField(q);
        double h = 0.2;
        Regulariser[] explicit = {Regulariser.none(), Regulariser.consensus(0.3), Regulariser.sga(0.4),
            Regulariser.locallyStable(0.5), new Regulariser(0.1, -0.2, 0.05, 0.3, 0.15, -0.1)};
        for (Scheme s : Scheme.values()) {
            int m = s == Scheme.SIMULTANEOUS ? 1 : 2;
            DriftCoefficients c = DriftCoefficients.of(s, 0.8 * h, 1.3 * h, m, 1);
            for (Regulariser r : explicit) {
                double[][] jt = new ModifiedJacobian(q.jacobian(), 2, h, 0.8, 1.3, c, r).modified();
                Regulariser total = c.modifiedLoss().plus(r);
                // the modified field of a quadratic game is linear, so central differences are exact up to rounding
                double[] zero = new double[4];
                for (int col = 0; col < 4; col++) {
                    double[] e = zero.clone();
                    e[col] = 1;
                    double[] minus = zero.clone();
                    minus[col] = -1;
                    double[] fp = f.field(e, total);
                    double[] fm = f.field(minus, total);
                    for (int i = 0; i < 4; i++) {
                        assertEquals((fp[i] - fm[i]) / 2, jt[i][col], 1e-13, s + " " + r + " [" + i + "," + col + "]");
                    }
                }
            }
        }
    }

    @Test
    void eigenvaluesPredictDivergenceAndConvergenceOverAGridOfRates() {
        // a weakly damped rotation: stable as a flow; the discrete updates diverge for some (α, λ) and not others
        QuadraticGame q = QuadraticGame.scalar("q", 0.1, 1.0, 0.05, -1.0);
        GameField f = new GameField(q);
        double[] z0 = {0.5, -0.3};
        for (Scheme s : Scheme.values()) {
            double h = s == Scheme.SIMULTANEOUS ? 0.3 : 1.2;
            int total = 0;
            int agree = 0;
            int agreeFlow = 0;
            int stable = 0;
            for (double alpha = 0.25; alpha <= 4.01; alpha *= 1.5) {
                for (double lambda = 0.25; lambda <= 4.01; lambda *= 1.5) {
                    ModifiedJacobian mj = ModifiedJacobian.forUpdates(q.jacobian(), 1, s, h, alpha, lambda, 1, 1,
                            Regulariser.none());
                    double[][] run = GameStepper.euler(f, s, h, alpha, lambda, 1, 1, Regulariser.none()).run(z0, 300);
                    double[] end = run[run.length - 1];
                    boolean observed = Math.hypot(end[0], end[1]) < Math.hypot(z0[0], z0[1]);
                    total++;
                    agree += mj.predictsStable() == observed ? 1 : 0;
                    agreeFlow += observed ? 1 : 0; // the original flow (J has Re < 0) predicts "stable" everywhere
                    stable += observed ? 1 : 0;
                }
            }
            assertTrue(stable > total / 10 && stable < total * 9 / 10, s + ": the grid must contain both outcomes: " + stable + "/" + total);
            assertTrue(agree >= total * 0.9, s + ": prediction agrees with simulation on " + agree + "/" + total);
            assertTrue(agree > agreeFlow + total / 10, s + ": the drift must explain what the flow cannot: " + agree + " vs " + agreeFlow);
        }
    }

    @Test
    void diracGanPredictionMatchesTheRotationalAnalysis() {
        // at the fixed point J = [[0, ½], [−½, 0]] (σ(0) = ½): simultaneous is predicted unstable for every rate,
        // alternating with α = λ stable, as theory says
        GameField f = new GameField(Games.diracGan());
        double[][] j = f.jacobian(new double[2]);
        assertArrayEquals(new double[] {0, 0.5}, j[0], 1e-15);
        assertArrayEquals(new double[] {-0.5, 0}, j[1], 1e-15);
        double h = 0.1;
        assertTrue(!new ModifiedJacobian(j, 1, h, 1, 1, DriftCoefficients.of(Scheme.SIMULTANEOUS, h, h, 1, 1), Regulariser.none()).predictsStable());
        ModifiedJacobian alt = new ModifiedJacobian(j, 1, h, 1, 1, DriftCoefficients.of(Scheme.ALTERNATING, h, h, 1, 1), Regulariser.none());
        // alternating with equal rates: Δ cancels on the diagonal and J̃ keeps purely imaginary eigenvalues
        assertEquals(0, alt.maxRealPart(), 1e-15);
        double rho = ModifiedJacobian.spectralRadius(ModifiedJacobian.linearisedMap(j, 1, Scheme.ALTERNATING, h, 1, 1, 1, 1,
                Regulariser.none()));
        assertEquals(1, rho, 1e-12); // the exact alternating map is area preserving: |μ| = 1
        double rhoSim = ModifiedJacobian.spectralRadius(ModifiedJacobian.linearisedMap(j, 1, Scheme.SIMULTANEOUS, h, 1, 1, 1, 1,
                Regulariser.none()));
        assertEquals(Math.sqrt(1 + h * h / 4), rhoSim, 1e-12);
    }
}
