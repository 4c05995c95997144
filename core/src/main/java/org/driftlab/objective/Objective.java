package org.driftlab.objective;

import java.util.LinkedHashMap;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.GradMode;
import org.driftlab.autodiff.Var;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.tensor.Tensor;

/**
 * The seam every algorithm in driftlab uses: a loss E on a flat parameter vector θ ∈ R^D, with E(θ), ∇E(θ) and
 * exact ∇²E(θ)·v. Update rules, flows, curvature probes and games speak to an Objective, never to a network.
 *
 * <p>The one required method, {@link #loss(Var)}, gives E as a differentiable expression of θ, so objectives
 * compose: a modified loss such as E + (h/4)‖∇E‖² is itself an Objective. Implementations override the
 * numeric methods when they can do better (chunking over a data set, reusing a forward pass).
 */
public interface Objective {
    /** D, the number of parameters. */
    int dim();

    /** E(θ) as a differentiable scalar expression of θ (a variable of shape [D]). */
    Var loss(Var theta);

    /** E(θ). */
    default double value(double[] theta) {
        checkDim(theta);
        return GradMode.noGrad(() -> loss(Var.constant(Tensor.vector(theta.clone()))).item());
    }

    /** E(θ) and ∇E(θ) in one pass. */
    default Autodiff.ValueAndGrad valueAndGradient(double[] theta) {
        checkDim(theta);
        return Autodiff.valueAndGrad(this::loss, theta);
    }

    /** ∇E(θ). */
    default double[] gradient(double[] theta) {
        return valueAndGradient(theta).gradient();
    }

    /** ∇²E(θ)·v, exact. */
    default double[] hvp(double[] theta, double[] v) {
        checkDim(theta);
        return Autodiff.hvp(this::loss, theta, v);
    }

    /**
     * The Hessian at a fixed θ as a symmetric operator. Whatever can be computed once at θ is kept, so each
     * product costs less than a fresh {@link #hvp}: use this for eigensolvers and traces.
     */
    default LinearOperator hessian(double[] theta) {
        return secondOrder(theta).hessian();
    }

    /**
     * E, ∇E and the Hessian operator at θ from one pass: the operator differentiates the very graph that gave ∇E.
     * Use this wherever a computation needs the gradient and Hessian products at the same θ (the IGR and
     * Principal flows, DAL's ζ, drift), instead of {@link #valueAndGradient} followed by {@link #hessian}.
     */
    default SecondOrder secondOrder(double[] theta) {
        checkDim(theta);
        Autodiff.HessianProduct h = Autodiff.hessianAt(this::loss, theta);
        return new SecondOrder(h.value(), h.gradient(), LinearOperator.of(dim(), h::apply));
    }

    /**
     * E, ∇E and ∇²E at one θ.
     *
     * @param hessian products with ∇²E(θ), each about one second-order backward pass
     */
    record SecondOrder(double value, double[] gradient, LinearOperator hessian) {}

    /** Number of examples E averages over; 0 for an analytic objective without a data set. */
    default int numExamples() {
        return 0;
    }

    /** The same loss on a subset of the examples (a mini-batch), as an Objective on the same θ. */
    default Objective onBatch(int[] indices) {
        throw new DriftlabException(getClass().getSimpleName() + " has no examples to take a mini-batch of");
    }

    /** Named metrics at θ for logs and reports; at least "loss" (data objectives add "accuracy"). */
    default Map<String, Double> metrics(double[] theta) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", value(theta));
        return m;
    }

    /** Throws a clear error when θ has the wrong length. */
    default void checkDim(double[] theta) {
        if (theta.length != dim()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": θ has length " + theta.length
                    + " but the objective has D = " + dim());
        }
    }
}
