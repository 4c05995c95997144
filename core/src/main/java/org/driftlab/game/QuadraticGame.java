package org.driftlab.game;

import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;

/**
 * A general-sum quadratic game with a known, constant Jacobian:
 * L_φ = ½φᵀAφ + φᵀBθ and L_θ = ½θᵀCθ + θᵀDφ (A, C symmetric). Then f = −Aφ − Bθ, g = −Dφ − Cθ, the only
 * fixed point (for invertible J) is the origin, and J = −[[A, B], [D, C]] everywhere, so every Euler update is
 * a linear map and its stability is known exactly.
 */
public final class QuadraticGame implements Game {
    private final String name;
    private final double[][] a;
    private final double[][] b;
    private final double[][] c;
    private final double[][] d;

    /**
     * @param a n×n symmetric, @param b n×p, @param c p×p symmetric, @param d p×n
     */
    public QuadraticGame(String name, double[][] a, double[][] b, double[][] c, double[][] d) {
        int n = a.length;
        int p = c.length;
        if (n == 0 || p == 0 || b.length != n || b[0].length != p || d.length != p || d[0].length != n) {
            throw new IllegalArgumentException("quadratic game: A must be n×n, B n×p, C p×p, D p×n");
        }
        checkSymmetric(a, "A");
        checkSymmetric(c, "C");
        this.name = name;
        this.a = copy(a);
        this.b = copy(b);
        this.c = copy(c);
        this.d = copy(d);
    }

    /**
     * The scalar game with L_φ = ½aφ² + bφθ and L_θ = ½cθ² + dφθ, i.e. J = −[[a, b], [d, c]].
     */
    public static QuadraticGame scalar(String name, double a, double b, double c, double d) {
        return new QuadraticGame(name, new double[][] {{a}}, new double[][] {{b}}, new double[][] {{c}},
                new double[][] {{d}});
    }

    /** The Jacobian of (f, g) with respect to (φ, θ): −[[A, B], [D, C]] (constant). */
    public double[][] jacobian() {
        int n = a.length;
        int p = c.length;
        double[][] j = new double[n + p][n + p];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                j[i][k] = -a[i][k];
            }
            for (int k = 0; k < p; k++) {
                j[i][n + k] = -b[i][k];
            }
        }
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < n; k++) {
                j[n + i][k] = -d[i][k];
            }
            for (int k = 0; k < p; k++) {
                j[n + i][n + k] = -c[i][k];
            }
        }
        return j;
    }

    @Override
    public int dimPhi() {
        return a.length;
    }

    @Override
    public int dimTheta() {
        return c.length;
    }

    @Override
    public Var lossPhi(Var phi, Var theta) {
        return F.add(F.scale(quad(phi, a, phi), 0.5), quad(phi, b, theta));
    }

    @Override
    public Var lossTheta(Var phi, Var theta) {
        return F.add(F.scale(quad(theta, c, theta), 0.5), quad(theta, d, phi));
    }

    @Override
    public String name() {
        return name;
    }

    /** uᵀMv as a scalar expression. */
    private static Var quad(Var u, double[][] m, Var v) {
        Var mv = F.reshape(F.matmul(Var.constant(Tensor.matrix(m)), F.reshape(v, v.size(), 1)), m.length);
        return F.dot(u, mv);
    }

    private static void checkSymmetric(double[][] m, String what) {
        for (int i = 0; i < m.length; i++) {
            if (m[i].length != m.length) {
                throw new IllegalArgumentException("quadratic game: " + what + " must be square");
            }
            for (int k = 0; k < i; k++) {
                if (m[i][k] != m[k][i]) {
                    throw new IllegalArgumentException("quadratic game: " + what + " must be symmetric");
                }
            }
        }
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
