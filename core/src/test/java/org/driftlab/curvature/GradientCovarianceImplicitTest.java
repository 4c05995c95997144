package org.driftlab.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Vectors;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.PerExampleGradients;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * λ_K and the top eigenvalues of K from the implicit path (Lanczos on the centred Gram operator, started from the
 * sketch) against the dense Gram matrix and a brute-force D×D covariance of per-example gradients.
 */
class GradientCovarianceImplicitTest {
    private static final int N = 300;

    /** Clustered inputs, so K has a few separated top eigenvalues and a bulk, as with real classes. */
    private static NetObjective objective(Loss loss, String spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int dim = 8;
        int classes = 3;
        double[][] centres = new double[classes][dim];
        for (double[] c : centres) {
            for (int k = 0; k < dim; k++) {
                c[k] = 1.5 * r.nextGaussian();
            }
        }
        double[] x = new double[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
            for (int k = 0; k < dim; k++) {
                x[i * dim + k] = centres[y[i]][k] + r.nextGaussian();
            }
        }
        Network net = Networks.parse(spec, new int[] {dim}, classes);
        return new NetObjective(net, loss, Tensor.of(x, n, dim), y, null, 128);
    }

    private static double[] theta(NetObjective obj) {
        return obj.network().initialize(Init.PYTORCH, 11);
    }

    private static GradientCovariance.Options implicit() {
        return GradientCovariance.Options.defaults().withMethod(GradientCovariance.Method.IMPLICIT);
    }

    /**
     * Eigenvalues of K = (1/N)Σ(g_i − ḡ)(g_i − ḡ)ᵀ from N one-example backward passes, descending: the explicit
     * centred gradients c_i = g_i − ḡ, their N×N Gram matrix c_i·c_j/N (same nonzero spectrum as K, cheaper than
     * D×D) and a dense eigensolver. Independent of the per-layer Gram trick.
     */
    private static double[] bruteForce(NetObjective obj, double[] th, int k) {
        int n = obj.numExamples();
        int d = obj.dim();
        double[][] g = new double[n][];
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            g[i] = obj.onBatch(new int[] {i}).gradient(th);
            Vectors.axpy(1.0 / n, g[i], mean);
        }
        for (int i = 0; i < n; i++) {
            g[i] = Vectors.combine(1, g[i], -1, mean);
        }
        double[] gram = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = Vectors.dot(g[i], g[j]) / n;
                gram[i * n + j] = s;
                gram[j * n + i] = s;
            }
        }
        double[] all = SymmetricEigen.of(gram, n).values();
        double[] top = new double[k];
        for (int i = 0; i < k; i++) {
            top[i] = all[n - 1 - i];
        }
        return top;
    }

    private static double rel(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }

    @Test
    void lambdaKMatchesDenseGramAndBruteForce() {
        for (Loss loss : Loss.values()) {
            // Hidden widths above the default sketch rank 16, so the sketch really projects.
            NetObjective obj = objective(loss, "fc-tanh:24,18", N, 1);
            double[] th = theta(obj);
            double[] brute = bruteForce(obj, th, 3);
            GradientCovariance dense = GradientCovariance.of(obj, th, 3,
                    GradientCovariance.Options.defaults().withMethod(GradientCovariance.Method.DENSE));
            assertEquals(GradientCovariance.Method.DENSE, dense.method());
            // two dense routes (the N×N centred Gram matrix and the D×D covariance): rounding, well below 1e-10
            for (int i = 0; i < 3; i++) {
                assertEquals(brute[i], dense.topEigenvaluesK()[i], 1e-10 * brute[0], loss + " dense λ_" + i);
            }
            // Defaults: tolerance 1e-2 on the residual, which the class promises is ≤ 1e-3 on λ_K for a separated top.
            GradientCovariance top1 = GradientCovariance.of(obj, th, 1, implicit());
            assertEquals(GradientCovariance.Method.IMPLICIT, top1.method());
            assertTrue(rel(top1.lambdaK(), brute[0]) < 1e-3, loss + " λ_K " + top1.lambdaK() + " vs " + brute[0]);
            assertTrue(top1.lambdaK() <= brute[0] * (1 + 1e-10), "a Ritz value is a lower bound");
            assertTrue(top1.gramProducts() >= 1 && top1.gramProducts() <= 4, loss + " products " + top1.gramProducts());
            assertTrue(top1.residuals()[0] <= 1e-2 * top1.lambdaK(), "reported residual within tolerance");
            assertEquals(dense.traceK(), top1.traceK(), 1e-12 * dense.traceK());
            // Top-3, default and tight tolerance; the tight one must be much closer (the tolerance is live).
            GradientCovariance top3 = GradientCovariance.of(obj, th, 3, implicit());
            GradientCovariance tight = GradientCovariance.of(obj, th, 3, implicit().withTolerance(1e-6));
            for (int i = 0; i < 3; i++) {
                assertTrue(rel(top3.topEigenvaluesK()[i], brute[i]) < 1e-3, loss + " λ_" + i + " " + top3.topEigenvaluesK()[i]
                        + " vs " + brute[i]);
                assertTrue(rel(tight.topEigenvaluesK()[i], brute[i]) < 1e-9, loss + " tight λ_" + i);
            }
            // Without the sketch (random start) the answer is the same, at more exact products.
            GradientCovariance cold = GradientCovariance.of(obj, th, 1, implicit().withSketchRank(0));
            assertTrue(rel(cold.lambdaK(), brute[0]) < 1e-3);
            assertEquals(0, cold.sketchProducts());
            // The eigenvector is a unit vector of the centred Gram operator: (1/N)CGC u = λu up to the residual.
            double[] u = top1.eigenvectorsGram()[0];
            PerExampleGradients pe = PerExampleGradients.compute(obj, th, PerExampleGradients.Detail.FACTORS);
            double[] gu = pe.centredGram().apply(u);
            Vectors.axpy(-top1.lambdaK(), u, gu);
            assertEquals(1, Vectors.norm(u), 1e-12);
            assertTrue(Vectors.norm(gu) <= 1.01 * top1.residuals()[0] + 1e-12 * top1.lambdaK(),
                    "true residual " + Vectors.norm(gu) + " vs reported " + top1.residuals()[0]);
        }
    }

    @Test
    void sketchStartNeedsFewerExactProductsThanARandomStart() {
        NetObjective obj = objective(Loss.MSE, "fc-tanh:24,12", N, 2);
        double[] th = theta(obj);
        GradientCovariance sketched = GradientCovariance.of(obj, th, 1, implicit().withTolerance(1e-4));
        GradientCovariance cold = GradientCovariance.of(obj, th, 1, implicit().withSketchRank(0).withTolerance(1e-4));
        // residual tolerance 1e-4: a Ritz value's error is about residual²/gap, ≈ 1e-8 relative for either start
        assertEquals(cold.lambdaK(), sketched.lambdaK(), 1e-6 * cold.lambdaK());
        assertTrue(sketched.gramProducts() < cold.gramProducts(), sketched.gramProducts() + " vs " + cold.gramProducts());
        assertTrue(sketched.sketchProducts() > 0);
    }

    @Test
    void warmStartFromThePreviousEigenvectorConvergesAtOnce() {
        NetObjective obj = objective(Loss.CE, "fc-tanh:16,8", N, 3);
        double[] th = theta(obj);
        GradientCovariance first = GradientCovariance.of(obj, th, 1, implicit().withTolerance(1e-8));
        // A nearby θ (one small GD step): the previous eigenvector starts Lanczos without the sketch.
        double[] next = Vectors.combine(1, th, -0.01, obj.gradient(th));
        GradientCovariance warm = GradientCovariance.of(obj, next, 1,
                implicit().withSketchRank(0).withWarmStart(first.eigenvectorsGram()[0]));
        GradientCovariance cold = GradientCovariance.of(obj, next, 1, implicit().withSketchRank(0));
        assertTrue(warm.gramProducts() < cold.gramProducts(), warm.gramProducts() + " vs " + cold.gramProducts());
        GradientCovariance exact = GradientCovariance.of(obj, next, 1,
                GradientCovariance.Options.defaults().withMethod(GradientCovariance.Method.DENSE));
        assertTrue(rel(warm.lambdaK(), exact.lambdaK()) < 1e-3);
    }

    @Test
    void autoIsDenseForSmallNAndImplicitAbove() {
        NetObjective small = objective(Loss.MSE, "fc-tanh:3", 50, 4);
        assertEquals(GradientCovariance.Method.DENSE, GradientCovariance.of(small, theta(small), 1).method());
        NetObjective large = objective(Loss.MSE, "fc-tanh:3", GradientCovariance.DENSE_LIMIT + 1, 4);
        GradientCovariance k = GradientCovariance.of(large, theta(large), 1);
        assertEquals(GradientCovariance.Method.IMPLICIT, k.method());
        // (the dense oracle is checked above; here a tight cold Lanczos, which avoids a 1001×1001 eigensolve)
        GradientCovariance d = GradientCovariance.of(large, theta(large), 1, implicit().withSketchRank(0).withTolerance(1e-6));
        assertTrue(rel(k.lambdaK(), d.lambdaK()) < 1e-3, k.lambdaK() + " vs " + d.lambdaK());
        // Traces only: no eigenvalues, no products.
        GradientCovariance t = GradientCovariance.of(large, theta(large), 0);
        assertTrue(Double.isNaN(t.lambdaK()) && t.gramProducts() == 0);
        assertEquals(d.traceK(), t.traceK(), 1e-12 * d.traceK());
    }

    @Test
    void convolutionalNetsUseTheStoredGradients() {
        // No Gram trick for conv layers: the implicit operator multiplies by the N stored gradients instead.
        SplittableRandom r = new SplittableRandom(5);
        int n = 30;
        double[] x = new double[n * 36];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
        }
        Network cnn = Networks.parse("cnn-tanh:2", new int[] {1, 6, 6}, 3);
        NetObjective obj = new NetObjective(cnn, Loss.CE, Tensor.of(x, n, 1, 6, 6), y, null, 64);
        double[] th = cnn.initialize(Init.PYTORCH, 2);
        GradientCovariance implicit = GradientCovariance.of(obj, th, 2, implicit().withTolerance(1e-8));
        GradientCovariance dense = GradientCovariance.of(obj, th, 2,
                GradientCovariance.Options.defaults().withMethod(GradientCovariance.Method.DENSE));
        assertTrue(!implicit.usedGramTrick() && implicit.sketchProducts() == 0);
        for (int i = 0; i < 2; i++) {
            // residual tolerance 1e-8 relative bounds the eigenvalue error (a Ritz value lies within its residual)
            assertEquals(dense.topEigenvaluesK()[i], implicit.topEigenvaluesK()[i], 1e-8 * dense.lambdaK());
        }
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> GradientCovariance.Options.defaults().withTolerance(0));
        assertThrows(IllegalArgumentException.class, () -> GradientCovariance.Options.defaults().withSketchRank(-1));
        NetObjective obj = objective(Loss.MSE, "fc-tanh:3", 20, 6);
        PerExampleGradients norms = PerExampleGradients.compute(obj, theta(obj), PerExampleGradients.Detail.NORMS);
        assertThrows(IllegalArgumentException.class, () -> GradientCovariance.of(norms, 1, implicit()));
    }
}
