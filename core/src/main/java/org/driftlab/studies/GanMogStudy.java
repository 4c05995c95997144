package org.driftlab.studies;

import static org.driftlab.experiment.Params.atLeast;
import static org.driftlab.experiment.Params.check;
import static org.driftlab.experiment.Params.checkPositive;
import static org.driftlab.experiment.Params.notNegative;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.driftlab.DriftlabException;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Param;
import org.driftlab.linalg.Stats;
import org.driftlab.experiment.Trajectory;
import org.driftlab.optim.UpdateRule;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.game.DriftCoefficients;
import org.driftlab.game.GameField;
import org.driftlab.game.GameStepper;
import org.driftlab.game.MogGan;
import org.driftlab.game.Regulariser;
import org.driftlab.game.Scheme;

/**
 * A small GAN (MLP generator and discriminator) on a 2-D ring of Gaussians trained by plain Euler updates (SGD),
 * with and without explicitly cancelling the discretisation drift's interaction terms (multiplier −1 on both
 * players' interaction terms, Rosca et al. 2021), over several seeds: modes covered and the share of
 * high-quality samples (within 3σ of a mode) along training, with the spread over seeds.
 */
public final class GanMogStudy implements Study<GanMogStudy.Params> {
    private static final List<String> VARIANTS = List.of("plain", "cancel-interaction");

    @Override
    public String kind() {
        return "gan-mog";
    }

    @Override
    public String description() {
        return "GAN on a ring of Gaussians with and without cancelling the drift's interaction terms (modes, 3σ quality, seeds)";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "fc-relu:32,32", doc = "discriminator network spec") String discriminator,
            @Param(value = "fc-relu:32,32", doc = "generator network spec") String generator,
            @Param(value = "4", doc = "latent dimension") int latent,
            @Param(value = "64", unit = "examples", doc = "batch size") int batch,
            @Param(value = "8", doc = "Gaussians on the ring") int modes,
            @Param(value = "2.0", doc = "radius of the ring") double radius,
            @Param(value = "0.05", doc = "standard deviation σ of each Gaussian") double std,
            @Param(value = "true", doc = "non-saturating generator loss") boolean nonSaturating,
            @Param(value = "simultaneous", doc = "update scheme: simultaneous or alternating") String scheme,
            @Param(value = "0.2", doc = "learning rate h") double h,
            @Param(value = "1.0", doc = "discriminator's rate factor α (h₁ = αh)") double alpha,
            @Param(value = "1.0", doc = "generator's rate factor λ (h₂ = λh)", key = "lambda") double lambda_,
            @Param(value = "3000", unit = "steps", doc = "training steps") int steps,
            @Param(value = "150", unit = "steps", doc = "evaluation period") int evalEvery,
            @Param(value = "1000", doc = "samples per evaluation") int evalSamples,
            @Param(value = "500", doc = "samples plotted at the end") int plotSamples) {
        public Params {
            // every range a run would refuse later, refused here before the study directory exists, under its key
            atLeast("latent", latent, 1);
            atLeast("batch", batch, 1);
            atLeast("modes", modes, 1);
            notNegative("radius", radius);
            checkPositive("std", std);
            checkPositive("h", h);
            checkPositive("alpha", alpha);
            checkPositive("lambda", lambda_);
            atLeast("steps", steps, 1);
            atLeast("eval_every", evalEvery, 1);
            check(evalEvery <= steps, "eval_every", evalEvery + " must be <= steps (" + steps + ")");
            atLeast("eval_samples", evalSamples, 1);
            atLeast("plot_samples", plotSamples, 0);
            try {
                Scheme.parse(scheme);
            } catch (DriftlabException e) {
                check(false, "scheme", "'" + scheme + "' is not simultaneous or alternating");
            }
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        int steps = params.steps();
        int every = params.evalEvery();
        Scheme scheme = Scheme.parse(params.scheme());
        double h = params.h();
        double alpha = params.alpha();
        double lambda = params.lambda_();
        DriftCoefficients drift = DriftCoefficients.of(scheme, alpha * h, lambda * h, 1, 1);
        Regulariser cancel = drift.explicit(0, -1, 0, -1);
        List<Long> seeds = ctx.seeds();
        int evals = steps / every;
        StudyContext.Table curve = ctx.table("curve", "variant", "seed", "step", "modes_covered", "hq_share");
        StudyContext.Table samples = ctx.table("samples", "variant", "x", "y");
        StudyContext.Table centres = ctx.table("centres", "x", "y");
        // [variant][seed][eval] → modes, hq
        double[][][] modes = new double[VARIANTS.size()][seeds.size()][evals];
        double[][][] hq = new double[VARIANTS.size()][seeds.size()][evals];
        boolean[] finite = {true};
        long start = System.nanoTime();
        for (int v = 0; v < VARIANTS.size(); v++) {
            for (int si = 0; si < seeds.size(); si++) {
                long seed = seeds.get(si);
                ctx.progress("gan-mog: " + VARIANTS.get(v) + " seed " + seed);
                MogGan gan = gan(params, seed);
                GameField field = new GameField(gan);
                GameStepper stepper = GameStepper.euler(field, scheme, h, alpha, lambda, 1, 1,
                        v == 0 ? Regulariser.none() : cancel);
                int v0 = v;
                int s0 = si;
                // the game's own stepper is the map; evaluations after every `every` updates
                double[] z = Trajectory.of((zt, t) -> new UpdateRule.Step(stepper.step(zt, t), Double.NaN, null))
                        .observe(t -> t > 0 && t % every == 0, (t, zt) -> {
                            for (double x : zt) {
                                finite[0] &= Double.isFinite(x);
                            }
                            MogGan.Quality q = gan.quality(zt, params.evalSamples(), 12345);
                            int e = (int) (t / every) - 1;
                            modes[v0][s0][e] = q.modesCovered();
                            hq[v0][s0][e] = q.highQualityShare();
                            curve.row(VARIANTS.get(v0), seed, t, q.modesCovered(), q.highQualityShare());
                        }).run(gan.initialParameters(seed), steps).theta();
                if (si == 0) {
                    for (double[] s : gan.samples(z, params.plotSamples(), 777)) {
                        samples.row(VARIANTS.get(v), s[0], s[1]);
                    }
                }
            }
        }
        MogGan ring = gan(params, 0);
        for (int i = 0; i < ring.modes(); i++) {
            double[] c = ring.mode(i);
            centres.row(c[0], c[1]);
        }
        ctx.summary("seconds", (System.nanoTime() - start) / 1e9);
        spread(ctx, modes, hq, every, seeds.size());
        figures(ctx, seeds.size(), h, scheme, steps);

        double[] meanModes = new double[VARIANTS.size()];
        double[] meanHq = new double[VARIANTS.size()];
        List<String> perSeed = new ArrayList<>();
        for (int v = 0; v < VARIANTS.size(); v++) {
            for (int si = 0; si < seeds.size(); si++) {
                double m = Stats.mean(modes[v][si]);
                double q = Stats.mean(hq[v][si]);
                meanModes[v] += m / seeds.size();
                meanHq[v] += q / seeds.size();
                perSeed.add(String.format(Locale.ROOT, "%s seed %d: %.2f modes, %.3f hq", VARIANTS.get(v), seeds.get(si), m, q));
            }
            ctx.summary("mean_modes_" + VARIANTS.get(v), meanModes[v]);
            ctx.summary("mean_hq_" + VARIANTS.get(v), meanHq[v]);
        }
        String detail = String.format(Locale.ROOT, "averaged over %d evaluations and %d seeds: plain %.2f modes / %.3f hq, cancelled %.2f modes / %.3f hq; %s",
                evals, seeds.size(), meanModes[0], meanHq[0], meanModes[1], meanHq[1], String.join("; ", perSeed));
        ctx.finding("cancel-covers-more-modes", "Cancelling the interaction terms covers more modes along training (mean over seeds)", meanModes[1] > meanModes[0], detail);
        ctx.finding("cancel-higher-quality", "Cancelling the interaction terms gives a larger share of high-quality samples (within 3σ of a mode)",
                meanHq[1] > meanHq[0], detail);
        ctx.finding("runs-finite", "Every run stays finite", finite[0], seeds.size() * VARIANTS.size() + " runs of " + steps + " steps");
        ctx.note(String.format(Locale.ROOT, "Ring of %d Gaussians (radius %.2f, σ = %.3f); D %s, G %s with %d-d normal latents; batch %d; "
                + "%s Euler updates (SGD) with h₁ = %.3g, h₂ = %.3g; %s generator loss. Cancelling adds −c·∇_θL_φ·sg(∇_θL_θ) to the "
                + "discriminator's loss and −c·∇_φL_θ·sg(∇_φL_φ) to the generator's, with c the interaction coefficients of the scheme "
                + "(%.4g, %.4g). A sample is high quality within 3σ of its nearest mode; a mode is covered with at least 2%% of the "
                + "samples as high-quality ones (%d samples per evaluation).", ring.modes(), params.radius(), params.std(),
                params.discriminator(), params.generator(), params.latent(), params.batch(), scheme.label(),
                alpha * h, lambda * h, params.nonSaturating() ? "non-saturating" : "saturating", drift.interPhi(),
                drift.interTheta(), params.evalSamples()));
    }

    private static void spread(StudyContext ctx, double[][][] modes, double[][][] hq, int every, int nSeeds) {
        StudyContext.Table band = ctx.table("spread", "variant", "step", "modes_mean", "modes_min", "modes_max", "hq_mean", "hq_min", "hq_max");
        for (int v = 0; v < VARIANTS.size(); v++) {
            int evals = modes[v][0].length;
            for (int e = 0; e < evals; e++) {
                double[] m = new double[nSeeds];
                double[] q = new double[nSeeds];
                for (int s = 0; s < nSeeds; s++) {
                    m[s] = modes[v][s][e];
                    q[s] = hq[v][s][e];
                }
                band.row(VARIANTS.get(v), (e + 1) * every, Stats.mean(m), Stats.min(m), Stats.max(m), Stats.mean(q), Stats.min(q), Stats.max(q));
            }
        }
    }

    private static void figures(StudyContext ctx, int nSeeds, double h, Scheme scheme, int steps) {
        String seeds = StudySupport.seeds(nSeeds);
        ctx.figure(Figure.of("modes", "Modes covered along training (" + scheme.label() + ", h = " + h + ")")
                .axes("step", "modes covered").band("spread", "step", "modes_min", "modes_max", "variant", "min–max: ")
                .line("spread", "step", "modes_mean", "variant", "mean: ")
                .caption("Mean over " + seeds + " with the min–max band. Without cancellation the interaction terms push each "
                        + "player to increase the other's gradient norm, which destabilises training.")
                .build());
        ctx.figure(Figure.of("quality", "Share of high-quality samples (within 3σ of a mode)").axes("step", "share")
                .band("spread", "step", "hq_min", "hq_max", "variant", "min–max: ")
                .line("spread", "step", "hq_mean", "variant", "mean: ")
                .caption("Mean over " + seeds + " with the min–max band.")
                .build());
        ctx.figure(Figure.of("samples", "Generator samples after " + steps + " steps (first seed)").axes("x", "y")
                .points("samples", "x", "y", "variant", "")
                .points("centres", "x", "y", null, "mode centres")
                .caption("One seed's samples; the ring's centres for reference.")
                .build());
    }

    private static MogGan gan(Params params, long seed) {
        return new MogGan(params.discriminator(), params.generator(), params.latent(), params.batch(),
                params.modes(), params.radius(), params.std(), params.nonSaturating(), seed);
    }



}
