package org.driftlab.experiment;

import static org.driftlab.experiment.Params.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.curvature.Drift;
import org.driftlab.optim.Adam;
import org.driftlab.optim.Dal;
import org.driftlab.optim.Gd;
import org.driftlab.optim.GradientSource;
import org.driftlab.optim.Momentum;
import org.driftlab.optim.NormalisedGd;
import org.driftlab.optim.RmsProp;
import org.driftlab.optim.Sam;
import org.driftlab.optim.Sgld;
import org.driftlab.optim.UpdateRule;

/**
 * The optimizer registry: one entry per {@code optimizer.name}, holding everything a spec knows about it: its
 * parameter record (keys, defaults, units, descriptions and range checks, in the {@code optimizer:} section beside
 * the common keys {@code name, lr, batch_size, shuffle, replacement}), whether it takes mini-batches, and how
 * its {@link UpdateRule} is built. Its state is the rule's own ({@link UpdateRule#state()}), checkpointed as is.
 * Adding an optimizer is one entry here (plus its update rule in {@code optim} if the maths is new) and its test.
 */
public final class Optimizers {
    private Optimizers() {}

    /** Whether an optimizer takes a {@code batch_size}. */
    public enum Batches {
        /** Full batch only (gd). */
        NEVER,
        /** Needs one (sgd). */
        REQUIRED,
        /** Full batch without one, mini-batches with one. */
        OPTIONAL
    }

    /** Builds the rule of one sub-run from its parameters, gradient source and seed. */
    @FunctionalInterface
    public interface Builder<P extends Record> {
        /** The update rule. */
        UpdateRule build(P params, GradientSource source, long seed);
    }

    /**
     * One optimizer.
     *
     * @param doc one line for {@code driftlab show} and the docs
     */
    public record Entry<P extends Record>(String name, String doc, Class<P> params, Batches batches, Builder<P> builder) {
        /** The rule for one sub-run (params must be of this entry's type). */
        public UpdateRule build(Record p, GradientSource source, long seed) {
            return builder.build(params.cast(p), source, seed);
        }
    }

    /** No parameters beyond the common ones. */
    public record None() {}

    /** Heavy-ball and Nesterov momentum. */
    public record MomentumParams(
            @Param(value = "0.9", doc = "momentum coefficient β (PyTorch convention v ← βv + g)") double momentum) {
        /** β in [0, 1). */
        public MomentumParams {
            check(momentum >= 0 && momentum < 1, "momentum", momentum + " must be in [0, 1)");
        }
    }

    /** RMSProp. */
    public record RmsPropParams(@Param(value = "0.99", doc = "decay ρ of the squared-gradient average") double rho,
                                @Param(value = "1.0e-8", doc = "ε added to the root") double eps) {}

    /** Adam. */
    public record AdamParams(@Param(value = "0.9", doc = "first-moment decay β₁") double beta1,
                             @Param(value = "0.999", doc = "second-moment decay β₂") double beta2,
                             @Param(value = "1.0e-8", doc = "ε added to the root") double eps) {}

    /** DAL: h = min(2/ζ, h_max). */
    public record DalParams(@Param(value = "5.0", doc = "cap h_max of the rate (DeepMind's dal.py)") double hMax) {
        /** h_max > 0. */
        public DalParams {
            check(hMax > 0 && Double.isFinite(hMax), "h_max", hMax + " must be > 0");
        }
    }

    /** DAL-p: h = min(2/ζ^p, h_max). */
    public record DalPParams(@Param(value = "1.0", doc = "exponent p (0 is fixed-rate GD, 1 is DAL)") double p,
                             @Param(value = "5.0", doc = "cap h_max of the rate") double hMax) {
        /** p ≥ 0, h_max > 0. */
        public DalPParams {
            check(p >= 0 && Double.isFinite(p), "p", p + " must be >= 0 (0 is fixed-rate GD, 1 is DAL)");
            check(hMax > 0 && Double.isFinite(hMax), "h_max", hMax + " must be > 0");
        }
    }

    /** SAM. */
    public record SamParams(@Param(value = "0.05", doc = "radius ρ of the ascent step (Foret et al.)") double rho) {
        /** ρ > 0. */
        public SamParams {
            check(rho > 0, "rho", rho + " must be > 0 (the SAM radius)");
        }
    }

    /** ASAM. */
    public record AsamParams(@Param(value = "2.0", doc = "radius ρ (the ASAM recommendation)") double rho,
                             @Param(value = "0.0", doc = "offset η in T_w = |w| + η (davda54/sam)") double eta) {
        /** ρ > 0, η ≥ 0. */
        public AsamParams {
            check(rho > 0, "rho", rho + " must be > 0 (the SAM radius)");
            check(eta >= 0 && Double.isFinite(eta), "eta", eta + " must be >= 0");
        }
    }

    /** SGLD. */
    public record SgldParams(@Param(value = "1.0e-4", doc = "temperature T in θ' = θ − h∇E + √(2hT)ξ") double temperature) {
        /** T ≥ 0. */
        public SgldParams {
            check(temperature >= 0 && Double.isFinite(temperature), "temperature", temperature + " must be >= 0");
        }
    }

    private static final Map<String, Entry<?>> ENTRIES = new LinkedHashMap<>();

    private static <P extends Record> void add(String name, String doc, Class<P> params, Batches batches, Builder<P> b) {
        ENTRIES.put(name, new Entry<>(name, doc, params, batches, b));
    }

    static {
        add("gd", "gradient descent θ' = θ − h∇E on the full batch", None.class, Batches.NEVER,
                (p, s, seed) -> new Gd("gd", s));
        add("sgd", "stochastic gradient descent on mini-batches", None.class, Batches.REQUIRED,
                (p, s, seed) -> new Gd("sgd", s));
        add("momentum", "heavy-ball momentum", MomentumParams.class, Batches.OPTIONAL,
                (p, s, seed) -> new Momentum("momentum", s, p.momentum(), false));
        add("nesterov", "Nesterov momentum", MomentumParams.class, Batches.OPTIONAL,
                (p, s, seed) -> new Momentum("nesterov", s, p.momentum(), true));
        add("rmsprop", "RMSProp", RmsPropParams.class, Batches.OPTIONAL, (p, s, seed) -> new RmsProp(s, p.rho(), p.eps()));
        add("adam", "Adam with bias correction", AdamParams.class, Batches.OPTIONAL,
                (p, s, seed) -> new Adam(s, p.beta1(), p.beta2(), p.eps()));
        add("ngd", "normalised GD θ' = θ − h∇E/‖∇E‖", None.class, Batches.OPTIONAL, (p, s, seed) -> new NormalisedGd(s));
        add("dal", "drift-adaptive rate h = min(2/ζ, h_max); ignores lr", DalParams.class, Batches.OPTIONAL,
                (p, s, seed) -> new Dal("dal", s, 1.0, p.hMax()));
        add("dal-p", "DAL-p, h = min(2/ζ^p, h_max); ignores lr", DalPParams.class, Batches.OPTIONAL,
                (p, s, seed) -> new Dal("dal-p", s, p.p(), p.hMax()));
        add("sam", "sharpness-aware minimisation (GD base)", SamParams.class, Batches.OPTIONAL,
                (p, s, seed) -> new Sam("sam", s, p.rho(), false, 0.0));
        add("asam", "adaptive SAM", AsamParams.class, Batches.OPTIONAL,
                (p, s, seed) -> new Sam("asam", s, p.rho(), true, p.eta()));
        add("sgld", "stochastic gradient Langevin dynamics", SgldParams.class, Batches.OPTIONAL,
                (p, s, seed) -> new Sgld(s, p.temperature(), seed));
        if (Drift.DEFAULT_MAX_LEARNING_RATE != 5.0) { // the h_max defaults above restate dal.py's cap
            throw new IllegalStateException("DAL's declared h_max default differs from Drift's");
        }
    }

    /** The entry of an optimizer name, or a user error listing the names. */
    public static Entry<?> get(String name) {
        Entry<?> e = ENTRIES.get(name);
        if (e == null) {
            throw new DriftlabException("optimizer.name: '" + name + "' is not one of " + String.join(", ", names()));
        }
        return e;
    }

    /** Every optimizer name, in registry order. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }
}
