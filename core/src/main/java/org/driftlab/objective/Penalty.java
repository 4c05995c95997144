package org.driftlab.objective;

import org.driftlab.autodiff.Var;

/**
 * A penalty P(θ) on an objective, as a differentiable expression so that E + αP can be descended by autodiff
 * (most penalties hold ∇E and so need gradients of gradients). The objective passed in is the one being penalised
 * at that moment: the full objective or the current mini-batch, so a penalty is mini-batch aware for free.
 *
 * <p>A penalty with randomness (Hutchinson probes, sampled labels) fixes its draw when it is built, so the
 * penalised loss is a deterministic function of θ: finite differences and repeated evaluations see the same
 * function. Rules build a fresh penalty per step from a seed and the step index.
 */
@FunctionalInterface
public interface Penalty {
    /**
     * P(θ) for the objective {@code on}.
     *
     * @param loss {@code on.loss(theta)}, already in the graph: a penalty built on ∇E differentiates it rather
     *     than building E a second time
     */
    Var apply(Objective on, Var theta, Var loss);
}
