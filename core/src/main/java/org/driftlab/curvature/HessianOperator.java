package org.driftlab.curvature;

import java.util.concurrent.atomic.AtomicLong;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.objective.Objective;

/**
 * The Hessian H = ∇²E(θ) at a fixed θ as a symmetric operator for Lanczos, SLQ and Hutchinson, counting its
 * products. Full batch by default, or E restricted to a fixed mini-batch ({@link Objective#onBatch}).
 *
 * <p>The product is the objective's own {@link Objective#hessian}: for a {@code NetObjective} each chunk's forward
 * pass and gradient graph are recorded once at construction, so a product is one second-order backward pass
 * through them (measured ≈ 1.5 gradients with the generic autodiff, as PyTorch when it reuses its graph).
 */
public final class HessianOperator implements LinearOperator {
    private final Objective objective;
    private final double[] theta;
    private final LinearOperator product;
    private final AtomicLong products = new AtomicLong();

    private HessianOperator(Objective objective, double[] theta, LinearOperator product) {
        this.objective = objective;
        this.theta = theta.clone();
        this.product = product;
    }

    /** The full-batch Hessian of E at θ. */
    public static HessianOperator of(Objective objective, double[] theta) {
        return new HessianOperator(objective, theta, objective.hessian(theta));
    }

    /** The Hessian of E restricted to the examples {@code indices} (a fixed mini-batch), at θ. */
    public static HessianOperator onBatch(Objective objective, double[] theta, int[] indices) {
        Objective batch = objective.onBatch(indices);
        return new HessianOperator(batch, theta, batch.hessian(theta));
    }

    /** Wraps an already built product (e.g. a specialised faster product) so that it is counted like the others. */
    public static HessianOperator wrap(Objective objective, double[] theta, LinearOperator product) {
        if (product.dim() != objective.dim()) {
            throw new IllegalArgumentException("HessianOperator: product of dimension " + product.dim() + " for D = "
                    + objective.dim());
        }
        return new HessianOperator(objective, theta, product);
    }

    @Override
    public double[] apply(double[] v) {
        if (v.length != theta.length) {
            throw new IllegalArgumentException("HessianOperator: vector of length " + v.length + " for D = " + theta.length);
        }
        products.incrementAndGet();
        return product.apply(v);
    }

    @Override
    public int dim() {
        return theta.length;
    }

    /** Number of Hessian-vector products applied so far. */
    public long products() {
        return products.get();
    }

    /** The objective whose Hessian this is (the mini-batch objective for {@link #onBatch}). */
    public Objective objective() {
        return objective;
    }

    /** θ (a copy). */
    public double[] theta() {
        return theta.clone();
    }
}
