package org.driftlab.objective;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * The modified losses of backward error analysis as {@link Objective}s, their gradients by autodiff (gradients of
 * gradients). Each is a loss whose gradient flow tracks the discrete iterates one order in h better than the flow
 * of E itself.
 *
 * <ul>
 *   <li>{@link #igr IGR} (Barrett &amp; Dherin, ICLR 2021): Ẽ = E + (h/4)‖∇E‖², so ∇Ẽ = ∇E + (h/2)∇²E∇E. Its flow
 *       matches full-batch GD with learning rate h to O(h³) per step.</li>
 *   <li>{@link #smith Smith et al.} (ICLR 2021), one epoch of n mini-batches E_1..E_n with E = (1/n)Σ_k E_k:
 *       Ẽ = E + h/(4n)·Σ_k ‖∇E_k‖². Its flow over time nh matches the <em>mean</em> SGD iterate over random orders of
 *       the batches.</li>
 *   <li>{@link #rosca Rosca et al.} (the n-step SGD modified loss of the discretisation-drift papers, Rosca, Wu,
 *       Qin, Dherin, TMLR 2023): for one <em>fixed</em> order of the batches,
 *       Ẽ = E + (nh/4)‖∇E‖² − (h/n)·Σ_{k} Σ_{j&lt;k} ∇E_k · sg(∇E_j), with sg the stop-gradient. Derivation: n SGD
 *       steps θ_k = θ_{k−1} − h∇E_k(θ_{k−1}) give θ_n = θ_0 − hΣ_k g_k + h²Σ_{j&lt;k} H_k g_j + O(h³) (g_k, H_k at θ_0);
 *       the flow θ̇ = −(∇E + h f₁) over time nh gives θ_0 − nh∇E − nh² f₁ + (n²h²/2)∇²E∇E + O(h³). Matching the h²
 *       terms, f₁ = (n/2)∇²E∇E − (1/n)Σ_{j&lt;k} H_k g_j, and H_k g_j = ∇_θ(∇E_k·sg(∇E_j)). The first term is the
 *       gradient of the full-batch norm term (nh/4)‖∇E‖²; the second, the mini-batch gradient-alignment term, is
 *       not a gradient in general (only its stop-gradient surrogate is written as a loss). Averaged over all
 *       orders, Σ_{j&lt;k} H_k g_j becomes ½(n²∇²E∇E − Σ_k H_k g_k) and Ẽ reduces to Smith's.</li>
 * </ul>
 *
 * <p>Rosca's Ẽ is a surrogate: its value includes the stop-gradient products, its gradient is the modified
 * vector field (which the tests check), and its "Hessian" (the Jacobian of that field) need not be symmetric.
 */
public final class ModifiedLosses {
    private ModifiedLosses() {}

    /** ‖∇E(θ)‖² as a differentiable expression of θ (one level of gradients kept in the graph). */
    public static Var gradientNormSquared(Objective e, Var theta) {
        return gradientNormSquared(e.loss(theta), theta);
    }

    /** ‖∇E(θ)‖² from E already built as an expression of θ. */
    public static Var gradientNormSquared(Var loss, Var theta) {
        Var g = Autodiff.grad(loss, theta, true);
        return F.dot(g, g);
    }

    /** IGR: Ẽ = E + (h/4)‖∇E‖². */
    public static Objective igr(Objective e, double h) {
        return new GradientLoss("igr(" + e + ", h=" + h + ")", e.dim(),
                t -> {
                    Var loss = e.loss(t);
                    return F.add(loss, F.scale(gradientNormSquared(loss, t), h / 4));
                });
    }

    /**
     * Smith et al.: Ẽ = E + h/(4n)·Σ_k ‖∇E_k‖² with E_k = E on batch k (indices into e's examples). E is {@code e}
     * itself, which equals (1/n)Σ_k E_k when the batches partition the examples into equal parts.
     */
    public static Objective smith(Objective e, double h, int[][] batches) {
        List<Objective> parts = batches(e, batches);
        int n = parts.size();
        return new GradientLoss("smith(" + e + ", h=" + h + ", n=" + n + ")", e.dim(), t -> {
            Var reg = null;
            for (Objective part : parts) {
                Var r = gradientNormSquared(part, t);
                reg = reg == null ? r : F.add(reg, r);
            }
            return F.add(e.loss(t), F.scale(reg, h / (4.0 * n)));
        });
    }

    /**
     * Rosca et al.'s n-step SGD modified loss for the batches taken in the given order (first batch first):
     * Ẽ = E + (nh/4)‖∇E‖² − (h/n)Σ_k Σ_{j&lt;k} ∇E_k·sg(∇E_j), with E = (1/n)Σ_k E_k (the mean of the batch losses,
     * not {@code e}, so the expansion is exact whatever the batch sizes).
     */
    public static Objective rosca(Objective e, double h, int[][] batches) {
        List<Objective> parts = batches(e, batches);
        int n = parts.size();
        return new GradientLoss("rosca(" + e + ", h=" + h + ", n=" + n + ")", e.dim(), t -> {
            Var mean = null;
            for (Objective part : parts) {
                Var l = part.loss(t);
                mean = mean == null ? l : F.add(mean, l);
            }
            mean = F.scale(mean, 1.0 / n);
            Var full = Autodiff.grad(mean, t, true);
            Var result = F.add(mean, F.scale(F.dot(full, full), n * h / 4));
            Var[] fixed = new Var[n]; // sg(∇E_j): values only
            for (int j = 0; j < n; j++) {
                fixed[j] = Autodiff.grad(parts.get(j).loss(t), t, false).detach();
            }
            for (int k = 1; k < n; k++) {
                Var gk = Autodiff.grad(parts.get(k).loss(t), t, true);
                Var earlier = fixed[0];
                for (int j = 1; j < k; j++) {
                    earlier = F.add(earlier, fixed[j]);
                }
                result = F.sub(result, F.scale(F.dot(gk, earlier), h / n));
            }
            return result;
        });
    }

    private static List<Objective> batches(Objective e, int[][] batches) {
        if (batches.length == 0) {
            throw new IllegalArgumentException("modified loss: no batches");
        }
        if (e.numExamples() <= 0) {
            throw new DriftlabException("modified loss: " + e + " has no examples to split into batches");
        }
        List<Objective> parts = new ArrayList<>();
        for (int[] b : batches) {
            parts.add(e.onBatch(b));
        }
        return parts;
    }
}
