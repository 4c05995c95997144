package org.driftlab.curvature;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.Var;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.nn.Loss;
import org.driftlab.objective.NetObjective;
import org.driftlab.tensor.Layout;
import org.driftlab.tensor.Reductions;
import org.driftlab.tensor.Tensor;

/**
 * The generalised Gauss–Newton matrix G = (1/N)Σ_i J_iᵀ H_ℓ,i J_i of a {@link NetObjective} at θ, with J_i the
 * Jacobian of the network outputs f(θ, x_i) and H_ℓ,i the Hessian of the loss in the outputs: the identity for
 * MSE (½‖f − y‖² per example) and diag(p_i) − p_i p_iᵀ, p_i = softmax(f(x_i)), for cross-entropy. G is positive
 * semi-definite; for MSE it equals the true Fisher of a unit-variance Gaussian likelihood.
 *
 * <p>A product G·v is J·v by the transpose trick (the vjp of the linear map w ↦ wᵀJ, recorded once), a multiply by
 * H_ℓ, and Jᵀ·u by one backward pass through the recorded forward pass: about two backward passes.
 */
public final class GaussNewtonOperator implements LinearOperator {
    private record Part(Var theta, Var outputs, Var cotangent, Var transposed, double[] probabilities, int rows) {}

    private final int dim;
    private final int n;
    private final int classes;
    private final Loss loss;
    private final List<Part> parts = new ArrayList<>();
    private final AtomicLong products = new AtomicLong();

    /** G at θ over the whole data set, processed in chunks of {@link NetObjective#DEFAULT_CHUNK} examples. */
    public GaussNewtonOperator(NetObjective obj, double[] theta) {
        obj.checkDim(theta);
        this.dim = obj.dim();
        this.n = obj.numExamples();
        this.loss = obj.lossKind();
        this.classes = obj.numClasses();
        Tensor inputs = obj.inputs();
        for (int from = 0; from < n; from += NetObjective.DEFAULT_CHUNK) {
            int to = Math.min(n, from + NetObjective.DEFAULT_CHUNK);
            Var x = Var.constant(from == 0 && to == n ? inputs : Layout.slice(inputs, 0, from, to));
            Var t = Var.param(Tensor.vector(theta.clone()));
            Var f = obj.network().forward(t, x);
            Var w = Var.param(Tensor.zeros(f.shape()));
            Var wj = Autodiff.vjp(new Var[] {f}, new Var[] {w}, new Var[] {t}, true)[0];
            double[] p = loss == Loss.CE ? softmax(f.value()) : null;
            parts.add(new Part(t, f, w, wj, p, to - from));
        }
    }

    @Override
    public double[] apply(double[] v) {
        if (v.length != dim) {
            throw new IllegalArgumentException("GaussNewtonOperator: vector of length " + v.length + " for D = " + dim);
        }
        products.incrementAndGet();
        double[] out = new double[dim];
        for (Part part : parts) {
            double[] jv;
            if (part.transposed.requiresGrad()) {
                jv = Autodiff.vjp(new Var[] {part.transposed}, new Var[] {Var.constant(Tensor.vector(v.clone()))},
                        new Var[] {part.cotangent}, false)[0].value().data();
            } else {
                jv = new double[part.rows * classes]; // outputs do not depend on θ
            }
            double[] u = applyLossHessian(jv, part);
            Var[] jt = Autodiff.vjp(new Var[] {part.outputs}, new Var[] {Var.constant(Tensor.of(u, part.rows, classes))},
                    new Var[] {part.theta}, false);
            double[] g = jt[0].value().data();
            for (int i = 0; i < dim; i++) {
                out[i] += g[i];
            }
        }
        return out;
    }

    /** u = H_ℓ·Jv/N row by row (the 1/N of the mean loss folded in). */
    private double[] applyLossHessian(double[] jv, Part part) {
        double[] u = new double[jv.length];
        if (loss == Loss.MSE) {
            for (int i = 0; i < u.length; i++) {
                u[i] = jv[i] / n;
            }
            return u;
        }
        double[] p = part.probabilities;
        for (int r = 0; r < part.rows; r++) {
            int o = r * classes;
            double pv = 0;
            for (int c = 0; c < classes; c++) {
                pv += p[o + c] * jv[o + c];
            }
            for (int c = 0; c < classes; c++) {
                u[o + c] = p[o + c] * (jv[o + c] - pv) / n;
            }
        }
        return u;
    }

    @Override
    public int dim() {
        return dim;
    }

    /** Number of products applied so far. */
    public long products() {
        return products.get();
    }

    @Override
    public String toString() {
        return "GaussNewtonOperator[" + loss + ", D=" + dim + ", N=" + n + ", chunks=" + parts.size() + "]";
    }

    private static double[] softmax(Tensor logits) {
        double[] p = Reductions.logSoftmax(logits).data().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(p[i]);
        }
        return p;
    }
}
