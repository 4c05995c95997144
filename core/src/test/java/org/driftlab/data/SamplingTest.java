package org.driftlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Batch sampler, subsets, label corruption, transforms, synthetic data and the Dataset value type. */
class SamplingTest {
    @Test
    void everyExampleOncePerEpoch() {
        for (BatchSampler.LastBatch policy : BatchSampler.LastBatch.values()) {
            BatchSampler s = new BatchSampler(23, 5, 42, true, policy);
            assertEquals(policy == BatchSampler.LastBatch.DROP ? 4 : 5, s.batchesPerEpoch());
            for (int epoch = 0; epoch < 3; epoch++) {
                int[] seen = new int[23];
                for (int b = 0; b < s.batchesPerEpoch(); b++) {
                    int[] batch = s.next();
                    assertEquals(b < 4 ? 5 : 3, batch.length);
                    for (int i : batch) {
                        seen[i]++;
                    }
                }
                int total = Arrays.stream(seen).sum();
                assertEquals(policy == BatchSampler.LastBatch.DROP ? 20 : 23, total);
                assertTrue(Arrays.stream(seen).allMatch(c -> c <= 1), "no repeats within an epoch");
                assertEquals(new BatchSampler.State(epoch + 1, 0), s.state());
            }
        }
    }

    @Test
    void deterministicFreshPerEpochAndResumable() {
        BatchSampler a = new BatchSampler(50, 8, 7);
        BatchSampler b = new BatchSampler(50, 8, 7);
        assertFalse(Arrays.equals(a.permutation(0), a.permutation(1)), "fresh permutation each epoch");
        assertFalse(Arrays.equals(a.permutation(0), new BatchSampler(50, 8, 8).permutation(0)), "seed matters");
        int[][] run = new int[20][];
        for (int i = 0; i < 20; i++) {
            run[i] = a.next();
            assertArrayEquals(run[i], b.next());
        }
        // Resume from the state after step 9 without replaying anything.
        BatchSampler replay = new BatchSampler(50, 8, 7);
        for (int i = 0; i < 9; i++) {
            replay.next();
        }
        BatchSampler resumed = new BatchSampler(50, 8, 7, true, BatchSampler.LastBatch.DROP, replay.state());
        assertEquals(new BatchSampler.State(1, 3), replay.state());
        for (int i = 9; i < 20; i++) {
            assertArrayEquals(run[i], resumed.next());
        }
        BatchSampler sought = new BatchSampler(50, 8, 7);
        sought.seek(new BatchSampler.State(2, 0));
        assertArrayEquals(run[12], sought.next());
    }

    @Test
    void fullBatchWithoutShuffleIsIdentity() {
        BatchSampler s = new BatchSampler(6, 6, 1, false, BatchSampler.LastBatch.DROP);
        for (int step = 0; step < 3; step++) {
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, s.next());
        }
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(5, 6, 1));
    }

    @Test
    void stratifiedCounts() {
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            y[i] = i < 70 ? 0 : i < 95 ? 1 : 2; // 70 / 25 / 5
        }
        int[] idx = Transforms.stratifiedIndices(y, 3, 15);
        int[] counts = new int[3];
        for (int i : idx) {
            counts[y[i]]++;
        }
        assertArrayEquals(new int[] {5, 5, 5}, counts);
        idx = Transforms.stratifiedIndices(y, 3, 40); // class 2 has only 5: the rest is shared out
        counts = new int[3];
        for (int i : idx) {
            counts[y[i]]++;
        }
        assertArrayEquals(new int[] {18, 17, 5}, counts);
        for (int i = 1; i < idx.length; i++) {
            assertTrue(idx[i] > idx[i - 1], "original order kept");
        }
        Dataset ds = Synthetic.blobs(90, 2, 3, 1, 1);
        Dataset st = Transforms.stratified(ds, 31);
        assertArrayEquals(new int[] {11, 10, 10}, st.classCounts());
        assertThrows(DriftlabException.class, () -> Transforms.stratifiedIndices(y, 3, 101));
    }

    @Test
    void labelNoiseFractionAndRandomLabels() {
        Dataset ds = Synthetic.blobs(1000, 2, 5, 1, 3);
        Dataset noisy = Transforms.labelNoise(ds, 0.2, 11);
        int changed = 0;
        for (int i = 0; i < ds.size(); i++) {
            if (noisy.label(i) != ds.label(i)) {
                changed++;
            }
        }
        assertEquals(200, changed, "exactly round(pN) labels change, each to a different class");
        assertArrayEquals(noisy.labels(), Transforms.labelNoise(ds, 0.2, 11).labels());
        assertFalse(Arrays.equals(noisy.labels(), Transforms.labelNoise(ds, 0.2, 12).labels()));
        assertArrayEquals(ds.labels(), Transforms.labelNoise(ds, 0.0, 1).labels());
        Dataset random = Transforms.randomLabels(ds, 5);
        assertArrayEquals(random.labels(), Transforms.randomLabels(ds, 5).labels());
        int[] counts = random.classCounts();
        for (int c : counts) {
            assertTrue(c > 140 && c < 260, Arrays.toString(counts));
        }
        Dataset teacher = Synthetic.teacherStudent(10, 2, 3, 4, 1).dataset();
        assertThrows(DriftlabException.class, () -> Transforms.labelNoise(teacher, 0.1, 1));
    }

    @Test
    void standardizeUsesGivenStatistics() {
        Tensor train = Tensor.of(new double[] {1, 5, 3, 5, 5, 5}, 3, 2); // feature 1 is constant
        Tensor test = Tensor.of(new double[] {3, 7}, 1, 2);
        Dataset tr = Dataset.classification("tr", train, new int[] {0, 1, 0}, 2);
        Dataset te = Dataset.classification("te", test, new int[] {1}, 2);
        Dataset z = Transforms.standardize(tr);
        double sd = Math.sqrt(8.0 / 3.0); // population std of 1, 3, 5
        assertArrayEquals(new double[] {-2 / sd, 0, 0, 0, 2 / sd, 0}, z.inputs().data(), 1e-15);
        assertArrayEquals(new double[] {0, 2}, Transforms.standardize(te, tr).inputs().data(), 1e-15);
        assertArrayEquals(new double[] {0, 2}, Transforms.centre(te, tr).inputs().data(), 0.0);
        assertEquals(5 / 255.0, Transforms.scaleToUnit(tr).inputs().data()[1], 0.0);
        Dataset img = Dataset.classification("img", Tensor.zeros(4, 1, 2, 2), new int[4], 1);
        assertArrayEquals(new int[] {4}, Transforms.flatten(img).inputShape());
        assertArrayEquals(new int[] {2, 2}, img.flatten().reshapeInputs(2, 2).inputShape());
    }

    @Test
    void syntheticSetsAreDeterministic() {
        assertEquals(Synthetic.blobs(50, 3, 4, 0.5, 9).checksum(), Synthetic.blobs(50, 3, 4, 0.5, 9).checksum());
        assertNotEquals(Synthetic.blobs(50, 3, 4, 0.5, 9).checksum(), Synthetic.blobs(50, 3, 4, 0.5, 10).checksum());
        Dataset moons = Synthetic.moons(101, 0.1, 2);
        assertEquals(moons.checksum(), Synthetic.moons(101, 0.1, 2).checksum());
        assertArrayEquals(new int[] {51, 50}, moons.classCounts());
        var ts = Synthetic.teacherStudent(20, 5, 3, 7, 4);
        assertEquals(ts.dataset().checksum(), Synthetic.teacherStudent(20, 5, 3, 7, 4).dataset().checksum());
        assertArrayEquals(new int[] {20, 3}, ts.dataset().targets().shape());
        // The labels are the teacher's argmax.
        double[] t = ts.dataset().targets().data();
        for (int i = 0; i < 20; i++) {
            int y = ts.dataset().label(i);
            for (int c = 0; c < 3; c++) {
                assertTrue(t[i * 3 + y] >= t[i * 3 + c]);
            }
        }
    }

    @Test
    void linearRegressionClosedForm() {
        // Noise-free: least squares recovers w* exactly (up to rounding) from the normal equations.
        var lr = Synthetic.linearRegression(40, 3, 0.0, 5, false);
        double[] w = solveNormalEquations(lr.design(), lr.dataset().targets());
        assertArrayEquals(lr.trueWeights().data(), w, 1e-10);
        // Orthogonal design: X^T X = n I.
        var orth = Synthetic.linearRegression(16, 4, 0.1, 5, true);
        double[] x = orth.design().data();
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                double s = 0;
                for (int i = 0; i < 16; i++) {
                    s += x[i * 4 + a] * x[i * 4 + b];
                }
                assertEquals(a == b ? 16.0 : 0.0, s, 1e-10);
            }
        }
        assertFalse(orth.dataset().hasLabels());
    }

    private static double[] solveNormalEquations(Tensor x, Tensor y) {
        int n = x.dim(0);
        int d = x.dim(1);
        double[][] a = new double[d][d + 1];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    a[p][q] += x.get(i, p) * x.get(i, q);
                }
                a[p][d] += x.get(i, p) * y.get(i, 0);
            }
        }
        for (int p = 0; p < d; p++) { // Gaussian elimination; X^T X is SPD so no pivoting is needed
            for (int r = p + 1; r < d; r++) {
                double f = a[r][p] / a[p][p];
                for (int c = p; c <= d; c++) {
                    a[r][c] -= f * a[p][c];
                }
            }
        }
        double[] w = new double[d];
        for (int p = d - 1; p >= 0; p--) {
            double s = a[p][d];
            for (int c = p + 1; c < d; c++) {
                s -= a[p][c] * w[c];
            }
            w[p] = s / a[p][p];
        }
        return w;
    }

    @Test
    void datasetBasics() {
        Dataset ds = Dataset.classification("d", Tensor.of(new double[] {0, 1, 2, 3, 4, 5}, 3, 2),
                new int[] {2, 0, 1}, 3);
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, ds.targets().data(), 0.0);
        Dataset b = ds.batch(new int[] {2, 0});
        assertArrayEquals(new double[] {4, 5, 0, 1}, b.inputs().data(), 0.0);
        assertArrayEquals(new int[] {1, 2}, b.labels());
        assertEquals(2, ds.first(2).size());
        assertEquals(ds.checksum(), ds.withName("other").checksum());
        assertNotEquals(ds.checksum(), ds.subset(new int[] {0, 1, 2}).withLabels(new int[] {2, 0, 0}, 3).checksum());
        assertEquals(64, ds.checksum().length());
        int[] labels = ds.labels();
        labels[0] = 0;
        assertEquals(2, ds.label(0), "labels are copied out");
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("bad", Tensor.zeros(2, 1), new int[] {0, 3}, 3));
    }
}
