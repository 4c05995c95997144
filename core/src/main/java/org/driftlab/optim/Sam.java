package org.driftlab.optim;

import org.driftlab.autodiff.Autodiff;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.Objective;

/**
 * Sharpness-aware minimisation with a gradient-descent base (Foret et al., ICLR 2021, as davda54/sam): on the
 * step's (mini-)batch, g = ∇E(θ), ε = ρ·g/(‖g‖ + 10⁻¹²), and θ' = θ − h·∇E(θ + ε) with the gradient at the
 * perturbed point taken on the <em>same</em> batch.
 *
 * <p>Adaptive SAM (ASAM, Kwon et al., ICML 2021) uses the element-wise operator T_w = |w| + η (η = 0 as in
 * davda54's {@code adaptive=True}; Kwon et al. add η = 0.01 to biases): ε = ρ·T_w²g/‖T_w g‖, i.e. the ascent in
 * the rescaled coordinates w/T_w, mapped back. With η = 0 a parameter at exactly 0 is never perturbed.
 */
public final class Sam extends SourcedRule {
    private final double rho;
    private final boolean adaptive;
    private final double eta;

    /** SAM (adaptive = false) or ASAM with radius ρ &gt; 0 and ASAM offset η ≥ 0. */
    public Sam(String name, GradientSource source, double rho, boolean adaptive, double eta) {
        super(name, source);
        if (!(rho > 0) || !(eta >= 0)) {
            throw new IllegalArgumentException("SAM: rho must be > 0 and eta >= 0, got rho=" + rho + ", eta=" + eta);
        }
        this.rho = rho;
        this.adaptive = adaptive;
        this.eta = eta;
    }

    /** The ascent perturbation ε at θ for gradient g. */
    public double[] perturbation(double[] theta, double[] g) {
        double[] e = new double[g.length];
        if (!adaptive) {
            double scale = rho / (Vectors.norm(g) + 1e-12);
            for (int i = 0; i < g.length; i++) {
                e[i] = scale * g[i];
            }
            return e;
        }
        double[] tg = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            tg[i] = (Math.abs(theta[i]) + eta) * g[i];
        }
        double scale = rho / (Vectors.norm(tg) + 1e-12);
        for (int i = 0; i < g.length; i++) {
            e[i] = scale * (Math.abs(theta[i]) + eta) * tg[i];
        }
        return e;
    }

    @Override
    public Step step(Objective objective, double[] theta, long t, double h) {
        Objective batch = source.nextBatch(objective);
        Autodiff.ValueAndGrad vg = batch.valueAndGradient(theta);
        double[] e = perturbation(theta, vg.gradient());
        double[] shifted = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            shifted[i] = theta[i] + e[i];
        }
        double[] g = batch.gradient(shifted);
        return new Step(descend(theta, h, g), vg.value(), g);
    }

    @Override
    public String toString() {
        return name() + "(rho=" + rho + (adaptive ? ", eta=" + eta : "") + ")";
    }
}
