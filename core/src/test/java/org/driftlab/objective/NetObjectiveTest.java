package org.driftlab.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.driftlab.DriftlabException;
import org.driftlab.data.Dataset;
import org.driftlab.nn.Activation;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.tensor.Tensor;
import org.driftlab.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Network objectives: gradients and Hessian-vector products against finite differences, a hand-computed net, I/O. */
class NetObjectiveTest {
    static Tensor randomTensor(Random r, int... shape) {
        double[] d = new double[(int) Tensor.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Tensor.of(d, shape);
    }

    static int[] labels(Random r, int n, int k) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
        }
        return y;
    }

    static Network tinyNet(String kind) {
        switch (kind) {
            case "dense-tanh": return Network.builder(5).dense(4).activation(Activation.TANH).dense(3).build(kind);
            case "conv-tanh-avg": return Network.builder(2, 5, 5).conv(3, 3, 1, 1).activation(Activation.TANH).avgPool(2)
                    .flatten().dense(3).build(kind);
            case "conv-stride-softplus": return Network.builder(1, 6, 6).conv(2, 2, 2, 0).activation(Activation.SOFTPLUS)
                    .flatten().dense(3).build(kind);
            case "cnn-tanh-max": return Networks.parse("cnn-tanh:2", new int[] {1, 6, 6}, 3);
            default: throw new IllegalArgumentException(kind);
        }
    }

    static Stream<Arguments> nets() {
        return Stream.of("dense-tanh", "conv-tanh-avg", "conv-stride-softplus", "cnn-tanh-max")
                .flatMap(k -> Stream.of(Loss.MSE, Loss.CE).map(l -> Arguments.of(k, l)));
    }

    static NetObjective objective(String kind, Loss loss, long seed) {
        Network net = tinyNet(kind);
        Random r = new Random(seed);
        int n = 4;
        int[] in = net.inputShape();
        int[] shape = new int[in.length + 1];
        shape[0] = n;
        System.arraycopy(in, 0, shape, 1, in.length);
        Tensor x = randomTensor(r, shape);
        return NetObjective.of(net, loss, Dataset.classification("random", x, labels(r, n, 3), 3), 3);
    }

    static double relErr(double[] a, double[] b) {
        double scale = 1e-3;
        double e = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            e = Math.max(e, Math.abs(a[i] - b[i]));
        }
        return e / scale;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("nets")
    void gradientAndHvpMatchFiniteDifferences(String kind, Loss loss) {
        NetObjective o = objective(kind, loss, 11);
        double[] theta = o.network().initialize(Init.PYTORCH, 3);
        Random r = new Random(5);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.3 * r.nextGaussian(); // away from the init's small scale, so curvature is not tiny
        }
        double[] v = new double[theta.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        // central differences: truncation ε²/6·|∂³E| plus rounding u·|E|/ε, about 1e-13 + 1e-10 at ε = 1e-6 for O(1)
        // losses; of a gradient at ε = 1e-5 (the HVP): ε²/6·|∂⁴E| + u·|∇E|/ε ≈ 1e-11. The bounds keep a factor ≥ 100.
        double[] g = o.gradient(theta);
        assertTrue(relErr(g, FiniteDifferences.gradient(o::value, theta, 1e-6)) < 1e-7, kind + " " + loss + " gradient");
        double[] hv = o.hvp(theta, v);
        assertTrue(relErr(hv, FiniteDifferences.directional(o::gradient, theta, v, 1e-5)) < 1e-6, kind + " " + loss + " HVP");
        // chunked (3 + 1 examples) and unchunked give the same E
        NetObjective whole = new NetObjective(o.network(), loss, o.inputs(), o.labels(), null, 100);
        assertEquals(whole.value(theta), o.value(theta), 1e-13);
        double[] per = o.perExampleLosses(theta);
        double mean = 0;
        for (double p : per) {
            mean += p / per.length;
        }
        assertEquals(o.value(theta), mean, 1e-13);
    }

    /**
     * A 2-2-1 tanh net by hand. W1 = [[0.5, -1], [0, 2]] (rows = hidden units), b1 = [0, 0.5], W2 = [[1, -1]],
     * b2 = [0.25]; one example x = (1, 0.5), target y = 1, MSE ½(f − y)².
     * Pre-activations a = W1 x + b1 = (0.5 − 0.5, 0 + 1 + 0.5) = (0, 1.5); h = tanh(a) = (0, tanh 1.5).
     * f = h1 − h2 + 0.25 = 0.25 − tanh 1.5; r = f − 1; E = ½r².
     * ∂E/∂W2 = r·h = (0, r tanh 1.5); ∂E/∂b2 = r.
     * ∂E/∂a = r·W2 ⊙ (1 − h²) = (r, −r(1 − tanh² 1.5)); ∂E/∂W1 = (∂E/∂a) xᵀ; ∂E/∂b1 = ∂E/∂a.
     */
    @Test
    void handComputedTwoTwoOne() {
        Network net = Network.builder(2).dense(2).activation(Activation.TANH).dense(1).build("2-2-1");
        double[] theta = {0.5, -1, 0, 2, 0, 0.5, 1, -1, 0.25};
        NetObjective o = new NetObjective(net, Loss.MSE, Tensor.of(new double[] {1, 0.5}, 1, 2), null,
                Tensor.of(new double[] {1}, 1, 1));
        double t = Math.tanh(1.5);
        double r = 0.25 - t - 1;
        assertEquals(0.5 * r * r, o.value(theta), 1e-15);
        double da1 = r;
        double da2 = -r * (1 - t * t);
        double[] expected = {da1 * 1, da1 * 0.5, da2 * 1, da2 * 0.5, da1, da2, 0, r * t, r};
        assertArrayEquals(expected, o.gradient(theta), 1e-14);
    }

    @Test
    void ofReshapesFlatImagesForCnnAndChecksShapes() {
        Random r = new Random(1);
        Dataset flat = Dataset.classification("flat", randomTensor(r, 2, 784), new int[] {0, 9}, 10);
        Network cnn = Networks.parse("cnn-relu:2", new int[] {784}, 10);
        assertArrayEquals(new int[] {1, 28, 28}, cnn.inputShape());
        assertEquals(2 * 9 + 2 + 2 * 14 * 14 * 10 + 10, cnn.numParams());
        NetObjective o = NetObjective.of(cnn, Loss.CE, flat);
        assertArrayEquals(new int[] {2, 1, 28, 28}, o.inputs().shape());
        assertTrue(Double.isFinite(o.value(cnn.initialize(Init.PYTORCH, 0))));
        Network fc = Networks.parse("fc-tanh:3", new int[] {5}, 10);
        DriftlabException e = assertThrows(DriftlabException.class, () -> NetObjective.of(fc, Loss.CE, flat));
        assertTrue(e.getMessage().contains("[5]"), e.getMessage());
        // batches of a cnn objective keep the image shape
        Objective b = o.onBatch(new int[] {1, 1});
        assertEquals(2, b.numExamples());
    }

    @Test
    void secondOrderGivesTheSameValueGradientAndProductsFromOneGraph() {
        Random r = new Random(3);
        Network net = Networks.parse("fc-tanh:5", new int[] {4}, 3);
        int[] labels = new int[7];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(3);
        }
        // chunk size 3: the operator and the sums must combine the chunks as valueAndGradient does
        NetObjective o = new NetObjective(net, Loss.CE, randomTensor(r, 7, 4), labels, null, 3);
        double[] theta = net.initialize(Init.PYTORCH, 2);
        double[] v = new double[theta.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        Objective.SecondOrder local = o.secondOrder(theta);
        org.driftlab.autodiff.Autodiff.ValueAndGrad vg = o.valueAndGradient(theta);
        assertEquals(vg.value(), local.value(), 1e-14);
        assertArrayEquals(vg.gradient(), local.gradient(), 1e-14);
        assertArrayEquals(org.driftlab.autodiff.Autodiff.hvp(o::loss, theta, v), local.hessian().apply(v), 1e-12);
    }

    @Test
    void paramsRoundTripThroughNpyAndRejectWrongLength(@TempDir Path dir) {
        Network net = Networks.parse("fc-tanh:3", new int[] {4}, 2);
        double[] theta = net.initialize(Init.PYTORCH, 7);
        Path f = dir.resolve("theta.npy");
        net.saveParams(f, theta);
        assertArrayEquals(theta, net.loadParams(f), 0.0);
        Network other = Networks.parse("fc-tanh:4", new int[] {4}, 2);
        DriftlabException e = assertThrows(DriftlabException.class, () -> other.loadParams(f));
        assertTrue(e.getMessage().contains("D = " + other.numParams()), e.getMessage());
        assertThrows(DriftlabException.class, () -> net.saveParams(f, new double[3]));
    }

    /** The kept last gradient is a copy: same bits as a fresh evaluation, and immune to callers' writes. */
    @org.junit.jupiter.api.Test
    void repeatedGradientAtTheSameThetaIsIdenticalAndIndependent() {
        NetObjective obj = objective("dense-tanh", Loss.MSE, 4);
        NetObjective twin = objective("dense-tanh", Loss.MSE, 4);
        Random r = new Random(8);
        double[] theta = new double[obj.dim()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 0.3 * r.nextGaussian();
        }
        double[] first = obj.valueAndGradient(theta).gradient();
        java.util.Arrays.fill(first, 1e9); // a caller scribbling on its copy
        double[] again = obj.valueAndGradient(theta.clone()).gradient();
        double[] expected = twin.valueAndGradient(theta).gradient();
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, again, 0.0);
        java.util.Arrays.fill(again, -1e9); // scribbling on the answer that came from the kept result
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, obj.valueAndGradient(theta).gradient(), 0.0);
        double[] moved = theta.clone();
        moved[0] = Math.nextUp(moved[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(twin.valueAndGradient(moved).gradient(),
                obj.valueAndGradient(moved).gradient(), 0.0, "a different θ is recomputed");
    }
    /**
     * Gradients and HVPs run in recycling workspaces (activations of 40 x 512 are above the recycling threshold), so
     * from the second call on their arrays are recycled, and in tests poisoned with NaN. They must equal, call after
     * call, the same derivatives taken by plain autodiff on the flat-θ loss graph, which allocates everything afresh.
     */
    @ParameterizedTest
    @MethodSource("losses")
    void recycledWorkspacesChangeNothing(Loss loss) {
        Network net = Network.builder(30).dense(512).activation(Activation.TANH).dense(512)
                .activation(Activation.TANH).dense(3).build("wide");
        Random r = new Random(8);
        int n = 64;
        NetObjective o = NetObjective.of(net, loss,
                Dataset.classification("random", randomTensor(r, n, 30), labels(r, n, 3), 3), 40);
        double[] theta = net.initialize(Init.PYTORCH, 4);
        double[] other = theta.clone();
        other[0] += 1e-3;
        double[] v = new double[theta.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        double[] plainGrad = org.driftlab.autodiff.Autodiff.valueAndGrad(o::loss, theta).gradient();
        double[] plainHvp = org.driftlab.autodiff.Autodiff.hvp(o::loss, theta, v);
        double[] firstGrad = null;
        double[] firstHvp = null;
        for (int rep = 0; rep < 3; rep++) {
            o.valueAndGradient(other); // a different θ in between, so the one-entry cache never answers
            double[] g = o.valueAndGradient(theta).gradient();
            double[] hv = o.hvp(theta, v);
            assertTrue(relErr(g, plainGrad) < 1e-12, loss + " gradient, call " + rep);
            assertTrue(relErr(hv, plainHvp) < 1e-12, loss + " HVP, call " + rep);
            if (rep == 0) {
                firstGrad = g;
                firstHvp = hv;
            } else {
                assertArrayEquals(firstGrad, g, 0.0, "recycled arrays change no bit of the gradient");
                assertArrayEquals(firstHvp, hv, 0.0, "recycled arrays change no bit of the HVP");
            }
        }
    }

    static Stream<Loss> losses() {
        return Stream.of(Loss.MSE, Loss.CE);
    }
}
