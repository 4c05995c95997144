package org.driftlab.game;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The modified Jacobian J̃ = J − (h/2)Δ of Rosca et al. (2021) at a fixed point z* of the game (F(z*) = 0), and
 * its eigenvalues as a stability prediction.
 *
 * <p>With J = ∂(f, g)/∂(φ, θ) in blocks J_φφ = ∇_φf, J_φθ = ∇_θf, J_θφ = ∇_φg, J_θθ = ∇_θg, and the effective
 * gradient coefficients c (implicit drift of the update scheme plus any explicit regulariser, see
 * {@link DriftCoefficients}), the Jacobian of the modified field −(∇_φL̃_φ, ∇_θL̃_θ) at a fixed point is
 * J̃ = J − (h/2)Δ with (second-derivative terms vanish there because f = g = 0)
 * <pre>
 *   (h/2)Δ_φ· = c_selfφ·J_φφ J_φ· + c_interφ·J_φθ J_θ· + 2·otherφ·J_θφᵀ J_θ·
 *   (h/2)Δ_θ· = c_selfθ·J_θθ J_θ· + c_interθ·J_θφ J_φ· + 2·otherθ·J_φθᵀ J_φ·
 * </pre>
 * (rows of φ and of θ; J_φ· = [J_φφ J_φθ] is the φ block row). For simultaneous updates without regulariser,
 * c = (αh/2, αh/2, λh/2, λh/2) and this is the slides' Δ = [[α(∇_φf)² + α∇_θf∇_φg, α∇_φf∇_θf + α∇_θf∇_θg],
 * [λ∇_φg∇_φf + λ∇_θg∇_φg, λ∇_φg∇_θf + λ(∇_θg)²]] = diag(α, λ)·J².
 *
 * <p>The prediction: the iterates follow ż = (αf̃, λg̃) in time h per iteration, so the modified flow is locally
 * stable iff every eigenvalue of diag(α, λ)·J̃ ({@link #flowJacobian}) has a negative real part (for 2×2 with
 * α = λ: trace J̃ &lt; 0 and det J̃ &gt; 0, the colab's check). With α ≠ λ use the drift of
 * {@link DriftCoefficients#commonTime} ({@link #forUpdates} does), the expansion that is accurate for unequal
 * rates; the paper's per-player coefficients are kept for comparison. {@link #linearisedMap} gives the exact
 * linear map of one iteration (stable iff its spectral radius is below 1).
 */
public final class ModifiedJacobian {
    private final double[][] j;
    private final int n;
    private final double h;
    private final double alpha;
    private final double lambda;
    private final DriftCoefficients c;
    private final Regulariser explicit;

    /**
     * @param jacobian J at a fixed point (e.g. {@link GameField#jacobian} or {@link QuadraticGame#jacobian})
     * @param dimPhi number of φ coordinates (the first rows)
     * @param h the base learning rate (Δ is reported per unit h)
     * @param alpha φ's rate factor (h₁ = αh), @param lambda θ's (h₂ = λh): they scale the flow's rows
     * @param drift implicit drift coefficients of the update scheme
     * @param explicit explicit regulariser added to the losses (its coefficients add to the drift's)
     */
    public ModifiedJacobian(double[][] jacobian, int dimPhi, double h, double alpha, double lambda, DriftCoefficients drift,
                            Regulariser explicit) {
        int d = jacobian.length;
        if (dimPhi < 1 || dimPhi >= d) {
            throw new IllegalArgumentException("dimPhi " + dimPhi + " for a Jacobian of size " + d);
        }
        for (double[] row : jacobian) {
            if (row.length != d) {
                throw new IllegalArgumentException("Jacobian must be square");
            }
        }
        this.j = jacobian;
        this.n = dimPhi;
        this.h = h;
        this.alpha = alpha;
        this.lambda = lambda;
        this.c = drift.plus(explicit);
        this.explicit = explicit;
    }

    /**
     * The prediction for discrete updates: the common-time drift of the scheme (exact to O(h³) per step for any
     * α, λ) plus the explicit regulariser.
     */
    public static ModifiedJacobian forUpdates(double[][] jacobian, int dimPhi, Scheme scheme, double h, double alpha,
                                              double lambda, int m, int k, Regulariser explicit) {
        return new ModifiedJacobian(jacobian, dimPhi, h, alpha, lambda,
                DriftCoefficients.commonTime(scheme, alpha * h, lambda * h, m, k), explicit);
    }

    /** Δ (so that J̃ = J − (h/2)Δ). */
    public double[][] delta() {
        double[][] k = correction();
        double[][] out = new double[k.length][k.length];
        for (int i = 0; i < k.length; i++) {
            for (int l = 0; l < k.length; l++) {
                out[i][l] = 2 / h * k[i][l];
            }
        }
        return out;
    }

    /** J̃ = J − (h/2)Δ. */
    public double[][] modified() {
        double[][] k = correction();
        double[][] out = new double[k.length][k.length];
        for (int i = 0; i < k.length; i++) {
            for (int l = 0; l < k.length; l++) {
                out[i][l] = j[i][l] - k[i][l];
            }
        }
        return out;
    }

    /** diag(α, λ)·J̃: the Jacobian of the modified flow ż = (αf̃, λg̃) at the fixed point. */
    public double[][] flowJacobian() {
        double[][] out = modified();
        for (int i = 0; i < out.length; i++) {
            for (int l = 0; l < out.length; l++) {
                out[i][l] *= i < n ? alpha : lambda;
            }
        }
        return out;
    }

    /** Eigenvalues of diag(α, λ)·J̃ as {re[], im[]}. */
    public double[][] eigenvalues() {
        return eigenvalues(flowJacobian());
    }

    /** The largest real part of the eigenvalues of diag(α, λ)·J̃ (negative: predicted stable). */
    public double maxRealPart() {
        double[] re = eigenvalues()[0];
        double max = Double.NEGATIVE_INFINITY;
        for (double r : re) {
            max = Math.max(max, r);
        }
        return max;
    }

    /** Whether the modified flow is predicted locally stable: every eigenvalue of diag(α, λ)·J̃ has Re &lt; 0. */
    public boolean predictsStable() {
        return maxRealPart() < 0;
    }

    /** (h/2)Δ, computed block row by block row from the formula in the class comment. */
    private double[][] correction() {
        int d = j.length;
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            boolean phiRow = i < n;
            double cSelf = phiRow ? c.selfPhi() : c.selfTheta();
            double cInter = phiRow ? c.interPhi() : c.interTheta();
            double other = phiRow ? explicit.otherPhi() : explicit.otherTheta();
            for (int col = 0; col < d; col++) {
                double s = 0;
                // own block times own block row: J_ii' J_i'·, where i' runs over the player's coordinates
                int ownFrom = phiRow ? 0 : n;
                int ownTo = phiRow ? n : d;
                int othFrom = phiRow ? n : 0;
                int othTo = phiRow ? d : n;
                for (int q = ownFrom; q < ownTo; q++) {
                    s += cSelf * j[i][q] * j[q][col];
                }
                for (int q = othFrom; q < othTo; q++) {
                    s += cInter * j[i][q] * j[q][col];
                }
                if (other != 0) {
                    // J_θφᵀ J_θ· for φ rows: Σ_q J[q][i] J[q][col] over the other player's rows q
                    double t = 0;
                    for (int q = othFrom; q < othTo; q++) {
                        t += j[q][i] * j[q][col];
                    }
                    s += 2 * other * t;
                }
                out[i][col] = s;
            }
        }
        return out;
    }

    /**
     * The exact linear map of one iteration of the discrete updates, linearised at the fixed point: for
     * simultaneous updates M = I + h·diag(α, λ)·J_r, for alternating M = (I + (λh/k)P_θJ_r)^k (I + (αh/m)P_φJ_r)^m,
     * where J_r is the Jacobian of the explicitly regularised field (J minus the explicit terms of Δ) and P
     * selects a player's rows.
     */
    public static double[][] linearisedMap(double[][] jacobian, int dimPhi, Scheme scheme, double h, double alpha,
                                           double lambda, int m, int k, Regulariser explicit) {
        int d = jacobian.length;
        double[][] jr = new ModifiedJacobian(jacobian, dimPhi, h, 1, 1, new DriftCoefficients(0, 0, 0, 0), explicit).modified();
        if (scheme == Scheme.SIMULTANEOUS) {
            double[][] mm = identity(d);
            for (int i = 0; i < d; i++) {
                double lr = i < dimPhi ? alpha * h : lambda * h;
                for (int l = 0; l < d; l++) {
                    mm[i][l] += lr * jr[i][l];
                }
            }
            return mm;
        }
        double[][] stepPhi = identity(d);
        double[][] stepTheta = identity(d);
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < d; l++) {
                if (i < dimPhi) {
                    stepPhi[i][l] += alpha * h / m * jr[i][l];
                } else {
                    stepTheta[i][l] += lambda * h / k * jr[i][l];
                }
            }
        }
        double[][] mm = identity(d);
        for (int s = 0; s < m; s++) {
            mm = multiply(stepPhi, mm);
        }
        for (int s = 0; s < k; s++) {
            mm = multiply(stepTheta, mm);
        }
        return mm;
    }

    /** The spectral radius max |μ| of a square matrix. */
    public static double spectralRadius(double[][] a) {
        double[][] ev = eigenvalues(a);
        double r = 0;
        for (int i = 0; i < ev[0].length; i++) {
            r = Math.max(r, Math.hypot(ev[0][i], ev[1][i]));
        }
        return r;
    }

    /** Eigenvalues of a general real square matrix as {re[], im[]} (EJML). */
    public static double[][] eigenvalues(double[][] a) {
        int d = a.length;
        DMatrixRMaj mat = new DMatrixRMaj(a);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false);
        if (!eig.decompose(mat)) {
            throw new IllegalStateException("eigen decomposition failed");
        }
        double[] re = new double[d];
        double[] im = new double[d];
        for (int i = 0; i < d; i++) {
            Complex_F64 e = eig.getEigenvalue(i);
            re[i] = e.real;
            im[i] = e.imaginary;
        }
        return new double[][] {re, im};
    }

    private static double[][] identity(int d) {
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            out[i][i] = 1;
        }
        return out;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int d = a.length;
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int q = 0; q < d; q++) {
                double aiq = a[i][q];
                for (int l = 0; l < d; l++) {
                    out[i][l] += aiq * b[q][l];
                }
            }
        }
        return out;
    }
}
