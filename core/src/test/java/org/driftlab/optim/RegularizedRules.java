package org.driftlab.optim;

import java.util.List;
import org.driftlab.objective.Penalties;

/**
 * The regularised rules of the optim tests, built from optim's own parts by penalty name: the tests' independent
 * statement of what each spec name means (experiment.RegularizerSpecTest checks the registry against it).
 */
public final class RegularizedRules {
    private RegularizedRules() {}

    /** The penalty names, in the registry's order. */
    public static final List<String> NAMES = List.of("igr", "grad-norm", "fisher", "micro-batch", "hessian-trace", "gtracer");

    /** inner on E + α·P, P named as in specs; coef null means IGR's h/4. */
    public static Regularized of(UpdateRule inner, String name, Double coef, double q, int samples, int microBatch,
                          double beta, double delta, long seed) {
        Regularized.StepPenalty p = switch (name) {
            case "igr" -> Regularized.fixed(Penalties.gradientNorm(2));
            case "grad-norm" -> Regularized.fixed(Penalties.gradientNorm(q));
            case "fisher" -> Regularized.fisher(q);
            case "micro-batch" -> Regularized.fixed(Penalties.microBatchGradientNorm(microBatch));
            case "hessian-trace" -> (t, s) -> Penalties.hessianTrace(samples, s);
            case "gtracer" -> new GTracer(samples, beta, delta);
            default -> throw new IllegalArgumentException(name);
        };
        return new Regularized(inner, name, p, coef == null ? h -> h / 4 : h -> coef, seed);
    }

    /** G-TRACER's G of a gtracer rule. */
    public static double[] fisherDiagonal(Regularized rule) {
        return ((GTracer) rule.penalty()).fisherDiagonal();
    }
}
