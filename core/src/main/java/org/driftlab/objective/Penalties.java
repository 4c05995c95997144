package org.driftlab.objective;

import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;

/**
 * The explicit regularisers that need only the objective (the Fisher penalty, which samples labels from the
 * model, lives in {@code optim.Regularized}). Every one is differentiable in θ, through one more level of
 * autodiff than the penalty itself.
 */
public final class Penalties {
    private Penalties() {}

    /** Added under the square root of a norm so that ‖∇E‖^q with q &lt; 2 has a finite gradient at ∇E = 0. */
    public static final double NORM_FLOOR = 1e-30;

    /**
     * ‖∇E‖^q (q = 2: the IGR / gradient-norm penalty; q = 1: SAM's first-order penalty and the seed slides' Fisher
     * form). For q ≠ 2 it is (‖∇E‖² + 1e-30)^{q/2}.
     */
    public static Penalty gradientNorm(double q) {
        checkQ(q);
        return (on, theta, loss) -> normPower(ModifiedLosses.gradientNormSquared(loss, theta), q);
    }

    /** (s + floor)^{q/2}, or s itself for q = 2. */
    public static Var normPower(Var squaredNorm, double q) {
        checkQ(q);
        return q == 2 ? squaredNorm : F.pow(F.addScalar(squaredNorm, NORM_FLOOR), q / 2);
    }

    private static void checkQ(double q) {
        if (!(q > 0) || Double.isInfinite(q)) {
            throw new DriftlabException("regularizer.q: " + q + " must be a positive number (1 or 2 in the papers)");
        }
    }

    /**
     * Smith et al.'s implicit SGD regulariser made explicit (Novack et al.'s {@code RegLoss}): the mean over
     * micro-batches k of ‖∇E_k‖², the micro-batches being consecutive runs of {@code size} examples of the
     * penalised objective (the last one may be shorter).
     */
    public static Penalty microBatchGradientNorm(int size) {
        if (size < 1) {
            throw new DriftlabException("regularizer.micro_batch: " + size + " must be >= 1");
        }
        return (on, theta, loss) -> {
            int n = on.numExamples();
            if (n <= 0) {
                throw new DriftlabException("regularizer micro-batch: " + on + " has no examples to split");
            }
            Var sum = null;
            int count = 0;
            for (int from = 0; from < n; from += size) {
                int to = Math.min(n, from + size);
                int[] idx = new int[to - from];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = from + i;
                }
                Var r = idx.length == n ? ModifiedLosses.gradientNormSquared(loss, theta)
                        : ModifiedLosses.gradientNormSquared(on.onBatch(idx), theta);
                sum = sum == null ? r : F.add(sum, r);
                count++;
            }
            return F.scale(sum, 1.0 / count);
        };
    }

    /**
     * Hutchinson's estimate of Tr ∇²E, (1/m)Σ_j v_jᵀ∇²E v_j with m Rademacher vectors v_j drawn from {@code seed}
     * when the penalty is built (so it is one fixed function of θ). Its gradient needs third derivatives.
     */
    public static Penalty hessianTrace(int samples, long seed) {
        return weightedHessianTrace(null, samples, seed);
    }

    /**
     * Hutchinson's estimate of Tr(D∇²E) for a fixed diagonal D (given as its entries; null for D = I):
     * (1/m)Σ_j (D v_j)ᵀ∇²E v_j, unbiased for Rademacher v_j. With D = G⁻¹ this is G-TRACER's Tr(G⁻¹H).
     */
    public static Penalty weightedHessianTrace(double[] diagonal, int samples, long seed) {
        if (samples < 1) {
            throw new DriftlabException("regularizer.samples: " + samples + " must be >= 1");
        }
        return new Penalty() {
            private double[][] probes;
            private double[][] weighted;

            @Override
            public Var apply(Objective on, Var theta, Var loss) {
                int d = on.dim();
                if (diagonal != null && diagonal.length != d) {
                    throw new IllegalArgumentException("trace penalty: diagonal has " + diagonal.length + " entries, D = " + d);
                }
                if (probes == null || probes[0].length != d) { // drawn and weighted once: fixed for the penalty's life
                    probes = rademacher(samples, d, seed);
                    weighted = weight(probes, diagonal);
                }
                return hutchinson(Autodiff.grad(loss, theta, true), theta, probes, weighted);
            }
        };
    }

    /** D·v_j for every probe (the probes themselves for D = null). */
    public static double[][] weight(double[][] probes, double[] diagonal) {
        double[][] w = new double[probes.length][];
        for (int j = 0; j < probes.length; j++) {
            w[j] = probes[j].clone();
            if (diagonal != null) {
                for (int i = 0; i < w[j].length; i++) {
                    w[j][i] *= diagonal[i];
                }
            }
        }
        return w;
    }

    /**
     * (1/m)Σ_j (D v_j)ᵀ∇²E v_j as an expression of θ, from ∇E already in the graph (built with createGraph):
     * one more backward per probe.
     */
    public static Var hutchinson(Var gradient, Var theta, double[][] probes, double[][] weightedProbes) {
        Var sum = null;
        for (int j = 0; j < probes.length; j++) {
            Var hv = Autodiff.grad(F.dot(gradient, Var.constant(Tensor.vector(probes[j].clone()))), theta, true);
            Var term = F.dot(hv, Var.constant(Tensor.vector(weightedProbes[j].clone())));
            sum = sum == null ? term : F.add(sum, term);
        }
        return F.scale(sum, 1.0 / probes.length);
    }

    /** m Rademacher vectors of length d from a seed. */
    public static double[][] rademacher(int m, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] v = new double[m][d];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                v[j][i] = rng.nextBoolean() ? 1.0 : -1.0;
            }
        }
        return v;
    }
}
