package org.driftlab.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.Objective;

/**
 * Gradient descent θ_{n+1} = θ_n − h∇E(θ_n) with its local time averages, the quantities a central flow predicts:
 * at each requested step n, θ_n, E(θ_n), ‖∇E(θ_n)‖², and their averages over the window n − w..n + w with the
 * trapezoid weights ½, 1, …, 1, ½ (sum 2w). The trapezoid cancels a period-two oscillation exactly (for w = 1 it is
 * the "second-order midpoint" (θ_{n−1} + 2θ_n + θ_{n+1})/4 of the public central-flow code) while staying centred
 * on n. Near n = 0 the window shrinks to stay symmetric (w' = min(w, n)). Optionally the top Hessian eigenvalues at
 * θ_n are measured with an {@link EigenTracker}. Only the 2w + 1 latest iterates are kept, so a network's run costs
 * memory for the window and the requested samples only.
 */
public final class GdAverages {
    private GdAverages() {}

    /**
     * One requested step.
     *
     * @param step n
     * @param theta θ_n
     * @param averagedTheta the window average of θ
     * @param loss E(θ_n)
     * @param averagedLoss the window average of E
     * @param gradNormSquared ‖∇E(θ_n)‖²
     * @param averagedGradNormSquared the window average of ‖∇E‖²
     * @param eigenvalues the tracked top eigenvalues at θ_n (empty without a tracker)
     */
    public record Sample(int step, double[] theta, double[] averagedTheta, double loss, double averagedLoss,
                         double gradNormSquared, double averagedGradNormSquared, double[] eigenvalues) {}

    /** Sees every iterate GD takes (for a figure of GD's own oscillation between the averaged samples). */
    @FunctionalInterface
    public interface StepObserver {
        /** Iterate m: E(θ_m) and ‖∇E(θ_m)‖². */
        void step(int m, double loss, double gradNormSquared);
    }

    /** As {@link #run(Objective, double[], double, int, int[], EigenTracker, StepObserver)} without an observer. */
    public static List<Sample> run(Objective objective, double[] theta0, double h, int halfWindow, int[] at,
                                   EigenTracker tracker) {
        return run(objective, theta0, h, halfWindow, at, tracker, null);
    }

    /**
     * Runs GD from θ_0 far enough to average around every requested step (steps up to max(at) + w are taken) and
     * returns the requested samples in the order of {@code at} (ascending, each ≥ 0). Stops early, returning fewer
     * samples, if θ or E leaves the finite numbers.
     *
     * @param halfWindow w ≥ 0 (0: no averaging)
     * @param tracker measures eigenvalues at the requested θ_n, or null
     * @param observer sees every iterate taken (finite ones only), or null
     */
    public static List<Sample> run(Objective objective, double[] theta0, double h, int halfWindow, int[] at,
                                   EigenTracker tracker, StepObserver observer) {
        objective.checkDim(theta0);
        Checks.positive("learning rate h", h);
        if (halfWindow < 0) {
            throw new IllegalArgumentException("half window must be >= 0, got " + halfWindow);
        }
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0 || (i > 0 && at[i] <= at[i - 1])) {
                throw new IllegalArgumentException("requested steps must be >= 0 and increasing: " + Arrays.toString(at));
            }
        }
        List<Sample> out = new ArrayList<>();
        if (at.length == 0) {
            return out;
        }
        int w = halfWindow;
        int ring = 2 * w + 1;
        double[][] thetas = new double[ring][];
        double[] losses = new double[ring];
        double[] grads = new double[ring];
        double[] theta = theta0.clone();
        int next = 0; // index into at
        int last = at[at.length - 1] + w;
        for (int m = 0; m <= last; m++) {
            Autodiff.ValueAndGrad vg = objective.valueAndGradient(theta);
            double[] g = vg.gradient();
            double g2 = Vectors.dot(g, g);
            if (!Double.isFinite(vg.value()) || !Double.isFinite(g2)) {
                break;
            }
            if (observer != null) {
                observer.step(m, vg.value(), g2);
            }
            thetas[m % ring] = theta;
            losses[m % ring] = vg.value();
            grads[m % ring] = g2;
            // A requested centre c is complete once its window's last iterate c + min(w, c) is in.
            while (next < at.length && at[next] + Math.min(w, at[next]) <= m) {
                out.add(sample(at[next], Math.min(w, at[next]), thetas, losses, grads, ring, objective, tracker));
                next++;
            }
            if (next == at.length) {
                break;
            }
            theta = theta.clone();
            Vectors.axpy(-h, g, theta);
        }
        return out;
    }

    private static Sample sample(int c, int w, double[][] thetas, double[] losses, double[] grads, int ring,
                                 Objective objective, EigenTracker tracker) {
        double[] avg = new double[thetas[c % ring].length];
        double avgLoss = 0;
        double avgGrad = 0;
        double total = 0;
        for (int m = c - w; m <= c + w; m++) {
            double weight = w > 0 && (m == c - w || m == c + w) ? 0.5 : 1;
            int slot = m % ring;
            Vectors.axpy(weight, thetas[slot], avg);
            avgLoss += weight * losses[slot];
            avgGrad += weight * grads[slot];
            total += weight;
        }
        for (int i = 0; i < avg.length; i++) {
            avg[i] /= total;
        }
        double[] theta = thetas[c % ring].clone();
        double[] eigs = tracker == null ? new double[0] : tracker.track(objective.hessian(theta)).values();
        return new Sample(c, theta, avg, losses[c % ring], avgLoss / total, grads[c % ring], avgGrad / total, eigs);
    }
}
