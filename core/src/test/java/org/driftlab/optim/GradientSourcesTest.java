package org.driftlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.FiniteSumObjective;
import org.driftlab.objective.Objective;
import org.junit.jupiter.api.Test;

/** The gradient sources (full batch, epoch-shuffled and i.i.d. mini-batches) and the rule state record. */
class GradientSourcesTest {
    /** n examples f_k(x) = ½(x − k)²: the batch gradient at x is x − (mean of the batch's k). */
    static Objective points(int n) {
        List<UnaryOperator<Var>> ex = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double c = k;
            ex.add(x -> F.scale(F.sum(F.square(F.addScalar(x, -c))), 0.5));
        }
        return new FiniteSumObjective("points", 1, ex);
    }

    @Test
    void fullBatchIsTheObjectiveItselfAndStateless() {
        Objective e = points(3);
        GradientSource s = GradientSource.fullBatch();
        assertSame(e, s.nextBatch(e));
        assertEquals(0, s.state().length);
        s.restore(new long[0]);
        assertThrows(IllegalArgumentException.class, () -> s.restore(new long[] {1}));
        // next = E and ∇E at θ on everything: E(0) = (0 + ½ + 2)/3, ∇E(0) = −1
        var vg = s.next(e, new double[] {0});
        assertEquals(2.5 / 3, vg.value(), 1e-15);
        assertEquals(-1.0, vg.gradient()[0], 1e-15);
    }

    @Test
    void unshuffledMiniBatchesWalkTheExamplesInOrderEveryEpoch() {
        MiniBatches mb = new MiniBatches(7, 3, false, 1);
        assertEquals(2, mb.batchesPerEpoch());
        for (int epoch = 0; epoch < 3; epoch++) {
            assertArrayEquals(new int[] {0, 1, 2}, mb.nextIndices());
            assertArrayEquals(new int[] {3, 4, 5}, mb.nextIndices(), "example 6 is in the dropped partial batch");
            assertArrayEquals(new long[] {epoch, 2}, mb.state());
        }
        // the batch gradient is that of the batch: at x = 0, −mean(0, 1, 2) = −1, then −mean(3, 4, 5) = −4
        MiniBatches again = new MiniBatches(7, 3, false, 1);
        Objective e = points(7);
        assertEquals(-1.0, again.next(e, new double[] {0}).gradient()[0], 1e-15);
        assertEquals(-4.0, again.next(e, new double[] {0}).gradient()[0], 1e-15);
        // one batch of all examples, and batches of one, are allowed
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, new MiniBatches(7, 7, false, 1).nextIndices());
        assertEquals(7, new MiniBatches(7, 1, false, 1).batchesPerEpoch());
    }

    @Test
    void shuffledEpochsArePermutationsThatDependOnSeedAndEpoch() {
        MiniBatches a = new MiniBatches(12, 4, true, 5);
        int[][] epochs = new int[3][12];
        for (int e = 0; e < 3; e++) {
            for (int b = 0; b < 3; b++) {
                System.arraycopy(a.nextIndices(), 0, epochs[e], b * 4, 4);
            }
            int[] sorted = epochs[e].clone();
            java.util.Arrays.sort(sorted);
            for (int i = 0; i < 12; i++) {
                assertEquals(i, sorted[i], "epoch " + e + " is a permutation");
            }
        }
        assertNotEquals(java.util.Arrays.toString(epochs[0]), java.util.Arrays.toString(epochs[1]));
        int[] other = new MiniBatches(12, 4, true, 6).nextIndices();
        assertNotEquals(java.util.Arrays.toString(java.util.Arrays.copyOf(epochs[0], 4)), java.util.Arrays.toString(other));
        // restoring (epoch 2, batch 1) continues where the original was
        MiniBatches b = new MiniBatches(12, 4, true, 5);
        b.restore(new long[] {2, 1});
        assertArrayEquals(java.util.Arrays.copyOfRange(epochs[2], 4, 8), b.nextIndices());
        // over many epochs every position holds every example about equally often (a uniform shuffle): 12,000
        // epochs give each (position, example) pair a Binomial(12000, 1/12) count, mean 1000, sd 30.3; 6 sd bounds
        // the 144 counts with a false-alarm rate below 144·2e-9
        int[][] counts = new int[12][12];
        MiniBatches u = new MiniBatches(12, 12, true, 77);
        for (int e = 0; e < 12_000; e++) {
            int[] p = u.nextIndices();
            for (int i = 0; i < 12; i++) {
                counts[i][p[i]]++;
            }
        }
        for (int[] row : counts) {
            for (int c : row) {
                assertEquals(1000, c, 6 * Math.sqrt(12_000 / 12.0 * 11 / 12), "uniform shuffle");
            }
        }
    }

    @Test
    void miniBatchesRejectBadSizesAndForeignObjectives() {
        assertThrows(IllegalArgumentException.class, () -> new MiniBatches(0, 1, true, 1));
        assertThrows(IllegalArgumentException.class, () -> new MiniBatches(5, 0, true, 1));
        assertThrows(IllegalArgumentException.class, () -> new MiniBatches(5, 6, true, 1));
        MiniBatches mb = new MiniBatches(5, 2, true, 1);
        assertThrows(IllegalArgumentException.class, () -> mb.nextBatch(points(4)));
        assertThrows(IllegalArgumentException.class, () -> mb.restore(new long[] {1}));
        assertEquals(2, mb.nextBatch(points(5)).numExamples());
        assertThrows(IllegalArgumentException.class, () -> new RandomBatches(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandomBatches(3, 0, 1));
        assertEquals(1, new RandomBatches(1, 1, 1).nextIndices().length, "the smallest sampler: one index of one");
        RandomBatches rb = new RandomBatches(3, 5, 1); // with replacement a batch may exceed n
        assertEquals(5, rb.nextIndices().length);
        assertThrows(IllegalArgumentException.class, () -> rb.nextBatch(points(4)));
        assertThrows(IllegalArgumentException.class, () -> rb.restore(new long[] {1, 2}));
        assertArrayEquals(new long[] {1}, rb.state());
        assertEquals(5, rb.nextBatch(points(3)).numExamples());
        assertArrayEquals(new long[] {2}, rb.state());
    }

    @Test
    void ruleStateIsAnImmutableValue() {
        double[][] v = {{1, 2}, {}};
        long[] c = {3, 4};
        RuleState s = new RuleState(v, c);
        v[0][0] = 99;
        c[0] = 99;
        assertEquals(1.0, s.vector(0)[0], 0.0, "copied in");
        s.vector(0)[1] = 99;
        assertEquals(2.0, s.vector(0)[1], 0.0, "copied out");
        s.vectors()[0][0] = 99;
        s.counters()[0] = 99;
        RuleState same = new RuleState(new double[][] {{1, 2}, {}}, new long[] {3, 4});
        assertEquals(same, s);
        assertEquals(same.hashCode(), s.hashCode());
        assertNotEquals(new RuleState(new double[][] {{1, 2}, {}}, new long[] {3, 5}), s);
        assertNotEquals(new RuleState(new double[][] {{1, 2.5}, {}}, new long[] {3, 4}), s);
        assertNotEquals(new RuleState(new double[][] {{1, 2}, {}}, new long[] {3, 4}).hashCode(),
                new RuleState(new double[][] {{1, 2}}, new long[] {3, 4}).hashCode());
        assertTrue(!s.equals("state"));
        assertEquals("RuleState[2 vectors, counters=[3, 4]]", s.toString());
    }

    @Test
    void aBufferedRuleRefusesAStateOfTheWrongShape() {
        UpdateRule adam = new Adam(GradientSource.fullBatch(), 0.9, 0.99, 1e-8);
        assertThrows(IllegalArgumentException.class, () -> adam.restore(new RuleState(new double[][] {{1.0}}, new long[0])));
        UpdateRule gd = new Gd("gd", GradientSource.fullBatch());
        assertEquals("gd", gd.toString());
        gd.restore(new RuleState(new double[0][], new long[0]));
        assertThrows(IllegalArgumentException.class, () -> gd.restore(new RuleState(new double[0][], new long[] {1})),
                "the full-batch source has no counters");
    }

    @Test
    void aStateRestoredTwiceContinuesTheSameWayBothTimes() {
        // the restored rule must not share its buffers with the state: stepping it would rewrite the snapshot
        Objective e = UpdateRuleStepsTest.bowl();
        UpdateRule first = new Momentum("momentum", GradientSource.fullBatch(), 0.9, false);
        double[] t1 = first.step(e, UpdateRuleStepsTest.THETA0, 0, 0.1).theta();
        RuleState snapshot = first.state();
        RuleState before = new RuleState(snapshot.vectors(), snapshot.counters());
        UpdateRule a = new Momentum("momentum", GradientSource.fullBatch(), 0.9, false);
        a.restore(snapshot);
        double[] fromA = a.step(e, t1, 1, 0.1).theta();
        assertEquals(before, snapshot, "stepping a restored rule leaves the snapshot as it was");
        UpdateRule b = new Momentum("momentum", GradientSource.fullBatch(), 0.9, false);
        b.restore(snapshot);
        assertArrayEquals(fromA, b.step(e, t1, 1, 0.1).theta(), 0.0);
    }

    /**
     * StepRandom.seed is SplitMix64's finaliser (Stafford's mix 13) applied to seed + γ(t + 1) + c(stream + 1): the
     * same function as the JDK's SplittableRandom, whose first nextLong() from a seed s is mix64(s + γ). The draws are
     * part of a run's format (a run resumed by a later version must draw what the original drew), so the function
     * is pinned against that independent implementation, not only checked for purity.
     */
    @Test
    void stepRandomSeedsAreSplitMix64OfSeedStepAndStream() {
        long gamma = 0x9E3779B97F4A7C15L;
        long stream = 0xD1B54A32D192ED03L;
        for (long[] c : new long[][] {{0, 0, 0}, {1, 2, 3}, {-7, 123_456_789, 1}, {Long.MAX_VALUE, 5, 2}}) {
            long z = c[0] + gamma * (c[1] + 1) + stream * (c[2] + 1);
            assertEquals(new java.util.SplittableRandom(z - gamma).nextLong(), StepRandom.seed(c[0], c[1], c[2]),
                    java.util.Arrays.toString(c));
        }
    }

    @Test
    void stepRandomIsAPureFunctionOfSeedStepAndStream() {
        assertEquals(StepRandom.seed(1, 2, 3), StepRandom.seed(1, 2, 3));
        assertNotEquals(StepRandom.seed(1, 2, 3), StepRandom.seed(1, 2, 4));
        assertNotEquals(StepRandom.seed(1, 2, 3), StepRandom.seed(1, 3, 3));
        assertNotEquals(StepRandom.seed(1, 2, 3), StepRandom.seed(2, 2, 3));
        assertEquals(StepRandom.at(4, 5, 6).nextLong(), StepRandom.at(4, 5, 6).nextLong());
    }
}
