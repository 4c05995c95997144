package org.driftlab.objective;

import java.util.Random;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;

/**
 * E(θ) = ½θᵀAθ + bᵀθ with A = Q·diag(λ)·Qᵀ for a chosen spectrum λ and orthogonal basis Q (the identity, or a
 * seeded random rotation from the QR factorisation of a Gaussian matrix). The Hessian is A everywhere: the
 * model problem of every stability analysis (gradient descent on it is stable iff h &lt; 2/λ_max).
 */
public final class Quadratic implements Objective {
    private final double[] eigenvalues;
    private final Tensor basis;
    private final Tensor a;
    private final double[] linear;
    private final String name;

    /**
     * @param eigenvalues λ, the spectrum of A (D = its length)
     * @param basis       Q [D, D] with orthonormal columns (the eigenvectors), or null for the identity
     * @param linear      b, or null for 0
     */
    public Quadratic(double[] eigenvalues, Tensor basis, double[] linear, String name) {
        int dim = eigenvalues.length;
        if (dim == 0) {
            throw new IllegalArgumentException("quadratic: no eigenvalues");
        }
        if (basis != null && !basis.hasShape(dim, dim)) {
            throw new IllegalArgumentException("quadratic: basis " + basis.shapeString() + " is not [" + dim + ", " + dim + "]");
        }
        if (linear != null && linear.length != dim) {
            throw new IllegalArgumentException("quadratic: linear term of length " + linear.length + " for D = " + dim);
        }
        this.eigenvalues = eigenvalues.clone();
        this.basis = basis;
        this.linear = linear == null ? null : linear.clone();
        this.name = name;
        double[] m = new double[dim * dim];
        if (basis == null) {
            for (int i = 0; i < dim; i++) {
                m[i * dim + i] = eigenvalues[i];
            }
        } else {
            double[] q = basis.data();
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int k = 0; k < dim; k++) {
                        s += q[i * dim + k] * eigenvalues[k] * q[j * dim + k];
                    }
                    // filled symmetrically so the autodiff Hessian is exactly A, not (A + Aᵀ)/2 up to rounding
                    m[i * dim + j] = s;
                    m[j * dim + i] = s;
                }
            }
        }
        this.a = Tensor.of(m, dim, dim);
    }

    /** A seeded random orthogonal matrix: Q of the QR factorisation (modified Gram–Schmidt, R with positive diagonal). */
    public static Tensor randomOrthogonal(int dim, long seed) {
        Random r = new Random(seed);
        double[][] cols = new double[dim][dim];
        for (int j = 0; j < dim; j++) {
            for (int i = 0; i < dim; i++) {
                cols[j][i] = r.nextGaussian();
            }
        }
        for (int j = 0; j < dim; j++) {
            // two passes of Gram–Schmidt keep Q orthogonal to rounding even for large dim
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < dim; i++) {
                        dot += cols[k][i] * cols[j][i];
                    }
                    for (int i = 0; i < dim; i++) {
                        cols[j][i] -= dot * cols[k][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                norm += cols[j][i] * cols[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < dim; i++) {
                cols[j][i] /= norm;
            }
        }
        double[] q = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                q[i * dim + j] = cols[j][i];
            }
        }
        return Tensor.of(q, dim, dim);
    }

    /** A, the Hessian, [D, D]. */
    public Tensor matrix() {
        return a;
    }

    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** Q (eigenvectors as columns), or null for the identity. */
    public Tensor basis() {
        return basis;
    }

    @Override
    public int dim() {
        return eigenvalues.length;
    }

    @Override
    public Var loss(Var theta) {
        int d = dim();
        Var at = F.reshape(F.matmul(Var.constant(a), F.reshape(theta, d, 1)), d);
        Var e = F.scale(F.dot(theta, at), 0.5);
        if (linear != null) {
            e = F.add(e, F.dot(theta, Var.constant(Tensor.vector(linear.clone()))));
        }
        return e;
    }

    /** Aθ (+ b): the closed form, so simulations that take millions of gradients skip the autodiff graph. */
    @Override
    public double[] gradient(double[] theta) {
        checkDim(theta);
        double[] g = times(theta);
        if (linear != null) {
            for (int i = 0; i < g.length; i++) {
                g[i] += linear[i];
            }
        }
        return g;
    }

    /** E and ∇E in closed form. */
    @Override
    public org.driftlab.autodiff.Autodiff.ValueAndGrad valueAndGradient(double[] theta) {
        double[] g = gradient(theta);
        double e = 0;
        for (int i = 0; i < theta.length; i++) {
            // θᵀ(Aθ + b) = θᵀAθ + bᵀθ, so E = ½θᵀ(g + b)
            e += 0.5 * theta[i] * (g[i] + (linear == null ? 0 : linear[i]));
        }
        return new org.driftlab.autodiff.Autodiff.ValueAndGrad(e, g);
    }

    /** E(θ) in closed form. */
    @Override
    public double value(double[] theta) {
        return valueAndGradient(theta).value();
    }

    /** Av: the Hessian is A everywhere. */
    @Override
    public double[] hvp(double[] theta, double[] v) {
        checkDim(theta);
        checkDim(v);
        return times(v);
    }

    /** A·v for every v: the Hessian is A everywhere. */
    @Override
    public org.driftlab.linalg.LinearOperator hessian(double[] theta) {
        checkDim(theta);
        return org.driftlab.linalg.LinearOperator.of(dim(), this::times);
    }

    /** E, ∇E and A in closed form. */
    @Override
    public SecondOrder secondOrder(double[] theta) {
        org.driftlab.autodiff.Autodiff.ValueAndGrad vg = valueAndGradient(theta);
        return new SecondOrder(vg.value(), vg.gradient(), hessian(theta));
    }

    private double[] times(double[] x) {
        int d = dim();
        double[] out = new double[d];
        if (basis == null) {
            for (int i = 0; i < d; i++) {
                out[i] = eigenvalues[i] * x[i];
            }
            return out;
        }
        double[] m = a.data();
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += m[i * d + j] * x[j];
            }
            out[i] = s;
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
