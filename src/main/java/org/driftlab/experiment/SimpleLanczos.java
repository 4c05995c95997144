package org.driftlab.experiment;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.Vectors;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A small internal Lanczos: m steps with full reorthogonalisation (twice, for stability in floating point),
 * then the Ritz values of the tridiagonal matrix by EJML's symmetric eigen-decomposition. Deterministic: the
 * start vector is the warm start or a fixed-seed Gaussian. Stand-in until curvature.Lanczos is wired.
 */
public final class SimpleLanczos implements EigenSolver {
    @Override
    public Result top(LinearOperator op, int k, int iterations, double[] warmStart) {
        int n = op.dim();
        if (n < 1) {
            throw new IllegalArgumentException("Lanczos needs an operator with a known dimension");
        }
        int m = Math.min(Math.max(iterations, k), n);
        double[] q = new double[n];
        if (warmStart != null && warmStart.length == n && Vectors.norm(warmStart) > 0) {
            q = warmStart.clone();
        } else {
            SplittableRandom rng = new SplittableRandom(0x5EED);
            for (int i = 0; i < n; i++) {
                q[i] = rng.nextGaussian();
            }
        }
        scaleInPlace(q, 1 / Vectors.norm(q));
        double[][] basis = new double[m][];
        double[] alpha = new double[m];
        double[] beta = new double[m];
        int steps = 0;
        for (int j = 0; j < m; j++) {
            basis[j] = q;
            double[] w = op.apply(q);
            alpha[j] = Vectors.dot(w, q);
            steps = j + 1;
            for (int pass = 0; pass < 2; pass++) { // full reorthogonalisation, twice
                for (int i = 0; i <= j; i++) {
                    Vectors.axpy(-Vectors.dot(w, basis[i]), basis[i], w);
                }
            }
            double b = Vectors.norm(w);
            if (j == m - 1 || b <= 1e-12 * (Math.abs(alpha[j]) + 1e-300)) {
                break; // budget used, or an invariant subspace: the Ritz values are exact
            }
            beta[j] = b;
            q = w;
            scaleInPlace(q, 1 / b);
        }
        DMatrixRMaj t = new DMatrixRMaj(steps, steps);
        for (int i = 0; i < steps; i++) {
            t.set(i, i, alpha[i]);
            if (i + 1 < steps) {
                t.set(i, i + 1, beta[i]);
                t.set(i + 1, i, beta[i]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(steps, true, true);
        if (!eig.decompose(t)) {
            throw new IllegalStateException("tridiagonal eigen-decomposition failed");
        }
        Integer[] order = new Integer[steps];
        double[] vals = new double[steps];
        for (int i = 0; i < steps; i++) {
            order[i] = i;
            vals[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(order, (a, b) -> Double.compare(vals[b], vals[a]));
        double[] top = new double[k];
        Arrays.fill(top, Double.NaN);
        for (int i = 0; i < Math.min(k, steps); i++) {
            top[i] = vals[order[i]];
        }
        DMatrixRMaj y = eig.getEigenVector(order[0]);
        double[] v = new double[n];
        for (int i = 0; i < steps; i++) {
            Vectors.axpy(y.get(i, 0), basis[i], v);
        }
        double norm = Vectors.norm(v);
        if (norm > 0) {
            scaleInPlace(v, 1 / norm);
        }
        return new Result(top, v);
    }

    private static void scaleInPlace(double[] x, double c) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= c;
        }
    }
}
