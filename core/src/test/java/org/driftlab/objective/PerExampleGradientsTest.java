package org.driftlab.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.nn.Activation;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The implicit centred Gram operator and its sketch against dense oracles: the Gram matrix from the per-layer outer
 * products and from N separate backward passes.
 */
class PerExampleGradientsTest {
    private static final int N = 40;

    private static NetObjective net(Loss loss, String spec, int dim, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[N * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = r.nextInt(classes);
        }
        Network net = Networks.parse(spec, new int[] {dim}, classes);
        return new NetObjective(net, loss, Tensor.of(x, N, dim), y, null, 16);
    }

    private static double[] theta(NetObjective obj) {
        double[] t = obj.network().initialize(Init.PYTORCH, 5);
        for (int i = 0; i < t.length; i++) {
            t[i] *= 2; // out of the near-linear regime
        }
        return t;
    }

    /** (1/N)·C G C v from an explicit Gram matrix, written out entry by entry. */
    private static double[] denseCentred(double[] gram, double[] v) {
        double[] rowMean = new double[N];
        double grand = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                rowMean[i] += gram[i * N + j] / N;
            }
            grand += rowMean[i] / N;
        }
        double[] u = new double[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                u[i] += (gram[i * N + j] - rowMean[i] - rowMean[j] + grand) / N * v[j];
            }
        }
        return u;
    }

    private static double[] random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** The matrix of an N×N operator, column by column. */
    private static double[] matrix(LinearOperator op) {
        double[] m = new double[N * N];
        for (int j = 0; j < N; j++) {
            double[] e = new double[N];
            e[j] = 1;
            double[] col = op.apply(e);
            for (int i = 0; i < N; i++) {
                m[i * N + j] = col[i];
            }
        }
        return m;
    }

    @Test
    void implicitProductsEqualTheDenseCentredGramMatrix() {
        for (Loss loss : Loss.values()) {
            NetObjective obj = net(loss, "fc-tanh:7,5", 6, 4, 1);
            double[] th = theta(obj);
            PerExampleGradients factors = PerExampleGradients.compute(obj, th, PerExampleGradients.Detail.FACTORS);
            PerExampleGradients loop = PerExampleGradients.perExampleLoop(obj, th, true);
            PerExampleGradients loopFactors = PerExampleGradients.perExampleLoop(obj, th, PerExampleGradients.Detail.FACTORS);
            assertTrue(factors.hasFactors() && factors.gram() == null && factors.usedGramTrick());
            assertFalse(loopFactors.hasFactors());
            for (long seed = 0; seed < 3; seed++) {
                double[] v = random(seed);
                double[] oracle = denseCentred(loop.gram(), v); // N backward passes, explicit Gram matrix
                double scale = maxAbs(oracle);
                for (LinearOperator op : new LinearOperator[] {factors.centredGram(), loop.centredGram(), loopFactors.centredGram()}) {
                    double[] u = op.apply(v);
                    for (int i = 0; i < N; i++) {
                        assertEquals(oracle[i], u[i], 1e-10 * scale, loss + " entry " + i);
                    }
                }
            }
            // The centring makes 1 a null vector.
            double[] ones = new double[N];
            java.util.Arrays.fill(ones, 1);
            assertTrue(maxAbs(factors.centredGram().apply(ones)) < 1e-12 * maxAbs(factors.centredGram().apply(random(9))));
        }
    }

    @Test
    void sketchIsALowerModelAndExactAtFullRank() {
        NetObjective obj = net(Loss.MSE, "fc-tanh:12,9", 10, 3, 2);
        double[] th = theta(obj);
        PerExampleGradients pe = PerExampleGradients.compute(obj, th, PerExampleGradients.Detail.FACTORS);
        double[] exact = matrix(pe.centredGram());
        double top = SymmetricEigen.of(exact, N).values()[N - 1];
        // rank ≥ every layer width: no projection at all.
        double[] full = matrix(pe.centredGramSketch(12, 3));
        for (int i = 0; i < N * N; i++) {
            assertEquals(exact[i], full[i], 1e-12 * top);
        }
        double previousTop = 0;
        for (int rank : new int[] {1, 3, 6}) {
            double[] sketch = matrix(pe.centredGramSketch(rank, 3));
            double[] diff = new double[N * N];
            double asym = 0;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    diff[i * N + j] = exact[i * N + j] - sketch[i * N + j];
                    asym = Math.max(asym, Math.abs(sketch[i * N + j] - sketch[j * N + i]));
                }
            }
            assertTrue(asym < 1e-13 * top, "sketch symmetric");
            // Ĝ = Gram(P g_i) with P an orthogonal projector: G − Ĝ is positive semidefinite, and not zero.
            double[] d = SymmetricEigen.of(diff, N).values();
            assertTrue(d[0] > -1e-12 * top, "rank " + rank + ": G − Ĝ has eigenvalue " + d[0]);
            assertTrue(d[N - 1] > 1e-6 * top, "rank " + rank + ": the projection drops something");
            double sketchTop = SymmetricEigen.of(sketch, N).values()[N - 1];
            assertTrue(sketchTop <= top * (1 + 1e-12) && sketchTop >= previousTop * 0.5, "rank " + rank + " top " + sketchTop);
            previousTop = sketchTop;
        }
    }

    @Test
    void sketchProjectsEachPerExampleGradient() {
        // One dense layer, no hidden units: g_i = (δ_i x_iᵀ, δ_i). With rank 2 on x (dim 5) and δ (3 outputs),
        // ĝ_i = (U Uᵀ δ_i x_iᵀ V Vᵀ, U Uᵀ δ_i), so ‖ĝ_i‖ ≤ ‖g_i‖ and diag(Ĝ) ≤ diag(G) entry by entry (before centring).
        SplittableRandom r = new SplittableRandom(4);
        double[] x = new double[N * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = r.nextInt(3);
        }
        Network lin = Network.builder(5).dense(3).activation(Activation.TANH).build("linear-tanh");
        NetObjective obj = new NetObjective(lin, Loss.CE, Tensor.of(x, N, 5), y, null, 64);
        double[] th = lin.initialize(Init.PYTORCH, 1);
        PerExampleGradients pe = PerExampleGradients.compute(obj, th, PerExampleGradients.Detail.FACTORS);
        double[] exact = matrix(pe.centredGram());
        double[] sketch = matrix(pe.centredGramSketch(2, 8));
        double trExact = 0;
        double trSketch = 0;
        for (int i = 0; i < N; i++) {
            trExact += exact[i * N + i];
            trSketch += sketch[i * N + i];
        }
        // Tr of the centred Gram/N is Tr K; the sketch's is Tr(P K P) < Tr K.
        double trK = 0;
        for (double s : pe.squaredNorms()) {
            trK += s / N;
        }
        double gg = 0;
        for (double g : pe.meanGradient()) {
            gg += g * g;
        }
        trK -= gg;
        assertEquals(trK, trExact, 1e-12 * trK);
        assertTrue(trSketch < trExact && trSketch > 0, trSketch + " vs " + trExact);
    }

    @Test
    void theDataProjectionIsKeptAcrossThetaAndChangesNothing() {
        NetObjective obj = net(Loss.MSE, "fc-tanh:20,9", 24, 3, 7);
        double[] th = theta(obj);
        int before = PerExampleGradients.dataProjectionCount();
        double[] v = random(3);
        double[] first = PerExampleGradients.compute(obj, th, PerExampleGradients.Detail.FACTORS).centredGramSketch(4, 1).apply(v);
        assertEquals(before + 1, PerExampleGradients.dataProjectionCount(), "the first layer's input is the data, projected once");
        double[] second = PerExampleGradients.compute(obj, th, PerExampleGradients.Detail.FACTORS).centredGramSketch(4, 1).apply(v);
        assertEquals(before + 1, PerExampleGradients.dataProjectionCount());
        assertTrue(java.util.Arrays.equals(first, second), "bit for bit");
        // At another θ the data part is reused, the rest recomputed: still a lower model of the new G.
        double[] th2 = th.clone();
        th2[th2.length - 1] += 0.5;
        PerExampleGradients pe2 = PerExampleGradients.compute(obj, th2, PerExampleGradients.Detail.FACTORS);
        double[] diff = matrix(pe2.centredGram());
        double[] sk = matrix(pe2.centredGramSketch(4, 1));
        for (int i = 0; i < diff.length; i++) {
            diff[i] -= sk[i];
        }
        assertTrue(SymmetricEigen.of(diff, N).values()[0] > -1e-12 * maxAbs(diff));
    }

    @Test
    void gramProductsNeedFactors() {
        NetObjective obj = net(Loss.MSE, "fc-tanh:4", 3, 2, 3);
        PerExampleGradients pe = PerExampleGradients.compute(obj, theta(obj), PerExampleGradients.Detail.NORMS);
        assertFalse(pe.hasGramProducts());
        assertThrows(IllegalStateException.class, pe::centredGram);
        assertThrows(IllegalStateException.class, () -> pe.centredGramSketch(2, 0));
    }
    /**
     * With layers of 512 units the forward and backward arrays are big enough to be recycled by workspaces
     * (org.driftlab.tensor.Workspace). The kept Gram factors must survive later recycling (here: gradients that reuse
     * the freed arrays, poisoned with NaN in tests), and repeated products, which recycle their own intermediates,
     * must agree bitwise.
     */
    @Test
    void keptFactorsSurviveRecycledWorkspaces() {
        NetObjective obj = net(Loss.CE, "fc-tanh:512,512", 6, 3, 4);
        double[] th = theta(obj);
        PerExampleGradients factors = PerExampleGradients.compute(obj, th, PerExampleGradients.Detail.FACTORS);
        double[] other = th.clone();
        for (int rep = 0; rep < 3; rep++) {
            other[rep] += 0.1;
            obj.valueAndGradient(other); // takes the freed arrays of the same sizes
        }
        double[] v = random(4);
        double[] oracle = denseCentred(PerExampleGradients.perExampleLoop(obj, th, true).gram(), v);
        double scale = maxAbs(oracle);
        double[] first = factors.centredGram().apply(v);
        for (int i = 0; i < N; i++) {
            assertEquals(oracle[i], first[i], 1e-10 * scale, "entry " + i);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, factors.centredGram().apply(v), 0.0);
    }
}
