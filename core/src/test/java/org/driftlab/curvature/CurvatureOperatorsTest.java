package org.driftlab.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
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
 * Oracles for the curvature operators, per-example machinery and drift on tiny nets.
 *
 * <p>Tolerances. Each check compares two float64 routes to one quantity (the Gram trick and a per-example loop,
 * a dense eigendecomposition and an explicit matrix, products and their definition) on problems with D ≤ 100: they
 * agree to rounding, measured below 1e-13 relative with each BLAS backend (native, pure Java, naive); 1e-12 relative
 * leaves a factor of ten for other thread counts' summation orders. Lanczos runs to a residual tolerance of 1e-12
 * relative (|β s| &lt; tol·max(1, |θ|)), and for a symmetric operator a Ritz value lies within its residual of an
 * eigenvalue, so its eigenvalues are checked to 1e-12 relative.
 */
class CurvatureOperatorsTest {
    private static final int N = 12;
    private static final int DIM = 4;
    private static final int K = 3;

    private static Tensor inputs(long seed, int n, int d) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return Tensor.of(x, n, d);
    }

    private static int[] labels(long seed, int n, int k) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
        }
        return y;
    }

    /** A tiny tanh net with 3 chunks, so chunking is exercised too. */
    private static NetObjective tiny(Loss loss, String spec) {
        Network net = Networks.parse(spec, new int[] {DIM}, K);
        return new NetObjective(net, loss, inputs(1, N, DIM), labels(2, N, K), null, 5);
    }

    private static double[] theta(NetObjective obj) {
        double[] t = obj.network().initialize(Init.PYTORCH, 3);
        for (int i = 0; i < t.length; i++) {
            t[i] *= 2; // away from the near-linear regime, so curvature terms are not tiny
        }
        return t;
    }

    private static double rel(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-300, Math.max(Math.abs(a), Math.abs(b)));
    }

    @Test
    void gramTrickMatchesPerExampleLoop() {
        for (Loss loss : Loss.values()) {
            NetObjective obj = tiny(loss, "fc-tanh:5,4");
            double[] th = theta(obj);
            PerExampleGradients fast = PerExampleGradients.compute(obj, th, true);
            PerExampleGradients slow = PerExampleGradients.perExampleLoop(obj, th, true);
            assertTrue(fast.usedGramTrick());
            for (int i = 0; i < N; i++) {
                assertEquals(1, fast.squaredNorms()[i] / slow.squaredNorms()[i], 1e-12, loss + " norm " + i);
                for (int j = 0; j < N; j++) {
                    assertEquals(slow.gram()[i * N + j], fast.gram()[i * N + j], 1e-12 * slow.gram()[i * N + i]);
                }
            }
            assertTrue(Vectors.distance(fast.meanGradient(), obj.gradient(th)) < 1e-12 * Vectors.norm(obj.gradient(th)));
        }
    }

    @Test
    void covarianceAndFisherMatchBruteForce() {
        for (Loss loss : Loss.values()) {
            NetObjective obj = tiny(loss, "fc-relu:6");
            double[] th = theta(obj);
            int d = obj.dim();
            double[][] g = new double[N][];
            double[] mean = new double[d];
            for (int i = 0; i < N; i++) {
                g[i] = obj.onBatch(new int[] {i}).gradient(th);
                Vectors.axpy(1.0 / N, g[i], mean);
            }
            double[] kMatrix = new double[d * d];
            double trF = 0;
            for (int i = 0; i < N; i++) {
                double[] c = Vectors.combine(1, g[i], -1, mean);
                trF += Vectors.dot(g[i], g[i]) / N;
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        kMatrix[a * d + b] += c[a] * c[b] / N;
                    }
                }
            }
            double[] eig = SymmetricEigen.of(kMatrix, d).values();
            double trK = 0;
            for (int a = 0; a < d; a++) {
                trK += kMatrix[a * d + a];
            }
            GradientCovariance cov = GradientCovariance.of(obj, th, 3);
            assertEquals(1, cov.traceK() / trK, 1e-12, loss + " Tr K");
            assertEquals(1, cov.traceEmpiricalFisher() / trF, 1e-12, loss + " Tr F");
            for (int i = 0; i < 3; i++) {
                assertEquals(eig[d - 1 - i], cov.topEigenvaluesK()[i], 1e-12 * eig[d - 1], loss + " λ_K " + i);
            }
            // Lanczos path of the N×N eigenproblem agrees with the dense one.
            double[] gram = PerExampleGradients.compute(obj, th, true).gram();
            double[] viaLanczos = GradientCovariance.topEigenvalues(GradientCovariance.centre(gram, N), N, 2);
            assertEquals(cov.lambdaK(), viaLanczos[0], 1e-12 * cov.lambdaK());

            long seed = 17;
            double trueF = GradientCovariance.trueFisherTrace(obj, th, 1, seed);
            NetObjective sampled = GradientCovariance.withSampledLabels(obj, th, new SplittableRandom(seed).nextLong());
            double brute = 0;
            for (int i = 0; i < N; i++) {
                double[] gi = sampled.onBatch(new int[] {i}).gradient(th);
                brute += Vectors.dot(gi, gi) / N;
            }
            assertEquals(1, trueF / brute, 1e-12, loss + " true Fisher");
        }
    }

    @Test
    void hessianOfLinearRegressionIsGramOfInputs() {
        int n = 20;
        int d = 5;
        Tensor x = inputs(5, n, d);
        double[] y = inputs(6, n, 1).data();
        Network net = Networks.parse(Networks.LINEAR, new int[] {d}, 1); // linear model w·x + b
        NetObjective obj = new NetObjective(net, Loss.MSE, x, null, Tensor.of(y, n, 1));
        double[] th = net.initialize(Init.PYTORCH, 1);
        HessianOperator h = HessianOperator.of(obj, th);
        // θ = (w, b), so the Hessian is XᵀX/n of the inputs augmented with a column of ones.
        int p = d + 1;
        double[] xtx = new double[p * p];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < p; a++) {
                double xa = a < d ? x.data()[i * d + a] : 1;
                for (int b = 0; b < p; b++) {
                    double xb = b < d ? x.data()[i * d + b] : 1;
                    xtx[a * p + b] += xa * xb / n;
                }
            }
        }
        double[] expected = SymmetricEigen.of(xtx, p).values();
        double[] dense = DenseHessian.of(h).eigen().values();
        for (int i = 0; i < p; i++) {
            assertEquals(expected[i], dense[i], 1e-12);
        }
        Lanczos.Result top = Lanczos.run(h, Lanczos.Config.builder().k(3).tolerance(1e-12).build());
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[p - 1 - i], top.eigenvalue(i), 1e-10);
        }
        assertTrue(h.products() >= p + 3);
        HessianOperator batch = HessianOperator.onBatch(obj, th, new int[] {0, 1, 2});
        assertEquals(3, batch.objective().numExamples());
    }

    @Test
    void lanczosTopFiveMatchesDenseHessianOfTinyMlp() {
        NetObjective obj = tiny(Loss.CE, "fc-tanh:5");
        double[] th = theta(obj);
        HessianOperator h = HessianOperator.of(obj, th);
        double[] all = DenseHessian.of(h).eigen().values();
        Lanczos.Result top = Lanczos.run(h, Lanczos.Config.builder().k(5).tolerance(1e-12).seed(4).build());
        int d = all.length;
        for (int i = 0; i < 5; i++) {
            assertEquals(all[d - 1 - i], top.eigenvalue(i), 1e-10 * Math.abs(all[d - 1]));
        }
    }

    @Test
    void gaussNewtonIsPsdAndEqualsExplicitJtHJ() {
        for (Loss loss : Loss.values()) {
            NetObjective obj = tiny(loss, "fc-tanh:4");
            double[] th = theta(obj);
            int d = obj.dim();
            Var x = Var.constant(obj.inputs());
            // Explicit J (N·K × D) column by column with jvp.
            double[][] jCols = new double[d][];
            for (int j = 0; j < d; j++) {
                double[] e = new double[d];
                e[j] = 1;
                jCols[j] = Autodiff.jvp(t -> F.reshape(obj.network().forward(t, x), N * K), th, e);
            }
            double[] out = obj.outputs(th).data();
            double[] expected = new double[d * d];
            for (int i = 0; i < N; i++) {
                double[] hl = new double[K * K];
                double[] p = new double[K];
                double z = 0;
                for (int c = 0; c < K; c++) {
                    p[c] = Math.exp(out[i * K + c]);
                    z += p[c];
                }
                for (int a = 0; a < K; a++) {
                    for (int b = 0; b < K; b++) {
                        hl[a * K + b] = loss == Loss.MSE ? (a == b ? 1 : 0) : (a == b ? p[a] / z : 0) - p[a] * p[b] / (z * z);
                    }
                }
                for (int r = 0; r < d; r++) {
                    for (int s = 0; s < d; s++) {
                        double v = 0;
                        for (int a = 0; a < K; a++) {
                            for (int b = 0; b < K; b++) {
                                v += jCols[r][i * K + a] * hl[a * K + b] * jCols[s][i * K + b];
                            }
                        }
                        expected[r * d + s] += v / N;
                    }
                }
            }
            GaussNewtonOperator gn = new GaussNewtonOperator(obj, th);
            DenseHessian dense = DenseHessian.of(gn);
            double scale = 0;
            for (double v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int r = 0; r < d * d; r++) {
                assertEquals(expected[r], dense.matrix()[r], 1e-12 * scale, loss + " entry " + r);
            }
            double[] eig = dense.eigen().values();
            assertTrue(eig[0] > -1e-12 * eig[d - 1], loss + " PSD: λ_min = " + eig[0]);
            assertEquals(d, gn.products());
        }
    }

    @Test
    void driftMatchesDirectHvpAndDalFormula() {
        NetObjective obj = tiny(Loss.MSE, "fc-tanh:5");
        double[] th = theta(obj);
        Drift drift = Drift.at(obj, th);
        double[] g = obj.gradient(th);
        double[] hg = obj.hvp(th, g);
        assertEquals(Vectors.norm(hg), drift.driftNorm(), 1e-12 * Vectors.norm(hg));
        assertEquals(Vectors.norm(g), drift.gradNorm(), 1e-14);
        double zeta = Vectors.norm(hg) / Vectors.norm(g);
        assertEquals(zeta, drift.normalizedDriftNorm(), 1e-12 * zeta);
        assertEquals(2 / zeta, drift.dalLearningRate(), 1e-12 / zeta);
        assertEquals(Math.min(2 / Math.pow(zeta, 0.5), 5), drift.dalLearningRate(0.5, Drift.DEFAULT_MAX_LEARNING_RATE), 1e-12);
        assertEquals(1.0, drift.dalLearningRate(2, 1.0) <= 1.0 ? 1.0 : 0.0);
        double[] u = Vectors.scale(1 / Vectors.norm(g), g);
        assertEquals(Vectors.norm(g), drift.projections(new double[][] {u})[0], 1e-12);
        assertEquals(-1, Drift.stabilityCoefficients(0, new double[] {3})[0].getReal(), 1e-12);
    }

    /**
     * The labels of the true Fisher are drawn from the model's predictive distribution: over 4000 seeds, each
     * example's class frequencies match softmax(f(x_i)) (cross-entropy), and the MSE targets' noise y − f has mean 0
     * and variance 1 in every cell. Bounds are 5 binomial or normal standard errors, so a correct sampler fails one of
     * the 36 + 36 cells with probability below 1e-4 for fresh seeds (the seeds are fixed: the test is deterministic).
     */
    @Test
    void sampledLabelsFollowThePredictiveDistribution() {
        int draws = 4000;
        NetObjective ce = tiny(Loss.CE, "fc-tanh:4");
        double[] th = theta(ce);
        double[] f = ce.outputs(th).data();
        double[][] counts = new double[N][K];
        for (int s = 0; s < draws; s++) {
            int[] labels = GradientCovariance.withSampledLabels(ce, th, s).labels();
            for (int i = 0; i < N; i++) {
                counts[i][labels[i]]++;
            }
        }
        for (int i = 0; i < N; i++) {
            double z = 0; // the logits of this tiny net are O(1): exp needs no shift
            for (int c = 0; c < K; c++) {
                z += Math.exp(f[i * K + c]);
            }
            for (int c = 0; c < K; c++) {
                double p = Math.exp(f[i * K + c]) / z;
                assertEquals(p, counts[i][c] / draws, 5 * Math.sqrt(p * (1 - p) / draws) + 1e-12,
                        "example " + i + ", class " + c);
            }
        }
        NetObjective mse = tiny(Loss.MSE, "fc-tanh:4");
        double[] fm = mse.outputs(th).data();
        double[] sum = new double[N * K];
        double[] squares = new double[N * K];
        for (int s = 0; s < draws; s++) {
            double[] y = GradientCovariance.withSampledLabels(mse, th, s).targets().data();
            for (int j = 0; j < y.length; j++) {
                double e = y[j] - fm[j];
                sum[j] += e;
                squares[j] += e * e;
            }
        }
        for (int j = 0; j < N * K; j++) {
            double mean = sum[j] / draws;
            assertEquals(0, mean, 5 / Math.sqrt(draws), "noise mean of cell " + j);
            assertEquals(1, squares[j] / draws - mean * mean, 5 * Math.sqrt(2.0 / draws), "noise variance of cell " + j);
        }
    }
}
