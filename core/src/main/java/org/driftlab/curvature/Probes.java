package org.driftlab.curvature;

import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.linalg.LinearOperator;

/** Random probe vectors and operator-call checks shared by the estimators. */
final class Probes {
    private Probes() {}

    /** Entries ±scale with probability ½ each. */
    static double[] rademacher(SplittableRandom rng, int dim, double scale) {
        double[] z = new double[dim];
        for (int i = 0; i < dim; i++) {
            z[i] = rng.nextBoolean() ? scale : -scale;
        }
        return z;
    }

    static double[] gaussian(SplittableRandom rng, int dim) {
        double[] z = new double[dim];
        for (int i = 0; i < dim; i++) {
            z[i] = rng.nextGaussian();
        }
        return z;
    }

    /** The operator's dimension, which the estimators need to draw probes. */
    static int dimension(LinearOperator op) {
        int dim = op.dim();
        if (dim < 1) {
            throw new IllegalArgumentException("operator dimension unknown (" + dim + "); wrap it with LinearOperator.of(dim, op)");
        }
        return dim;
    }

    /** Applies A and rejects wrong lengths and non-finite output (a diverged model, a broken HVP). */
    static double[] apply(LinearOperator op, double[] x) {
        double[] y = op.apply(x);
        if (y.length != x.length) {
            throw new IllegalStateException("operator returned length " + y.length + " for input length " + x.length);
        }
        for (double v : y) {
            if (!Double.isFinite(v)) {
                throw new DriftlabException("operator returned a non-finite value (diverged parameters or a broken matrix-vector product?)");
            }
        }
        return y;
    }
}
