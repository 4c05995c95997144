package org.driftlab.game;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

/** The field, its Jacobian products and the regularised player gradients against closed forms and finite differences. */
class GameFieldTest {
    private static double sigmoid(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    @Test
    void catalogueFieldsMatchTheirClosedForms() {
        GameField bil = new GameField(Games.bilinear());
        assertArrayEquals(new double[] {-0.7, -0.3}, bil.field(new double[] {0.3, -0.7}), 1e-15); // (θ, −φ)

        GameField lin = new GameField(Games.linear(0.2, 0.3));
        double x = 0.08;
        double y = -0.05;
        assertArrayEquals(new double[] {-0.2 * x + y, -x - 0.3 * y}, lin.field(new double[] {x, y}), 1e-15);

        // Dirac-GAN: z = (φ, θ) = (y, x), field (ẋ, ẏ) = (−σ(xy)y, σ(xy)x)
        GameField dirac = new GameField(Games.diracGan());
        double gx = 0.9;
        double dy = -1.3;
        double[] f = dirac.field(new double[] {dy, gx});
        assertEquals(sigmoid(gx * dy) * gx, f[0], 1e-15);
        assertEquals(-sigmoid(gx * dy) * dy, f[1], 1e-15);
    }

    @Test
    void jacobianProductsMatchFiniteDifferencesAndAreNotSymmetric() {
        GameField dirac = new GameField(Games.diracGan());
        double[] z = {0.7, -1.2};
        double[][] fd = FiniteDifferences.jacobian(dirac::field, z, 1e-6);
        double[][] j = dirac.jacobian(z);
        // central differences at ε = 1e-6 of an O(1) field: ε²/6·|∂³| + u·|v|/ε ≈ 1e-10
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(fd[i], j[i], 1e-8);
        }
        assertTrue(Math.abs(j[0][1] - j[1][0]) > 0.1, "a game Jacobian is not symmetric");
        double[] u = {0.3, -2.0};
        double[] v = {1.1, 0.4};
        double[] jv = dirac.jvp(z, v);
        double[] jtu = dirac.vjp(z, u);
        for (int i = 0; i < 2; i++) {
            assertEquals(j[i][0] * v[0] + j[i][1] * v[1], jv[i], 1e-12);
            assertEquals(j[0][i] * u[0] + j[1][i] * u[1], jtu[i], 1e-12);
        }
    }

    @Test
    void quadraticGameJacobianIsTheClosedForm() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] a = sym(rng, 2);
        double[][] c = sym(rng, 3);
        double[][] b = rand(rng, 2, 3);
        double[][] d = rand(rng, 3, 2);
        QuadraticGame q = new QuadraticGame("q", a, b, c, d);
        double[][] j = new GameField(q).jacobian(new double[] {0.1, -0.2, 0.3, 0.5, -1});
        double[][] exact = q.jacobian();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(exact[i], j[i], 1e-13);
        }
    }

    @Test
    void regularisedGradientsMatchTheClosedFormOnAQuadraticGame() {
        // L1 = ½aφ² + bφθ, L2 = ½cθ² + dφθ: ∇φL1 = aφ+bθ, ∇θL1 = bφ, ∇θL2 = cθ+dφ, ∇φL2 = dθ
        double a = 0.7;
        double b = 1.3;
        double c = -0.4;
        double d = -0.9;
        QuadraticGame q = QuadraticGame.scalar("q", a, b, c, d);
        GameField field = new GameField(q);
        Regulariser r = new Regulariser(0.11, -0.23, 0.37, 0.05, 0.41, -0.17);
        double phi = 0.6;
        double theta = -1.1;
        double g1 = a * phi + b * theta;
        double g2 = c * theta + d * phi;
        double[] got = field.gradients(new double[] {phi, theta}, r, null);
        double expPhi = g1 + 2 * r.selfPhi() * a * g1 + r.interPhi() * b * g2 + 2 * r.otherPhi() * d * g2;
        double expTheta = g2 + 2 * r.selfTheta() * c * g2 + r.interTheta() * d * g1 + 2 * r.otherTheta() * b * g1;
        assertEquals(expPhi, got[0], 1e-14);
        assertEquals(expTheta, got[1], 1e-14);
        // the anchor replaces sg(other gradient) by a given vector: only the interaction terms change
        double[] anchored = field.gradients(new double[] {phi, theta}, r, new double[] {5.0, 7.0});
        assertEquals(expPhi - r.interPhi() * b * g2 + r.interPhi() * b * 7.0, anchored[0], 1e-14);
        assertEquals(expTheta - r.interTheta() * d * g1 + r.interTheta() * d * 5.0, anchored[1], 1e-14);
    }

    @Test
    void badSpecsAreUserErrors() {
        assertThrows(DriftlabException.class, () -> Games.parse("rotation"));
        assertThrows(DriftlabException.class, () -> Games.parse("linear:epsilon=2"));
        assertThrows(IllegalArgumentException.class, () -> new GameField(Games.bilinear()).field(new double[3]));
        assertEquals("linear", Games.parse("linear:eps=0.09").name());
    }

    static double[][] sym(SplittableRandom rng, int n) {
        double[][] m = rand(rng, n, n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                m[i][k] = m[k][i];
            }
        }
        return m;
    }

    static double[][] rand(SplittableRandom rng, int r, int c) {
        double[][] m = new double[r][c];
        for (double[] row : m) {
            for (int i = 0; i < c; i++) {
                row[i] = rng.nextDouble(-1, 1);
            }
        }
        return m;
    }
}
