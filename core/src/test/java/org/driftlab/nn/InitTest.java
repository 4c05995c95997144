package org.driftlab.nn;

import org.driftlab.linalg.Gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;

/**
 * Each initialiser's law, block by block: its bound (a uniform law's support, and that the draws come close to
 * it) and its variance (a uniform U(±a) has a²/3, a normal N(0, s²) has s²), for dense and convolutional
 * fan-in/fan-out.
 *
 * <p>Statistical tests and their false-alarm rates. For n i.i.d. draws with variance σ² and fourth central
 * moment μ₄, the sample variance has standard deviation √((μ₄ − σ⁴)/n) (U(±a): μ₄ = a⁴/5; normal: μ₄ = 3σ⁴); each
 * mean, variance and kurtosis check is a z-test at |z| &lt; {@value #Z} (two-sided false-alarm rate 1e-6 per
 * check). "Comes close to the bound" fails for a correct uniform law with probability (1 − ε)^n, stated where
 * it is used. A test method makes at most a dozen such checks, so a correct initialiser fails it, for a fresh
 * seed, with probability below 2e-5; the seeds are fixed, so the suite is deterministic. A wrong bound (say
 * √(3/fan) for √(6/(fan_in + fan_out))) moves the variance by tens of standard deviations.
 */
class InitTest {
    static final double Z = 4.89;

    /** θ of a one-layer network, or the given layer's blocks: [weight, bias]. */
    static double[][] draw(Layer layer, Init init, long seed) {
        int w = layer.params().get(0).size();
        int b = layer.params().size() > 1 ? layer.params().get(1).size() : 0;
        double[] theta = new double[w + b];
        layer.initialize(init, theta, 0, new SplittableRandom(seed));
        return new double[][] {Arrays.copyOf(theta, w), Arrays.copyOfRange(theta, w, w + b)};
    }

    static double mean(double[] x) {
        double m = 0;
        for (double v : x) {
            m += v;
        }
        return m / x.length;
    }

    static double centralMoment(double[] x, int k) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += Math.pow(v - m, k);
        }
        return s / x.length;
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** U(±a): every draw inside, the largest within a(1 − eps) of the bound, mean 0 and variance a²/3 by z-tests. */
    static void assertUniform(double[] x, double a, double eps, String what) {
        assertTrue(maxAbs(x) <= a, what + ": a draw beyond the bound " + a);
        assertTrue(maxAbs(x) >= a * (1 - eps), what + ": the largest draw " + maxAbs(x) + " stays far inside " + a);
        int n = x.length;
        double var = a * a / 3;
        assertEquals(0, mean(x) / Math.sqrt(var / n), Z, what + ": mean");
        double sd = Math.sqrt((Math.pow(a, 4) / 5 - var * var) / n);
        assertEquals(0, (centralMoment(x, 2) * n / (n - 1) - var) / sd, Z, what + ": variance a²/3 = " + var);
    }

    /** N(0, s²): mean, variance and kurtosis by z-tests (the kurtosis tells a normal law from a uniform one). */
    static void assertNormal(double[] x, double s2, String what) {
        int n = x.length;
        assertEquals(0, mean(x) / Math.sqrt(s2 / n), Z, what + ": mean");
        assertEquals(0, (centralMoment(x, 2) * n / (n - 1) - s2) / (s2 * Math.sqrt(2.0 / n)), Z, what + ": variance " + s2);
        double m2 = centralMoment(x, 2);
        assertEquals(0, (centralMoment(x, 4) / (m2 * m2) - 3) / Math.sqrt(24.0 / n), Z, what + ": kurtosis 3");
    }

    static void assertZero(double[] x, String what) {
        for (double v : x) {
            assertEquals(0.0, v, 0.0, what);
        }
    }

    // dense 300 → 100: 30,000 weights; conv 16 → 32 with 3×3 kernels: fan_in 144, fan_out 288, 4,608 weights
    static final Dense DENSE = new Dense(300, 100);
    static final Conv2d CONV = new Conv2d(16, 32, 3, 3, 1, 1);

    @Test
    void pytorchDrawsWeightsAndBiasesFromUOfOneOverRootFanIn() {
        double[][] d = draw(DENSE, Init.PYTORCH, 1);
        // (1 − ε)^n: 0.999^30000 = e^-30, and 0.9^100 = 2.7e-5 for the 100 biases
        assertUniform(d[0], 1 / Math.sqrt(300), 1e-3, "dense weight");
        assertTrue(maxAbs(d[1]) <= 1 / Math.sqrt(300) && maxAbs(d[1]) >= 0.9 / Math.sqrt(300), "dense bias bound");
        double[][] c = draw(CONV, Init.PYTORCH, 2);
        // 0.995^4608 = e^-23; 0.7^32 = 1.1e-5
        assertUniform(c[0], 1 / Math.sqrt(144), 5e-3, "conv weight (fan_in = 16·3·3)");
        assertTrue(maxAbs(c[1]) <= 1 / Math.sqrt(144) && maxAbs(c[1]) >= 0.7 / Math.sqrt(144), "conv bias bound");
    }

    @Test
    void xavierDrawsWeightsFromUOfRootSixOverFanInPlusFanOutAndZeroBiases() {
        double[][] d = draw(DENSE, Init.XAVIER, 3);
        assertUniform(d[0], Math.sqrt(6.0 / (300 + 100)), 1e-3, "dense weight");
        assertZero(d[1], "dense bias");
        double[][] c = draw(CONV, Init.XAVIER, 4);
        // fan_out of a conv weight [out, in, kh, kw] is out·kh·kw
        assertUniform(c[0], Math.sqrt(6.0 / (16 * 9 + 32 * 9)), 5e-3, "conv weight");
        assertZero(c[1], "conv bias");
    }

    @Test
    void lecunDrawsWeightsFromNOfOneOverFanInAndZeroBiases() {
        double[][] d = draw(DENSE, Init.LECUN, 5);
        assertNormal(d[0], 1.0 / 300, "dense weight");
        assertZero(d[1], "dense bias");
        double[][] c = draw(CONV, Init.LECUN, 6);
        assertNormal(c[0], 1.0 / 144, "conv weight");
        assertZero(c[1], "conv bias");
        // the normal draw itself: 20,000 values of N(0, 1)
        SplittableRandom rng = new SplittableRandom(7);
        double[] g = new double[20_000];
        for (int i = 0; i < g.length; i++) {
            g[i] = Gaussian.draw(rng);
        }
        assertNormal(g, 1.0, "Gaussian.draw");
    }

    @Test
    void zerosIsZeroAndTheOthersLeaveAllZerosOnlyWhereTheyShould() {
        double[][] d = draw(DENSE, Init.ZEROS, 8);
        assertZero(d[0], "weight");
        assertZero(d[1], "bias");
        // a layer's blocks are filled from the offset given, nothing before or after it is touched
        double[] theta = new double[2 + 300 * 100 + 100 + 2];
        Arrays.fill(theta, 7.0);
        DENSE.initialize(Init.XAVIER, theta, 2, new SplittableRandom(9));
        assertEquals(7.0, theta[0], 0.0);
        assertEquals(7.0, theta[1], 0.0);
        assertEquals(7.0, theta[theta.length - 1], 0.0);
        assertEquals(7.0, theta[theta.length - 2], 0.0);
        assertEquals(0.0, theta[2 + 30_000], 0.0, "Xavier writes its zero biases");
        assertEquals(0.0, theta[2 + 30_099], 0.0, "Xavier writes its zero biases");
        assertTrue(theta[2] != 7.0 && theta[2 + 29_999] != 7.0);
        // a block at the end of a layer's slice is filled up to its end and not one entry further (a conv without bias)
        Conv2d weightOnly = new Conv2d(2, 3, 2, 2, 1, 0, false);
        for (Init init : Init.values()) {
            double[] t = new double[1 + 24 + 1];
            Arrays.fill(t, 7.0);
            weightOnly.initialize(init, t, 1, new SplittableRandom(3));
            assertEquals(7.0, t[0], 0.0, init.name());
            assertEquals(7.0, t[25], 0.0, init + " wrote past its block");
            assertTrue(t[1] != 7.0 && t[24] != 7.0, init.name());
        }
        // every initialiser writes its whole slice: re-initialising a used θ leaves nothing of the old values
        for (Init init : Init.values()) {
            Arrays.fill(theta, 7.0);
            DENSE.initialize(init, theta, 2, new SplittableRandom(10));
            for (int i = 2; i < theta.length - 2; i++) {
                assertTrue(theta[i] != 7.0, init + " left θ[" + i + "] as it was");
            }
        }
    }

    @Test
    void aNetworkDrawsEachLayerWithItsOwnFanInFromOneSeed() {
        Network net = Networks.parse("fc-tanh:50", new int[] {400}, 10);
        double[] a = net.initialize(Init.PYTORCH, 11);
        assertArrayEquals(a, net.initialize(Init.PYTORCH, 11), 0.0, "same seed, same θ");
        assertFalse(Arrays.equals(a, net.initialize(Init.PYTORCH, 12)), "another seed, another θ");
        double[] first = Arrays.copyOf(a, 400 * 50);
        double[] second = Arrays.copyOfRange(a, 400 * 50 + 50, 400 * 50 + 50 + 50 * 10);
        assertUniform(first, 1 / Math.sqrt(400), 1e-3, "layer 1 (fan_in 400)");
        // 500 weights: 0.98^500 = 4e-5
        assertUniform(second, 1 / Math.sqrt(50), 2e-2, "layer 2 (fan_in 50)");
        assertEquals(net.numParams(), a.length);
    }

    @Test
    void parseIsCaseInsensitiveAndNamesTheChoices() {
        assertEquals(Init.XAVIER, Init.parse("Xavier"));
        assertEquals(Init.LECUN, Init.parse("lecun"));
        assertEquals(Init.ZEROS, Init.parse("ZEROS"));
        assertEquals(Init.PYTORCH, Init.parse("pytorch"));
        DriftlabException e = assertThrows(DriftlabException.class, () -> Init.parse("he"));
        assertTrue(e.getMessage().contains("'he'") && e.getMessage().contains("pytorch, xavier, lecun, zeros"), e.getMessage());
    }
}
