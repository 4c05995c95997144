package org.driftlab.flow;

import org.driftlab.curvature.DenseHessian;
import org.driftlab.curvature.Lanczos;
import org.driftlab.curvature.Stability;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.objective.Objective;
import org.hipparchus.complex.Complex;
import org.driftlab.linalg.Vectors;

/**
 * The Principal Flow (Rosca, Wu, Qin, Dherin, TMLR 2023): θ̇ = Σ_i c(hλ_i)(∇E·u_i)u_i with (λ_i, u_i) the
 * eigenpairs of ∇²E at the current point and c(z) = log(1 − z)/z on the principal branch
 * ({@link Stability#coefficient(double)}). On a quadratic the coordinate along u_i evolves as (1 − hλ_i)^{t/h},
 * so the PF equals gradient descent at every t = n·h, for any h.
 *
 * <p><b>Complex state.</b> For hλ_i &gt; 1, c is complex (log(1 − z) = ln(z − 1) + iπ) and θ lives in C^D, stored as
 * {@code [Re θ, Im θ]}. This needs ∇E and ∇²E at a complex point. The convention used here, exact for
 * quadratics: H and g are evaluated at Re θ and the gradient is extended linearly,
 * ∇E(Re θ + i Im θ) := g(Re θ) + i H(Re θ)·Im θ (the first-order model; on a quadratic ∇E is affine, so this is
 * the analytic continuation itself). The eigenpairs are those of H(Re θ), which is real and symmetric.
 *
 * <p><b>hλ_i = 1 exactly.</b> c has a logarithmic singularity there: GD lands on the minimum along u_i in one step,
 * which no flow reaches in finite time. This class uses the one-sided limit clamped at machine precision,
 * c(1) := ln(2⁻⁵²) ≈ −36.04 ({@link #COEFFICIENT_AT_ONE}): after one step of length h the coordinate along u_i is
 * multiplied by 2⁻⁵², i.e. it reaches GD's exact zero to double precision (the public colab uses −100).
 *
 * <p><b>Variants.</b> {@link #exact}: a dense Hessian (D Hessian-vector products) and a full symmetric
 * eigendecomposition at every evaluation, for D up to a few thousand. {@link #truncated}: the top-k eigenpairs by
 * Lanczos (largest algebraic, fixed seed) with c = −1 (the NGF) on the rest of the gradient, for real networks;
 * with k = D it equals the exact PF.
 */
public final class PrincipalFlow extends ObjectiveField {
    /** c at hλ = 1 exactly: ln(2⁻⁵²), the one-sided limit clamped at |1 − hλ| = one ulp of 1. */
    public static final double COEFFICIENT_AT_ONE = Math.log(Math.ulp(1.0));

    private final int topK; // 0: exact
    private final double lanczosTolerance;

    private PrincipalFlow(Objective objective, double h, int topK, double lanczosTolerance) {
        super(objective, Checks.learningRate(h));
        this.topK = topK;
        this.lanczosTolerance = lanczosTolerance;
    }

    /** The exact PF: a full eigendecomposition of ∇²E at every evaluation. */
    public static PrincipalFlow exact(Objective objective, double h) {
        return new PrincipalFlow(objective, h, 0, 0);
    }

    /**
     * The truncated PF: PF coefficients on the top-k eigenpairs (Lanczos, tolerance 1e-10), NGF (c = −1) on the
     * rest of the gradient.
     */
    public static PrincipalFlow truncated(Objective objective, double h, int k) {
        return truncated(objective, h, k, 1e-10);
    }

    /** The truncated PF with a given Lanczos residual tolerance. */
    public static PrincipalFlow truncated(Objective objective, double h, int k, double lanczosTolerance) {
        if (k < 1 || k > objective.dim()) {
            throw new IllegalArgumentException("truncated PF: k = " + k + " must be in [1, D = " + objective.dim() + "]");
        }
        return new PrincipalFlow(objective, h, k, Checks.positive("Lanczos tolerance", lanczosTolerance));
    }

    /** c(hλ) with the convention above at hλ = 1. */
    public static Complex coefficient(double hLambda) {
        if (hLambda == 1) {
            return new Complex(COEFFICIENT_AT_ONE, 0);
        }
        return Stability.coefficient(hLambda);
    }

    /** k of the truncated variant, 0 for the exact one. */
    public int topK() {
        return topK;
    }

    @Override
    public boolean isComplex() {
        return true;
    }

    @Override
    protected double[] evaluate(double[] state) {
        int d = dim();
        double h = h();
        double[] re = new double[d];
        double[] im = new double[d];
        System.arraycopy(state, 0, re, 0, d);
        System.arraycopy(state, d, im, 0, d);
        Objective.SecondOrder local = objective().secondOrder(re);
        double[] gRe = local.gradient();
        LinearOperator hess = local.hessian();
        double[] gIm = isZero(im) ? new double[d] : hess.apply(im);

        double[] outRe = new double[d];
        double[] outIm = new double[d];
        double[] lambdas;
        double[][] vectors;
        if (topK == 0) {
            SymmetricEigen.Decomposition eig = DenseHessian.of(hess).eigen();
            lambdas = eig.values();
            vectors = eig.vectors();
        } else {
            Lanczos.Result r = Comparison.lanczosTop(hess, topK, lanczosTolerance);
            lambdas = r.eigenvalues();
            vectors = r.eigenvectors();
            // The rest of the gradient, (I − U Uᵀ)g, follows the NGF: c = −1.
            double[] restRe = gRe.clone();
            double[] restIm = gIm.clone();
            for (double[] u : vectors) {
                double a = Vectors.dot(u, gRe);
                double b = Vectors.dot(u, gIm);
                for (int j = 0; j < d; j++) {
                    restRe[j] -= a * u[j];
                    restIm[j] -= b * u[j];
                }
            }
            for (int j = 0; j < d; j++) {
                outRe[j] = -restRe[j];
                outIm[j] = -restIm[j];
            }
        }
        for (int i = 0; i < lambdas.length; i++) {
            double[] u = vectors[i];
            Complex c = coefficient(h * lambdas[i]);
            double a = Vectors.dot(u, gRe);
            double b = Vectors.dot(u, gIm);
            // c·(a + ib)
            double pr = c.getReal() * a - c.getImaginary() * b;
            double pi = c.getReal() * b + c.getImaginary() * a;
            for (int j = 0; j < d; j++) {
                outRe[j] += pr * u[j];
                outIm[j] += pi * u[j];
            }
        }
        double[] out = new double[2 * d];
        System.arraycopy(outRe, 0, out, 0, d);
        System.arraycopy(outIm, 0, out, d, d);
        return out;
    }

    @Override
    public String name() {
        return topK == 0 ? "pf" : "pf-top" + topK;
    }

    private static boolean isZero(double[] v) {
        for (double x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
