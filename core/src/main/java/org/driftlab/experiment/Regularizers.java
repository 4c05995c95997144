package org.driftlab.experiment;

import static org.driftlab.experiment.Params.check;
import static org.driftlab.experiment.Params.atLeast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.driftlab.DriftlabException;
import org.driftlab.objective.Penalties;
import org.driftlab.optim.GTracer;
import org.driftlab.optim.Regularized;
import org.driftlab.optim.UpdateRule;

/**
 * The regulariser registry: one entry per {@code regularizer.name}, holding everything a spec knows about it: its
 * parameter record (keys, defaults, units, descriptions and range checks, in the {@code regularizer:} section beside
 * {@code name}) and how its per-step penalty and coefficient α are built. Any optimizer then descends E + α·P on
 * its own batches ({@link Regularized}); the penalty's state, if any, is checkpointed with the rule. Adding a
 * regulariser is one entry here (plus its penalty in {@code objective.Penalties} if the maths is new) and its test.
 */
public final class Regularizers {
    private Regularizers() {}

    /** What an entry builds from its parameters: the per-step penalty and α as a function of the step's h. */
    public record Built(Regularized.StepPenalty penalty, DoubleUnaryOperator coefficient) {}

    /**
     * One regulariser.
     *
     * @param doc one line for {@code driftlab show} and the docs
     */
    public record Entry<P extends Record>(String name, String doc, Class<P> params, Function<P, Built> builder) {
        /** The inner rule on E + α·P, the penalty's draws seeded by the sub-run seed (params of this entry's type). */
        public UpdateRule wrap(UpdateRule inner, Record p, long seed) {
            Built b = builder.apply(params.cast(p));
            return new Regularized(inner, name, b.penalty(), b.coefficient(), seed);
        }
    }

    private static void coefficient(Double coef) {
        check(coef != null, "coef", "missing; the penalty's coefficient α");
        check(coef >= 0 && Double.isFinite(coef), "coef", coef + " must be a number >= 0");
    }

    private static void power(double q) {
        check(q > 0 && Double.isFinite(q), "q", q + " must be > 0 (1 or 2 in the papers)");
    }

    private static void probes(int samples) {
        atLeast("samples", samples, 1);
    }

    /** IGR / EGR: α‖∇E‖² (Barrett &amp; Dherin); α = h/4 by default, which makes ∇Ẽ = ∇E + (h/2)∇²E∇E. */
    public record IgrParams(@Param(value = Param.NONE, doc = "α (absent: h/4 with the step's h)") Double coef) {
        /** α ≥ 0 when given. */
        public IgrParams {
            check(coef == null || (coef >= 0 && Double.isFinite(coef)), "coef", coef + " must be a number >= 0");
        }
    }

    /** α‖∇E‖^q with the true labels (GP of Jastrzębski et al.; q = 1 is SAM's first-order penalty). */
    public record GradNormParams(@Param(value = Param.REQUIRED, doc = "α") Double coef,
                                 @Param(value = "2.0", doc = "power q of the norm") double q) {
        /** α ≥ 0, q &gt; 0. */
        public GradNormParams {
            coefficient(coef);
            power(q);
        }
    }

    /** The Fisher penalty α‖∇E(x, ŷ)‖^q, ŷ drawn from the model per step (Jastrzębski et al., ICML 2021). */
    public record FisherParams(@Param(value = Param.REQUIRED, doc = "α") Double coef,
                               @Param(value = "1.0", doc = "power q of the norm (1: the seed slides; 2: ≈ Tr F/B in expectation)") double q) {
        /** α ≥ 0, q &gt; 0. */
        public FisherParams {
            coefficient(coef);
            power(q);
        }
    }

    /** α·(1/m)Σ_k‖∇E_k‖² over micro-batches of the step's batch (Smith et al.'s implicit SGD regulariser made explicit). */
    public record MicroBatchParams(@Param(value = Param.REQUIRED, doc = "α") Double coef,
                                   @Param(value = "32", unit = "examples", doc = "micro-batch size") int microBatch) {
        /** α ≥ 0, size ≥ 1. */
        public MicroBatchParams {
            coefficient(coef);
            atLeast("micro_batch", microBatch, 1);
        }
    }

    /** α·Tr ∇²E by Hutchinson with Rademacher probes drawn per step. */
    public record HessianTraceParams(@Param(value = Param.REQUIRED, doc = "α") Double coef,
                                     @Param(value = "1", doc = "Hutchinson probes per step") int samples) {
        /** α ≥ 0, at least one probe. */
        public HessianTraceParams {
            coefficient(coef);
            probes(samples);
        }
    }

    /** G-TRACER: ρ·Tr(G⁻¹H) with G an EMA of the batch gradient's square ({@link GTracer}). */
    public record GTracerParams(@Param(value = Param.REQUIRED, doc = "ρ") Double coef,
                                @Param(value = "1", doc = "Hutchinson probes per step") int samples,
                                @Param(value = "0.01", doc = "EMA weight β of the new Fisher diagonal") double beta,
                                @Param(value = "1.0e-8", doc = "damping δ of G⁻¹") double delta) {
        /** ρ ≥ 0, β in (0, 1], δ &gt; 0. */
        public GTracerParams {
            coefficient(coef);
            probes(samples);
            check(beta > 0 && beta <= 1, "beta", beta + " must be in (0, 1]");
            check(delta > 0 && Double.isFinite(delta), "delta", delta + " must be > 0");
        }
    }

    private static final Map<String, Entry<?>> ENTRIES = new LinkedHashMap<>();

    private static <P extends Record> void add(String name, String doc, Class<P> params, Function<P, Built> b) {
        ENTRIES.put(name, new Entry<>(name, doc, params, b));
    }

    private static DoubleUnaryOperator constant(double coef) {
        return h -> coef;
    }

    static {
        add("igr", "α‖∇E‖², the explicit IGR / EGR penalty; α = h/4 by default", IgrParams.class,
                p -> new Built(Regularized.fixed(Penalties.gradientNorm(2)),
                        p.coef() == null ? h -> h / 4 : constant(p.coef())));
        add("grad-norm", "α‖∇E‖^q with the true labels", GradNormParams.class,
                p -> new Built(Regularized.fixed(Penalties.gradientNorm(p.q())), constant(p.coef())));
        add("fisher", "the Fisher penalty α‖∇E(x, ŷ)‖^q, ŷ sampled from the model", FisherParams.class,
                p -> new Built(Regularized.fisher(p.q()), constant(p.coef())));
        add("micro-batch", "α·(1/m)Σ_k‖∇E_k‖² over micro-batches of the step's batch", MicroBatchParams.class,
                p -> new Built(Regularized.fixed(Penalties.microBatchGradientNorm(p.microBatch())), constant(p.coef())));
        add("hessian-trace", "α·Tr ∇²E by Hutchinson", HessianTraceParams.class,
                p -> new Built((t, seed) -> Penalties.hessianTrace(p.samples(), seed), constant(p.coef())));
        add("gtracer", "G-TRACER, ρ·Tr(G⁻¹H) with G an EMA of g⊙g", GTracerParams.class,
                p -> new Built(new GTracer(p.samples(), p.beta(), p.delta()), constant(p.coef())));
    }

    /** The entry of a regulariser name, or a user error listing the names. */
    public static Entry<?> get(String name) {
        Entry<?> e = ENTRIES.get(name);
        if (e == null) {
            throw new DriftlabException("regularizer.name: '" + name + "' is not one of " + String.join(", ", names()));
        }
        return e;
    }

    /** Every regulariser name, in registry order. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }
}
