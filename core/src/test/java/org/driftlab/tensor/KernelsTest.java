package org.driftlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kernel oracles: every broadcasting fast path against an index-by-index reference, and determinism across threads. */
class KernelsTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    private static Tensor rand(Random r, int... shape) {
        double[] d = new double[(int) Tensor.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Tensor.of(d, shape);
    }

    /** Reference broadcasting: explicit index arithmetic, no fast paths. */
    private static double[] reference(Elementwise.Binary op, Tensor a, Tensor b, int[] out) {
        int n = (int) Tensor.numel(out);
        double[] z = new double[n];
        int[] sa = a.shape();
        int[] sb = b.shape();
        for (int k = 0; k < n; k++) {
            int rem = k;
            int[] idx = new int[out.length];
            for (int d = out.length - 1; d >= 0; d--) {
                idx[d] = rem % out[d];
                rem /= out[d];
            }
            double x = a.data()[flat(idx, sa)];
            double y = b.data()[flat(idx, sb)];
            switch (op) {
                case ADD: z[k] = x + y; break;
                case SUB: z[k] = x - y; break;
                case MUL: z[k] = x * y; break;
                default: z[k] = x / y; break;
            }
        }
        return z;
    }

    private static int flat(int[] idx, int[] s) {
        int off = 0;
        for (int d = 0; d < s.length; d++) {
            int i = idx[idx.length - s.length + d];
            off = off * s[d] + (s[d] == 1 ? 0 : i);
        }
        return off;
    }

    @Test
    void broadcastingFastPathsMatchReference() {
        Random r = new Random(1);
        int[][][] pairs = {
            {{300, 70}, {300, 70}}, {{300, 70}, {}}, {{}, {300, 70}}, {{300, 70}, {70}}, {{70}, {300, 70}},
            {{300, 70}, {1, 70}}, {{300, 70}, {300, 1}}, {{300, 1}, {300, 70}}, {{4, 5, 6}, {5, 1}},
            {{4, 1, 6}, {1, 5, 6}}, {{2, 3, 4}, {2, 3, 1}}, {{1}, {7}},
        };
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[][] p : pairs) {
                Tensor a = rand(r, p[0]);
                Tensor b = rand(r, p[1]);
                for (Elementwise.Binary op : new Elementwise.Binary[] {Elementwise.Binary.ADD, Elementwise.Binary.SUB, Elementwise.Binary.MUL, Elementwise.Binary.DIV}) {
                    Tensor z = Elementwise.binary(op, a, b);
                    int[] out = Elementwise.broadcastShape("test", p[0], p[1]);
                    assertArrayEquals(out, z.shape());
                    assertArrayEquals(reference(op, a, b, out), z.data(), 0.0, op + " " + a.shapeString() + " " + b.shapeString());
                }
            }
        }
    }

    @Test
    void sumToShapeIsTheAdjointOfBroadcast() {
        Random r = new Random(2);
        int[][][] pairs = {{{300, 70}, {70}}, {{300, 70}, {300, 1}}, {{4, 5, 6}, {5, 1}}, {{4, 5, 6}, {}}, {{3, 4}, {1, 4}}};
        for (int[][] p : pairs) {
            Tensor g = rand(r, p[0]);
            Tensor x = rand(r, p[1]);
            // <broadcast(x), g> == <x, sumTo(g)>
            double lhs = 0;
            double[] bx = Elementwise.broadcastTo(x, p[0]).data();
            for (int i = 0; i < bx.length; i++) {
                lhs += bx[i] * g.data()[i];
            }
            double rhs = 0;
            double[] sg = Reductions.sumToShape(g, p[1]).data();
            for (int i = 0; i < sg.length; i++) {
                rhs += sg[i] * x.data()[i];
            }
            assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)));
        }
    }

    @Test
    void reductionsMatchLoopsAndAreDeterministicPerThreadCount() {
        Random r = new Random(3);
        Tensor t = rand(r, 123, 457);
        double direct = 0;
        for (double v : t.data()) {
            direct += v;
        }
        Parallel.setThreads(1);
        double s1 = Reductions.sumAll(t);
        assertEquals(direct, s1, 1e-9);
        Parallel.setThreads(2);
        double s2a = Reductions.sumAll(t);
        double s2b = Reductions.sumAll(t);
        assertEquals(s2a, s2b, 0.0);
        Tensor ax0 = Reductions.sumAxis(t, 0, false);
        Tensor ax1 = Reductions.sumAxis(t, 1, true);
        assertArrayEquals(new int[] {457}, ax0.shape());
        assertArrayEquals(new int[] {123, 1}, ax1.shape());
        for (int j = 0; j < 457; j += 50) {
            double s = 0;
            for (int i = 0; i < 123; i++) {
                s += t.get(i, j);
            }
            assertEquals(s, ax0.data()[j], 1e-12);
        }
    }

    @Test
    void matmulAllTransposesMatchNaiveAndThreadsAgree() {
        Random r = new Random(4);
        Tensor a = rand(r, 37, 53);
        Tensor b = rand(r, 53, 29);
        Tensor ref = MatMul.matmul(a, false, b, false);
        assertEquals(ref.data()[5 * 29 + 7], dotRowCol(a, b, 5, 7), 1e-12);
        assertArrayEquals(ref.data(), MatMul.matmul(Layout.transpose(a), true, b, false).data(), 1e-12);
        assertArrayEquals(ref.data(), MatMul.matmul(a, false, Layout.transpose(b), true).data(), 1e-12);
        assertArrayEquals(ref.data(), MatMul.matmul(Layout.transpose(a), true, Layout.transpose(b), true).data(), 1e-12);
        Tensor big1 = rand(r, 500, 300);
        Tensor big2 = rand(r, 300, 200);
        Parallel.setThreads(2);
        double[] p2 = MatMul.matmul(big1, false, big2, false).data();
        assertArrayEquals(p2, MatMul.matmul(big1, false, big2, false).data(), 0.0);
    }

    private static double dotRowCol(Tensor a, Tensor b, int i, int j) {
        double s = 0;
        for (int k = 0; k < a.dim(1); k++) {
            s += a.get(i, k) * b.get(k, j);
        }
        return s;
    }

    @Test
    void layoutOpsRoundTrip() {
        Random r = new Random(5);
        Tensor t = rand(r, 3, 4, 5);
        Tensor s = Layout.slice(t, 1, 1, 3);
        assertArrayEquals(new int[] {3, 2, 5}, s.shape());
        assertEquals(t.get(2, 2, 4), s.get(2, 1, 4));
        Tensor p = Layout.pad(s, 1, 1, new int[] {3, 4, 5});
        assertEquals(0.0, p.get(0, 0, 0));
        assertEquals(t.get(1, 2, 3), p.get(1, 2, 3));
        Tensor c = Layout.concat(1, Layout.slice(t, 1, 0, 1), Layout.slice(t, 1, 1, 4));
        assertArrayEquals(t.data(), c.data(), 0.0);
        Tensor perm = Layout.permute(t, 2, 0, 1);
        assertEquals(t.get(1, 3, 2), perm.get(2, 1, 3));
        Tensor m = rand(r, 7, 9);
        assertArrayEquals(m.data(), Layout.transpose(Layout.transpose(m)).data(), 0.0);
    }

    @Test
    void logSoftmaxIsStableAndNormalised() {
        Tensor t = Tensor.of(new double[] {1000, 1001, 1002, -1000, 0, 1000}, 2, 3);
        Tensor l = Reductions.logSoftmax(t);
        for (int i = 0; i < 2; i++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                assertTrue(Double.isFinite(l.get(i, j)));
                s += Math.exp(l.get(i, j));
            }
            assertEquals(1.0, s, 1e-14);
        }
        assertTrue(Double.isNaN(Reductions.logSoftmax(Tensor.of(new double[] {1, Double.NaN}, 1, 2)).get(0, 0)));
    }

    @Test
    void tanhMatchesMathTanh() {
        for (double x = -30; x <= 30; x += 0.01237) {
            assertEquals(Math.tanh(x), FastMath.tanh(x), 4 * Math.ulp(1.0) * Math.max(1e-300, 1), "x=" + x);
        }
        assertTrue(Double.isNaN(FastMath.tanh(Double.NaN)));
    }

    @Test
    void badShapesThrowNamingTheOp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Elementwise.binary(Elementwise.Binary.ADD, Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[5], 2, 3));
    }
}
