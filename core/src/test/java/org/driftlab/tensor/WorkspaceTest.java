package org.driftlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Recycling scopes: what is reused, what is not, the poison that makes stale reads loud, and nesting. */
class WorkspaceTest {
    private static final int BIG = Workspace.MIN_LENGTH + 3;

    @Test
    void theBuildPoisonsRecycledArrays() {
        // The guarantee that no op reads a recycled element it did not write rests on this property being set for
        // every test (pom.xml, surefire); without it the tests below would still pass but prove much less.
        assertTrue(Boolean.getBoolean("driftlab.workspace.poison"), "surefire must set driftlab.workspace.poison");
    }

    @Test
    void outsideAScopeArraysAreFreshAndZero() {
        double[] a = Workspace.array(BIG);
        double[] b = Workspace.array(BIG);
        assertNotSame(a, b);
        for (double x : a) {
            assertEquals(0.0, x);
        }
    }

    @Test
    void aClosedScopesArraysAreReusedPoisoned() {
        double[] first;
        try (Workspace ws = Workspace.open()) {
            first = Workspace.array(BIG);
            java.util.Arrays.fill(first, 7.0);
        }
        try (Workspace ws = Workspace.open()) {
            double[] again = Workspace.array(BIG);
            assertSame(first, again, "the freed array is handed out again");
            for (double x : again) {
                assertTrue(Double.isNaN(x), "recycled arrays arrive poisoned in tests");
            }
            assertNotSame(again, Workspace.array(BIG), "one array is never lent twice at once");
        }
    }

    @Test
    void shortArraysAreNeverRecycled() {
        double[] small;
        try (Workspace ws = Workspace.open()) {
            small = Workspace.array(Workspace.MIN_LENGTH - 1);
        }
        try (Workspace ws = Workspace.open()) {
            assertNotSame(small, Workspace.array(Workspace.MIN_LENGTH - 1));
        }
    }

    @Test
    void anInnerScopeRecyclesOnlyWhatItLent() {
        try (Workspace outer = Workspace.open()) {
            double[] kept = Workspace.array(BIG);
            java.util.Arrays.fill(kept, 1.5);
            double[] inner;
            try (Workspace in = Workspace.open()) {
                inner = Workspace.array(BIG);
            }
            double[] next = Workspace.array(BIG);
            assertSame(inner, next, "the inner scope's array is free again");
            assertNotSame(kept, next);
            for (double x : kept) {
                assertEquals(1.5, x, "the outer scope's array is untouched");
            }
        }
    }

    @Test
    void closingOutOfOrderIsRefused() {
        Workspace outer = Workspace.open();
        Workspace inner = Workspace.open();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
        outer.close(); // closing twice is harmless
    }

    @Test
    void opsInsideAScopeGiveTheSameBitsAsOutside() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int m = 150;
        int k = 130;
        Tensor a = Tensor.of(r.doubles(m * k, -1, 1).toArray(), m, k);
        Tensor b = Tensor.of(r.doubles(k * m, -1, 1).toArray(), k, m);
        Tensor bias = Tensor.of(r.doubles(m, -1, 1).toArray(), m);
        double[][] outside = compute(a, b, bias);
        for (int rep = 0; rep < 3; rep++) { // the second and third rounds run on recycled, poisoned arrays
            double[][] inside;
            try (Workspace ws = Workspace.open()) {
                inside = copies(compute(a, b, bias));
            }
            for (int i = 0; i < outside.length; i++) {
                assertTrue(java.util.Arrays.equals(outside[i], inside[i]), "result " + i + " round " + rep);
            }
        }
    }

    private static double[][] compute(Tensor a, Tensor b, Tensor bias) {
        Tensor ab = MatMul.matmul(a, false, b, false);
        Tensor lin = MatMul.linear(a, b.reshape(a.dim(0), a.dim(1)), bias);
        Tensor t = Elementwise.unary(Elementwise.Unary.TANH, ab);
        Tensor d = Elementwise.tanhBackward(t, lin);
        Tensor s = Elementwise.binary(Elementwise.Binary.SUB, d, bias);
        Tensor sum = Elementwise.sumOf(s, t, ab);
        return new double[][] {ab.data(), lin.data(), t.data(), d.data(), s.data(), sum.data()};
    }

    private static double[][] copies(double[][] xs) {
        double[][] out = new double[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            out[i] = xs[i].clone();
        }
        return out;
    }
}
