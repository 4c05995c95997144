package org.driftlab.objective;

import java.util.Random;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Layout;
import org.driftlab.tensor.MatMul;
import org.driftlab.tensor.Tensor;

/**
 * Least squares E(w) = (1/2n)‖Xw − y‖² for X [n, d] and y [n]. Its Hessian is XᵀX/n at every w, which makes it
 * the exact test bed for curvature code and for the stability threshold 2/λ_max of gradient descent.
 */
public final class LinearRegression implements Objective {
    private final Tensor x;
    private final Tensor y;
    private final int n;
    private final int d;

    public LinearRegression(Tensor x, Tensor y) {
        if (x.rank() != 2 || y.size() != x.dim(0)) {
            throw new IllegalArgumentException("linreg: X must be [n, d] and y [n], got " + x.shapeString() + " and " + y.shapeString());
        }
        this.x = x;
        this.y = y.reshape(y.size(), 1);
        this.n = x.dim(0);
        this.d = x.dim(1);
    }

    /** Seeded Gaussian design X ~ N(0, 1), teacher w* ~ N(0, 1), y = Xw* + noise·N(0, 1). */
    public static LinearRegression random(int n, int d, double noise, long seed) {
        if (n <= 0 || d <= 0) {
            throw new IllegalArgumentException("linreg: n and d must be positive, got n=" + n + ", d=" + d);
        }
        Random r = new Random(seed);
        double[] xs = new double[n * d];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextGaussian();
        }
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = r.nextGaussian();
        }
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += xs[i * d + j] * w[j];
            }
            ys[i] = s + noise * r.nextGaussian();
        }
        return new LinearRegression(Tensor.of(xs, n, d), Tensor.vector(ys));
    }

    public Tensor design() {
        return x;
    }

    public Tensor responses() {
        return y.reshape(n);
    }

    /** XᵀX/n, the Hessian, as a dense [d, d] tensor. */
    public Tensor hessianMatrix() {
        Tensor h = MatMul.matmul(x, true, x, false);
        double[] v = h.data();
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
        return h;
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public Var loss(Var w) {
        Var r = F.sub(F.matmul(Var.constant(x), F.reshape(w, d, 1)), Var.constant(y));
        return F.scale(F.sum(F.square(r)), 0.5 / n);
    }

    @Override
    public int numExamples() {
        return n;
    }

    @Override
    public Objective onBatch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("linreg.onBatch: empty batch");
        }
        return new LinearRegression(Layout.gatherRows(x, indices), Layout.gatherRows(y, indices));
    }

    @Override
    public String toString() {
        return "linreg n=" + n + " d=" + d;
    }
}
