package org.driftlab.optim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.driftlab.objective.Objective;
import org.junit.jupiter.api.Test;

class UpdateRulesTest {
    private static Objective smallNet() {
        int n = 12;
        int d = 3;
        double[] x = new double[n * d];
        int[] y = new int[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
        }
        org.driftlab.nn.Network net = org.driftlab.nn.Networks.parse("fc-tanh:5", new int[] {d}, 2);
        return new org.driftlab.objective.NetObjective(net, org.driftlab.nn.Loss.MSE, org.driftlab.tensor.Tensor.of(x, n, d), y, null);
    }

    private static double[] start(int dim) {
        double[] t = new double[dim];
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int i = 0; i < dim; i++) {
            t[i] = r.nextDouble(-0.5, 0.5);
        }
        return t;
    }

    @Test
    void sgdWithFullBatchInOrderEqualsGdBitwise() {
        Objective obj = smallNet();
        UpdateRule gd = new Gd("gd", GradientSource.fullBatch());
        UpdateRule sgd = new Gd("sgd", new MiniBatches(obj.numExamples(), obj.numExamples(), false, 1));
        double[] a = start(obj.dim());
        double[] b = a.clone();
        for (int t = 0; t < 20; t++) {
            a = gd.step(obj, a, t, 0.3).theta();
            b = sgd.step(obj, b, t, 0.3).theta();
            assertArrayEquals(a, b, 0.0, "step " + t);
        }
    }

    @Test
    void epochShufflingVisitsEveryExampleOncePerEpochAndDropsPartialBatch() {
        MiniBatches mb = new MiniBatches(10, 3, true, 42);
        assertEquals(3, mb.batchesPerEpoch());
        int[] previous = null;
        for (int epoch = 0; epoch < 4; epoch++) {
            Set<Integer> seen = new HashSet<>();
            int[] order = new int[9];
            for (int b = 0; b < 3; b++) {
                int[] idx = mb.nextIndices();
                for (int j = 0; j < 3; j++) {
                    assertTrue(seen.add(idx[j]), "duplicate " + idx[j] + " in epoch " + epoch);
                    order[b * 3 + j] = idx[j];
                }
            }
            assertEquals(9, seen.size());
            assertFalse(Arrays.equals(order, previous), "epochs should be shuffled differently");
            previous = order;
        }
    }

    @Test
    void samplerStateRestoresTheSameSequence() {
        MiniBatches a = new MiniBatches(10, 4, true, 7);
        for (int i = 0; i < 5; i++) {
            a.nextIndices();
        }
        MiniBatches b = new MiniBatches(10, 4, true, 7);
        b.restore(a.state());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(a.nextIndices(), b.nextIndices());
        }
    }

    @Test
    void everyRuleDecreasesAQuadraticAndRestoresItsState() {
        Objective q = org.driftlab.objective.ToyObjectives.parse("quadratic:eigs=1,4");
        UpdateRule[] rules = {
            new Gd("gd", GradientSource.fullBatch()),
            new Momentum("momentum", GradientSource.fullBatch(), 0.9, false),
            new Momentum("nesterov", GradientSource.fullBatch(), 0.9, true),
            new RmsProp(GradientSource.fullBatch(), 0.99, 1e-8),
            new Adam(GradientSource.fullBatch(), 0.9, 0.999, 1e-8),
            new NormalisedGd(GradientSource.fullBatch()),
        };
        for (UpdateRule rule : rules) {
            double[] th = {1, 1};
            double e0 = q.value(th);
            for (int t = 0; t < 50; t++) {
                th = rule.step(q, th, t, 0.01).theta();
            }
            assertTrue(q.value(th) < e0, rule.name());
            // continuing from a restored copy gives the same iterates
            RuleState s = rule.state();
            UpdateRule copy = switch (rule.name()) {
                case "gd" -> new Gd("gd", GradientSource.fullBatch());
                case "momentum" -> new Momentum("momentum", GradientSource.fullBatch(), 0.9, false);
                case "nesterov" -> new Momentum("nesterov", GradientSource.fullBatch(), 0.9, true);
                case "rmsprop" -> new RmsProp(GradientSource.fullBatch(), 0.99, 1e-8);
                case "adam" -> new Adam(GradientSource.fullBatch(), 0.9, 0.999, 1e-8);
                default -> new NormalisedGd(GradientSource.fullBatch());
            };
            copy.restore(s);
            double[] a = rule.step(q, th, 50, 0.01).theta();
            double[] b = copy.step(q, th, 50, 0.01).theta();
            assertArrayEquals(a, b, 0.0, rule.name());
        }
    }

    @Test
    void normalisedGdStepsHaveLengthH() {
        Objective q = org.driftlab.objective.ToyObjectives.parse("quadratic:eigs=1,10");
        double[] th = {3, -2};
        double[] next = new NormalisedGd(GradientSource.fullBatch()).step(q, th, 0, 0.05).theta();
        // the coordinates (about 3) round by 2.2e-16 each, so the step's length is 0.05 to a few 1e-16
        assertEquals(0.05, Math.hypot(next[0] - th[0], next[1] - th[1]), 1e-15);
    }
}
