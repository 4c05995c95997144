package org.driftlab.game;

import org.driftlab.linalg.Gaussian;
import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.nn.Init;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.tensor.Tensor;

/**
 * A small GAN on a 2-D mixture of Gaussians: {@code modes} components of standard deviation {@code std} at
 * equal angles on a circle of radius {@code radius} (8, 0.02, 2 is the usual ring). Player φ is the
 * discriminator D (an MLP 2 → 1 logit), player θ the generator G (an MLP latentDim → 2, with standard normal
 * latents). With E = mean log σ(D(x)) + mean log(1 − σ(D(G(z)))), L_φ = −E, and L_θ = E (saturating,
 * zero-sum) or the non-saturating −mean log σ(D(G(z))) (general-sum, the usual choice).
 *
 * <p>Every iteration t draws a fresh batch of real points and latents from (seed, t), so runs are deterministic
 * for a seed, and both players' sub-steps in an iteration see the same batch.
 */
public final class MogGan implements Game {
    private final Network disc;
    private final Network gen;
    private final int latentDim;
    private final int batch;
    private final int modes;
    private final double radius;
    private final double std;
    private final boolean nonSaturating;
    private final long seed;
    private Var real;
    private Var latent;

    /** The sample-quality measures of a generator (see {@link #quality}). */
    public record Quality(int modesCovered, double highQualityShare, double[] shareByMode) {}

    /**
     * @param discSpec discriminator MLP, e.g. {@code fc-relu:32,32}
     * @param genSpec generator MLP, e.g. {@code fc-relu:32,32}
     */
    public MogGan(String discSpec, String genSpec, int latentDim, int batch, int modes, double radius, double std,
                  boolean nonSaturating, long seed) {
        if (latentDim < 1 || batch < 1 || modes < 1 || !(std > 0) || !(radius >= 0)) {
            throw new DriftlabException("mog gan: latent, batch and modes must be positive, std > 0, radius >= 0 (got latent="
                    + latentDim + ", batch=" + batch + ", modes=" + modes + ", std=" + std + ", radius=" + radius + ")");
        }
        if (!discSpec.startsWith("fc-") || !genSpec.startsWith("fc-")) {
            throw new DriftlabException("mog gan: networks must be fc-ACT:W1,W2,... MLPs (got " + discSpec + ", " + genSpec + ")");
        }
        this.disc = Networks.parse(discSpec, new int[] {2}, 1);
        this.gen = Networks.parse(genSpec, new int[] {latentDim}, 2);
        this.latentDim = latentDim;
        this.batch = batch;
        this.modes = modes;
        this.radius = radius;
        this.std = std;
        this.nonSaturating = nonSaturating;
        this.seed = seed;
        onIteration(0);
    }

    /** The initial (φ, θ) = (discriminator, generator) parameters for a seed (PyTorch default initialisation). */
    public double[] initialParameters(long initSeed) {
        double[] d = disc.initialize(Init.PYTORCH, initSeed * 2 + 1);
        double[] g = gen.initialize(Init.PYTORCH, initSeed * 2 + 2);
        double[] z = new double[d.length + g.length];
        System.arraycopy(d, 0, z, 0, d.length);
        System.arraycopy(g, 0, z, d.length, g.length);
        return z;
    }

    @Override
    public int dimPhi() {
        return disc.numParams();
    }

    @Override
    public int dimTheta() {
        return gen.numParams();
    }

    @Override
    public String name() {
        return "mog-gan";
    }

    @Override
    public void onIteration(long t) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t);
        real = Var.constant(Tensor.of(mixture(rng, batch), batch, 2));
        latent = Var.constant(Tensor.of(Gaussian.vector(rng, batch * latentDim), batch, latentDim));
    }

    @Override
    public Var lossPhi(Var phi, Var theta) {
        Var dReal = disc.forward(phi, real);
        Var dFake = disc.forward(phi, gen.forward(theta, latent));
        // −E = mean softplus(−D(x)) + mean softplus(D(G(z)))
        return F.add(F.mean(F.softplus(F.neg(dReal))), F.mean(F.softplus(dFake)));
    }

    @Override
    public Var lossTheta(Var phi, Var theta) {
        Var dFake = disc.forward(phi, gen.forward(theta, latent));
        if (nonSaturating) {
            return F.mean(F.softplus(F.neg(dFake)));
        }
        Var dReal = disc.forward(phi, real);
        return F.neg(F.add(F.mean(F.softplus(F.neg(dReal))), F.mean(F.softplus(dFake))));
    }

    /** n generator samples G(z) for latents drawn from sampleSeed, as rows {x, y}. */
    public double[][] samples(double[] z, int n, long sampleSeed) {
        double[] theta = new double[gen.numParams()];
        System.arraycopy(z, disc.numParams(), theta, 0, theta.length);
        SplittableRandom rng = new SplittableRandom(sampleSeed);
        Var lat = Var.constant(Tensor.of(Gaussian.vector(rng, n * latentDim), n, latentDim));
        double[] out = gen.forward(Var.constant(Tensor.vector(theta)), lat).value().data();
        double[][] rows = new double[n][2];
        for (int i = 0; i < n; i++) {
            rows[i][0] = out[2 * i];
            rows[i][1] = out[2 * i + 1];
        }
        return rows;
    }

    /** The centre of mode i. */
    public double[] mode(int i) {
        double a = 2 * Math.PI * i / modes;
        return new double[] {radius * Math.cos(a), radius * Math.sin(a)};
    }

    /** Number of mixture components. */
    public int modes() {
        return modes;
    }

    /**
     * Sample quality of the generator at z on n samples: a sample is high quality if it lies within 3σ of its
     * nearest mode; a mode is covered if it receives at least 2% of the samples as high-quality ones (the
     * VEEGAN/Unrolled-GAN convention for the ring of 8).
     */
    public Quality quality(double[] z, int n, long sampleSeed) {
        double[][] s = samples(z, n, sampleSeed);
        int[] count = new int[modes];
        int hq = 0;
        for (double[] x : s) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int i = 0; i < modes; i++) {
                double[] c = mode(i);
                double d = Math.hypot(x[0] - c[0], x[1] - c[1]);
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            if (bestD <= 3 * std) {
                hq++;
                count[best]++;
            }
        }
        int covered = 0;
        double[] share = new double[modes];
        for (int i = 0; i < modes; i++) {
            share[i] = count[i] / (double) n;
            if (count[i] >= 0.02 * n) {
                covered++;
            }
        }
        return new Quality(covered, hq / (double) n, share);
    }

    private double[] mixture(SplittableRandom rng, int count) {
        double[] out = new double[2 * count];
        for (int i = 0; i < count; i++) {
            double[] c = mode(rng.nextInt(modes));
            out[2 * i] = c[0] + std * Gaussian.draw(rng);
            out[2 * i + 1] = c[1] + std * Gaussian.draw(rng);
        }
        return out;
    }

}
