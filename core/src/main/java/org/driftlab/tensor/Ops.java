package org.driftlab.tensor;

import java.util.Arrays;

/**
 * Numerical kernels on tensors: broadcasting arithmetic, elementwise maps, reductions, matrix products and
 * layout changes. These are not differentiable themselves; {@code org.driftlab.autodiff} composes them into
 * primitives with derivative rules. Shape errors throw {@link IllegalArgumentException} naming the op and the
 * shapes.
 */
public final class Ops {
    private static final int GRAIN = 1 << 14;

    private Ops() {}

    // ------------------------------------------------------------------ broadcasting

    /** NumPy broadcasting of two shapes; throws naming op when they are incompatible. */
    public static int[] broadcastShape(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast together");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Binary elementwise operations with broadcasting. */
    public enum Binary { ADD, SUB, MUL, DIV, POW, MAX, MIN }

    public static Tensor binary(Binary op, Tensor a, Tensor b) {
        int[] sa = a.shape();
        int[] sb = b.shape();
        int[] so = broadcastShape(op.name().toLowerCase(), sa, sb);
        double[] x = a.data();
        double[] y = b.data();
        int n = Tensor.checkedSize(so);
        double[] z = Workspace.array(n); // every branch below writes every element
        if (x.length == n && y.length == n) {
            Parallel.forRange(n, GRAIN, (lo, hi) -> apply(op, x, 0, 0, y, 0, 0, z, 0, lo, hi));
        } else if (y.length == 1 && x.length == n) {
            Parallel.forRange(n, GRAIN, (lo, hi) -> apply(op, x, 0, 0, y, 0, -1, z, 0, lo, hi));
        } else if (x.length == 1 && y.length == n) {
            Parallel.forRange(n, GRAIN, (lo, hi) -> apply(op, x, 0, -1, y, 0, 0, z, 0, lo, hi));
        } else if (x.length == n && isTrailing(sb, so)) {
            int period = y.length;
            Parallel.forRange(n / period, Math.max(1, GRAIN / period), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    apply(op, x, r * period, 0, y, 0, 0, z, r * period, 0, period);
                }
            });
        } else if (y.length == n && isTrailing(sa, so)) {
            int period = x.length;
            Parallel.forRange(n / period, Math.max(1, GRAIN / period), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    apply(op, x, 0, 0, y, r * period, 0, z, r * period, 0, period);
                }
            });
        } else if (x.length == n && isRowScalar(sb, so)) {
            int period = n / y.length;
            Parallel.forRange(y.length, Math.max(1, GRAIN / period), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    apply(op, x, r * period, 0, y, r, -1, z, r * period, 0, period);
                }
            });
        } else if (y.length == n && isRowScalar(sa, so)) {
            int period = n / x.length;
            Parallel.forRange(x.length, Math.max(1, GRAIN / period), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    apply(op, x, r, -1, y, r * period, 0, z, r * period, 0, period);
                }
            });
        } else {
            int[] ia = broadcastStrides(sa, so);
            int[] ib = broadcastStrides(sb, so);
            int[] idx = new int[so.length];
            for (int k = 0; k < n; k++) {
                int oa = 0;
                int ob = 0;
                for (int d = 0; d < so.length; d++) {
                    oa += idx[d] * ia[d];
                    ob += idx[d] * ib[d];
                }
                z[k] = scalar(op, x[oa], y[ob]);
                for (int d = so.length - 1; d >= 0; d--) {
                    if (++idx[d] < so[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
        }
        return Tensor.of(z, so);
    }

    /** True when small is a suffix of full (after dropping leading 1s) so it repeats with a fixed period. */
    private static boolean isTrailing(int[] small, int[] full) {
        int s = 0;
        while (s < small.length && small[s] == 1) {
            s++;
        }
        int len = small.length - s;
        if (len > full.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (small[s + i] != full[full.length - len + i]) {
                return false;
            }
        }
        return true;
    }

    /** True when small equals full except that its last dimension is 1 (one value per row). */
    private static boolean isRowScalar(int[] small, int[] full) {
        if (small.length != full.length || small.length == 0 || small[small.length - 1] != 1) {
            return false;
        }
        for (int i = 0; i < small.length - 1; i++) {
            if (small[i] != full[i]) {
                return false;
            }
        }
        return true;
    }

    private static int[] broadcastStrides(int[] s, int[] out) {
        int[] st = new int[out.length];
        int stride = 1;
        for (int i = s.length - 1; i >= 0; i--) {
            int o = out.length - s.length + i;
            st[o] = s[i] == 1 ? 0 : stride;
            stride *= s[i];
        }
        return st;
    }

    private static double scalar(Binary op, double u, double v) {
        switch (op) {
            case ADD: return u + v;
            case SUB: return u - v;
            case MUL: return u * v;
            case DIV: return u / v;
            case POW: return Math.pow(u, v);
            case MAX: return Math.max(u, v);
            default: return Math.min(u, v);
        }
    }

    /**
     * z[zo + i] = x[xOff + i] op y[yOff + i] for i in [lo, hi); a stride of -1 means "this operand is one
     * broadcast value", 0 means contiguous. Loops are written per op so the JIT vectorises them.
     */
    private static void apply(Binary op, double[] x, int xOff, int sx, double[] y, int yOff, int sy,
                              double[] z, int zo, int lo, int hi) {
        if (sx == -1) {
            double u = x[xOff];
            // (for a broadcast operand, xOff indexes the single value)
            switch (op) {
                case ADD: for (int i = lo; i < hi; i++) z[zo + i] = u + y[yOff + i]; return;
                case SUB: for (int i = lo; i < hi; i++) z[zo + i] = u - y[yOff + i]; return;
                case MUL: for (int i = lo; i < hi; i++) z[zo + i] = u * y[yOff + i]; return;
                case DIV: for (int i = lo; i < hi; i++) z[zo + i] = u / y[yOff + i]; return;
                default: for (int i = lo; i < hi; i++) z[zo + i] = scalar(op, u, y[yOff + i]); return;
            }
        }
        if (sy == -1) {
            double v = y[yOff];
            switch (op) {
                case ADD: for (int i = lo; i < hi; i++) z[zo + i] = x[xOff + i] + v; return;
                case SUB: for (int i = lo; i < hi; i++) z[zo + i] = x[xOff + i] - v; return;
                case MUL: for (int i = lo; i < hi; i++) z[zo + i] = x[xOff + i] * v; return;
                case DIV: for (int i = lo; i < hi; i++) z[zo + i] = x[xOff + i] / v; return;
                default: for (int i = lo; i < hi; i++) z[zo + i] = scalar(op, x[xOff + i], v); return;
            }
        }
        switch (op) {
            case ADD: for (int i = lo; i < hi; i++) z[zo + i] = x[xOff + i] + y[yOff + i]; return;
            case SUB: for (int i = lo; i < hi; i++) z[zo + i] = x[xOff + i] - y[yOff + i]; return;
            case MUL: for (int i = lo; i < hi; i++) z[zo + i] = x[xOff + i] * y[yOff + i]; return;
            case DIV: for (int i = lo; i < hi; i++) z[zo + i] = x[xOff + i] / y[yOff + i]; return;
            default: for (int i = lo; i < hi; i++) z[zo + i] = scalar(op, x[xOff + i], y[yOff + i]); return;
        }
    }

    /**
     * Elementwise sum of same-shape tensors, ((t0 + t1) + t2) + … per element (so equal to pairwise adds), over
     * cache-sized blocks so the partial sum stays in cache while each term streams through once.
     */
    public static Tensor sumOf(Tensor... ts) {
        for (Tensor t : ts) {
            if (!t.sameShape(ts[0])) {
                throw new IllegalArgumentException("sumOf: shapes " + ts[0].shapeString() + " and " + t.shapeString() + " differ");
            }
        }
        int n = ts[0].size();
        double[] z = Workspace.array(n);
        Parallel.forRange(n, GRAIN, (lo, hi) -> {
            for (int b0 = lo; b0 < hi; b0 += 4096) {
                int b1 = Math.min(hi, b0 + 4096);
                double[] x0 = ts[0].data();
                double[] x1 = ts[1].data();
                for (int i = b0; i < b1; i++) {
                    z[i] = x0[i] + x1[i];
                }
                for (int t = 2; t < ts.length; t++) {
                    double[] x = ts[t].data();
                    for (int i = b0; i < b1; i++) {
                        z[i] += x[i];
                    }
                }
            }
        });
        return Tensor.of(z, ts[0].shape());
    }

    /** Sums t over broadcast dimensions so that the result has shape target (the adjoint of broadcasting). */
    public static Tensor sumToShape(Tensor t, int[] target) {
        int[] s = t.shape();
        if (Arrays.equals(s, target)) {
            return t;
        }
        broadcastShape("sumToShape", target, s); // validates compatibility
        int n = Tensor.checkedSize(target);
        double[] x = t.data();
        double[] z = new double[n];
        if (n == 1) {
            z[0] = sumAll(t);
        } else if (isTrailing(target, s)) {
            int rows = x.length / n;
            // column sums in row order: deterministic, parallel over columns
            Parallel.forRange(n, 64, (lo, hi) -> {
                for (int r = 0; r < rows; r++) {
                    int off = r * n;
                    for (int j = lo; j < hi; j++) {
                        z[j] += x[off + j];
                    }
                }
            });
        } else {
            int[] st = broadcastStrides(target, s);
            int[] idx = new int[s.length];
            for (int k = 0; k < x.length; k++) {
                int o = 0;
                for (int d = 0; d < s.length; d++) {
                    o += idx[d] * st[d];
                }
                z[o] += x[k];
                for (int d = s.length - 1; d >= 0; d--) {
                    if (++idx[d] < s[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
        }
        return Tensor.of(z, target);
    }

    /** Repeats t to shape (NumPy broadcasting). */
    public static Tensor broadcastTo(Tensor t, int[] shape) {
        int[] so = broadcastShape("broadcast", t.shape(), shape);
        if (!Arrays.equals(so, shape)) {
            throw new IllegalArgumentException("broadcast: shape " + t.shapeString() + " cannot be broadcast to "
                    + Arrays.toString(shape));
        }
        if (t.hasShape(shape)) {
            return t;
        }
        return binary(Binary.ADD, Tensor.zeros(shape), t);
    }

    // ------------------------------------------------------------------ unary maps

    /** Elementwise functions; derivative helpers (e.g. TANH_GRAD_FROM_Y = 1-y²) live here too. */
    public enum Unary {
        NEG, EXP, LOG, TANH, RELU, STEP, SIGMOID, SOFTPLUS, SQUARE, SQRT, ABS, SIGN, RECIPROCAL,
        ELU, EXP_NEG_PART, GELU, GELU_GRAD, NORMAL_PDF, ONE_MINUS_SQUARE, LOG1P, ISFINITE
    }

    private static final double SQRT_2_OVER_PI_INV = 1.0 / Math.sqrt(2 * Math.PI);

    public static Tensor unary(Unary op, Tensor a) {
        double[] x = a.data();
        double[] z = Workspace.array(x.length);
        Parallel.forRange(x.length, GRAIN, (lo, hi) -> unaryRange(op, x, z, lo, hi));
        return Tensor.of(z, a.shape());
    }

    private static void unaryRange(Unary op, double[] x, double[] z, int lo, int hi) {
        switch (op) {
            case NEG: for (int i = lo; i < hi; i++) z[i] = -x[i]; break;
            case EXP:
                if (VECTOR_MATH) {
                    VectorMath.exp(x, z, lo, hi);
                } else {
                    for (int i = lo; i < hi; i++) z[i] = FastMath.exp(x[i]);
                }
                break;
            case LOG: for (int i = lo; i < hi; i++) z[i] = Math.log(x[i]); break;
            case TANH:
                if (VECTOR_MATH) {
                    VectorMath.tanh(x, z, lo, hi);
                } else {
                    for (int i = lo; i < hi; i++) z[i] = FastMath.tanh(x[i]);
                }
                break;
            case RELU: for (int i = lo; i < hi; i++) z[i] = x[i] > 0 ? x[i] : (x[i] != x[i] ? x[i] : 0.0); break;
            case STEP: for (int i = lo; i < hi; i++) z[i] = x[i] > 0 ? 1.0 : (x[i] != x[i] ? x[i] : 0.0); break;
            case SIGMOID:
                if (VECTOR_MATH) {
                    VectorMath.sigmoid(x, z, lo, hi);
                } else {
                    for (int i = lo; i < hi; i++) z[i] = FastMath.sigmoid(x[i]);
                }
                break;
            case SOFTPLUS: for (int i = lo; i < hi; i++) z[i] = softplus(x[i]); break;
            case SQUARE: for (int i = lo; i < hi; i++) z[i] = x[i] * x[i]; break;
            case SQRT: for (int i = lo; i < hi; i++) z[i] = Math.sqrt(x[i]); break;
            case ABS: for (int i = lo; i < hi; i++) z[i] = Math.abs(x[i]); break;
            case SIGN: for (int i = lo; i < hi; i++) z[i] = x[i] != x[i] ? x[i] : Math.signum(x[i]); break;
            case RECIPROCAL: for (int i = lo; i < hi; i++) z[i] = 1.0 / x[i]; break;
            case ELU: for (int i = lo; i < hi; i++) z[i] = x[i] > 0 ? x[i] : Math.expm1(x[i]); break;
            case EXP_NEG_PART: for (int i = lo; i < hi; i++) z[i] = x[i] > 0 ? 0.0 : Math.exp(x[i]); break;
            case GELU: for (int i = lo; i < hi; i++) z[i] = x[i] * phi(x[i]); break;
            case GELU_GRAD: for (int i = lo; i < hi; i++) z[i] = phi(x[i]) + x[i] * pdf(x[i]); break;
            case NORMAL_PDF: for (int i = lo; i < hi; i++) z[i] = pdf(x[i]); break;
            case ONE_MINUS_SQUARE: for (int i = lo; i < hi; i++) z[i] = 1 - x[i] * x[i]; break;
            case LOG1P: for (int i = lo; i < hi; i++) z[i] = Math.log1p(x[i]); break;
            case ISFINITE: for (int i = lo; i < hi; i++) z[i] = Double.isFinite(x[i]) ? 1 : 0; break;
            default: throw new IllegalStateException(op.name());
        }
    }

    /** g·(1 − y²) in one pass (the tanh derivative applied to a cotangent g, given y = tanh(x)). */
    public static Tensor tanhBackward(Tensor y, Tensor g) {
        if (!y.sameShape(g)) {
            throw new IllegalArgumentException("tanhBackward: shapes " + y.shapeString() + " and " + g.shapeString() + " differ");
        }
        double[] yv = y.data();
        double[] gv = g.data();
        double[] z = Workspace.array(yv.length);
        Parallel.forRange(z.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                z[i] = gv[i] * (1 - yv[i] * yv[i]);
            }
        });
        return Tensor.of(z, y.shape());
    }

    /**
     * Whether {@link VectorMath} is usable (JVM started with the incubator module). Its lanes are bitwise equal to
     * {@link FastMath}'s scalar functions, so results do not depend on this flag.
     */
    private static final boolean VECTOR_MATH = vectorMathAvailable();

    private static boolean vectorMathAvailable() {
        try {
            double[] z = new double[1];
            VectorMath.tanh(new double[] {0.5}, z, 0, 1);
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** tanh accurate to a few ulp, about 3x faster than Math.tanh on JDK 17 (and the same as {@link #unary} TANH). */
    public static double tanh(double x) {
        return FastMath.tanh(x);
    }

    /** The logistic function, as {@link #unary} SIGMOID computes it. */
    public static double sigmoid(double x) {
        return FastMath.sigmoid(x);
    }

    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** Standard normal CDF Φ(x) (exact GELU uses x·Φ(x)). */
    public static double phi(double x) {
        return 0.5 * org.hipparchus.special.Erf.erfc(-x / Math.sqrt(2));
    }

    /** Standard normal density. */
    public static double pdf(double x) {
        return SQRT_2_OVER_PI_INV * Math.exp(-0.5 * x * x);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, in a fixed order per chunk (deterministic for a thread count). */
    public static double sumAll(Tensor t) {
        double[] x = t.data();
        int chunks = Parallel.chunks(x.length, GRAIN);
        double[] partial = new double[chunks];
        Parallel.forRange(x.length, GRAIN, (lo, hi) -> {
            double s = 0;
            for (int i = lo; i < hi; i++) {
                s += x[i];
            }
            partial[chunkIndex(x.length, chunks, lo)] = s;
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    private static int chunkIndex(int n, int chunks, int lo) {
        for (int c = 0; c < chunks; c++) {
            if ((int) ((long) n * c / chunks) == lo) {
                return c;
            }
        }
        throw new IllegalStateException("chunk start " + lo);
    }

    /** Sum along one axis, removing it (keepDims keeps it as size 1). */
    public static Tensor sumAxis(Tensor t, int axis, boolean keepDims) {
        int[] s = t.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        if (ax < 0 || ax >= s.length) {
            throw new IllegalArgumentException("sum: axis " + axis + " out of range for shape " + Arrays.toString(s));
        }
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= s[i];
        }
        int len = s[ax];
        int inner = 1;
        for (int i = ax + 1; i < s.length; i++) {
            inner *= s[i];
        }
        double[] x = t.data();
        double[] z = new double[outer * inner];
        final int fo = outer;
        final int fi = inner;
        if (inner == 1) {
            Parallel.forRange(outer, Math.max(1, GRAIN / Math.max(1, len)), (lo, hi) -> {
                for (int o = lo; o < hi; o++) {
                    double acc = 0;
                    int off = o * len;
                    for (int k = 0; k < len; k++) {
                        acc += x[off + k];
                    }
                    z[o] = acc;
                }
            });
        } else {
            Parallel.forRange(fi, 64, (lo, hi) -> {
                for (int o = 0; o < fo; o++) {
                    for (int k = 0; k < len; k++) {
                        int off = (o * len + k) * fi;
                        int zo = o * fi;
                        for (int j = lo; j < hi; j++) {
                            z[zo + j] += x[off + j];
                        }
                    }
                }
            });
        }
        int[] out;
        if (keepDims) {
            out = s.clone();
            out[ax] = 1;
        } else {
            out = new int[s.length - 1];
            for (int i = 0, j = 0; i < s.length; i++) {
                if (i != ax) {
                    out[j++] = s[i];
                }
            }
        }
        return Tensor.of(z, out);
    }

    /** Row-wise maximum of a 2-D tensor, shape [m, 1]. */
    public static Tensor rowMax(Tensor t) {
        requireRank("rowMax", t, 2);
        int m = t.dim(0);
        int n = t.dim(1);
        double[] x = t.data();
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int j = 0; j < n; j++) {
                double v = x[i * n + j];
                if (v != v) {
                    nan = true;
                }
                if (v > mx) {
                    mx = v;
                }
            }
            z[i] = nan ? Double.NaN : mx;
        }
        return Tensor.of(z, m, 1);
    }

    // ------------------------------------------------------------------ matrix products

    /** op(a)·op(b) for 2-D tensors, through the BLAS facade, parallel over row blocks of the result. */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul: expects 2-D tensors, got " + a.shapeString() + " and " + b.shapeString());
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int ka = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + a.shapeString() + (transA ? "ᵀ" : "") + " and "
                    + b.shapeString() + (transB ? "ᵀ" : "") + " do not align (" + ka + " vs " + kb + ")");
        }
        double[] c = Workspace.array(m * n); // beta = 0: the GEMM overwrites c
        gemmInto(transA, transB, m, n, ka, a.data(), a.dim(1), b.data(), b.dim(1), c);
        return Tensor.of(c, m, n);
    }

    /**
     * C = op(A)·op(B) into a fresh row-major m×n array. Threads take contiguous blocks of C's rows, or of its
     * columns when op(B) is the larger operand: every thread packs all of the operand it does not split, so
     * splitting the larger one avoids packing it twice (e.g. dW = Gᵀ·X with X [5000, 784]). The split depends
     * only on the shapes and the thread count, so results are deterministic.
     */
    public static void gemmInto(boolean transA, boolean transB, int m, int n, int k, double[] a, int lda,
                                double[] b, int ldb, double[] c) {
        gemmInto(transA, transB, m, n, k, a, lda, b, ldb, 0.0, c);
    }

    /** C = op(A)·op(B) + beta·C, split across threads as {@link #gemmInto(boolean, boolean, int, int, int, double[], int, double[], int, double[])}. */
    public static void gemmInto(boolean transA, boolean transB, int m, int n, int k, double[] a, int lda,
                                double[] b, int ldb, double beta, double[] c) {
        Blas blas = Backends.blas();
        if (k == 0) {
            if (beta == 0) {
                Arrays.fill(c, 0);
            } else if (beta != 1) {
                for (int i = 0; i < m * n; i++) {
                    c[i] *= beta;
                }
            }
            return;
        }
        long flops = 2L * m * n * k;
        boolean small = flops < 2_000_000;
        if (n > m && !small) {
            int minCols = Math.max(16, n / Parallel.threads());
            Parallel.forRange(n, minCols, (lo, hi) -> {
                int bOff = transB ? lo * ldb : lo;
                blas.gemm(transA, transB, m, hi - lo, k, 1.0, a, 0, lda, b, bOff, ldb, beta, c, lo, n);
            });
            return;
        }
        int minRows = small ? m : Math.max(8, m / Parallel.threads());
        Parallel.forRange(m, minRows, (lo, hi) -> {
            int aOff = transA ? lo : lo * lda;
            blas.gemm(transA, transB, hi - lo, n, k, 1.0, a, aOff, lda, b, 0, ldb, beta, c, lo * n, n);
        });
    }

    /**
     * The affine map x·wᵀ + b of a dense layer (x [N, in], w [out, in], b [out]) as one GEMM into an output
     * pre-filled with the broadcast bias: one pass and one [N, out] array fewer than matmul followed by add.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (x.rank() != 2 || w.rank() != 2 || b.rank() != 1 || x.dim(1) != w.dim(1) || b.dim(0) != w.dim(0)) {
            throw new IllegalArgumentException("linear: input " + x.shapeString() + ", weight " + w.shapeString()
                    + " and bias " + b.shapeString() + " do not fit x·wᵀ + b (want [N, in], [out, in], [out])");
        }
        int m = x.dim(0);
        int n = w.dim(0);
        int k = x.dim(1);
        double[] bias = b.data();
        double[] c = Workspace.array(m * n); // every row is filled with the bias first
        Parallel.forRange(m, Math.max(1, GRAIN / Math.max(1, n)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                System.arraycopy(bias, 0, c, i * n, n);
            }
        });
        gemmInto(false, true, m, n, k, x.data(), k, w.data(), k, 1.0, c);
        return Tensor.of(c, m, n);
    }

    /** Transpose of a 2-D tensor. */
    public static Tensor transpose(Tensor t) {
        requireRank("transpose", t, 2);
        int m = t.dim(0);
        int n = t.dim(1);
        double[] x = t.data();
        double[] z = new double[m * n];
        final int blk = 32;
        for (int i0 = 0; i0 < m; i0 += blk) {
            for (int j0 = 0; j0 < n; j0 += blk) {
                int i1 = Math.min(m, i0 + blk);
                int j1 = Math.min(n, j0 + blk);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        z[j * m + i] = x[i * n + j];
                    }
                }
            }
        }
        return Tensor.of(z, n, m);
    }

    /** General axis permutation. */
    public static Tensor permute(Tensor t, int... perm) {
        int[] s = t.shape();
        if (perm.length != s.length) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " for shape " + Arrays.toString(s));
        }
        int[] os = new int[s.length];
        boolean[] seen = new boolean[s.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= s.length || seen[perm[i]]) {
                throw new IllegalArgumentException("permute: invalid permutation " + Arrays.toString(perm));
            }
            seen[perm[i]] = true;
            os[i] = s[perm[i]];
        }
        int[] inStride = new int[s.length];
        int st = 1;
        for (int i = s.length - 1; i >= 0; i--) {
            inStride[i] = st;
            st *= s[i];
        }
        double[] x = t.data();
        double[] z = new double[x.length];
        int[] idx = new int[s.length];
        for (int k = 0; k < z.length; k++) {
            int off = 0;
            for (int d = 0; d < s.length; d++) {
                off += idx[d] * inStride[perm[d]];
            }
            z[k] = x[off];
            for (int d = s.length - 1; d >= 0; d--) {
                if (++idx[d] < os[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Tensor.of(z, os);
    }

    // ------------------------------------------------------------------ slicing and joining

    /** Elements [from, to) along axis. */
    public static Tensor slice(Tensor t, int axis, int from, int to) {
        int[] s = t.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        if (ax < 0 || ax >= s.length || from < 0 || to > s[ax] || from > to) {
            throw new IllegalArgumentException("slice: [" + from + ", " + to + ") on axis " + axis + " of shape " + Arrays.toString(s));
        }
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= s[i];
        }
        int inner = 1;
        for (int i = ax + 1; i < s.length; i++) {
            inner *= s[i];
        }
        int len = to - from;
        double[] x = t.data();
        double[] z = new double[outer * len * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, (o * s[ax] + from) * inner, z, o * len * inner, len * inner);
        }
        int[] os = s.clone();
        os[ax] = len;
        return Tensor.of(z, os);
    }

    /** The adjoint of slice: t placed at [from, from+len) along axis inside zeros of shape fullShape. */
    public static Tensor pad(Tensor t, int axis, int from, int[] fullShape) {
        int[] s = t.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        int outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= s[i];
        }
        int inner = 1;
        for (int i = ax + 1; i < s.length; i++) {
            inner *= s[i];
        }
        int len = s[ax];
        double[] x = t.data();
        double[] z = new double[Tensor.checkedSize(fullShape)];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, o * len * inner, z, (o * fullShape[ax] + from) * inner, len * inner);
        }
        return Tensor.of(z, fullShape);
    }

    /** Concatenation along axis; all other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors");
        }
        int[] s0 = parts[0].shape();
        int ax = axis < 0 ? axis + s0.length : axis;
        int total = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            if (s.length != s0.length) {
                throw new IllegalArgumentException("concat: shapes " + Arrays.toString(s0) + " and " + Arrays.toString(s) + " differ in rank");
            }
            for (int d = 0; d < s.length; d++) {
                if (d != ax && s[d] != s0[d]) {
                    throw new IllegalArgumentException("concat: shapes " + Arrays.toString(s0) + " and " + Arrays.toString(s)
                            + " differ outside axis " + axis);
                }
            }
            total += s[ax];
        }
        int[] os = s0.clone();
        os[ax] = total;
        double[] z = new double[Tensor.checkedSize(os)];
        int at = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            Tensor placed = pad(p, ax, at, os);
            double[] pd = placed.data();
            // pad wrote zeros elsewhere, so adding is placement
            for (int i = 0; i < z.length; i++) {
                z[i] += pd[i];
            }
            at += s[ax];
        }
        return Tensor.of(z, os);
    }

    // ------------------------------------------------------------------ rows and labels

    /** Row-wise log-softmax of a 2-D tensor (max-shifted, numerically stable). */
    public static Tensor logSoftmax(Tensor t) {
        requireRank("logSoftmax", t, 2);
        int m = t.dim(0);
        int n = t.dim(1);
        double[] x = t.data();
        double[] z = new double[m * n];
        Parallel.forRange(m, Math.max(1, GRAIN / Math.max(1, n)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int off = i * n;
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    mx = Math.max(mx, x[off + j]);
                }
                if (mx == Double.NEGATIVE_INFINITY || mx == Double.POSITIVE_INFINITY) {
                    mx = 0; // let inf - inf make the NaN the input deserves
                }
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += Math.exp(x[off + j] - mx);
                }
                // (x − max) is exact; subtracting max + log s in one go would lose bits for large logits
                double logS = Math.log(s);
                for (int j = 0; j < n; j++) {
                    z[off + j] = (x[off + j] - mx) - logS;
                }
            }
        });
        return Tensor.of(z, m, n);
    }

    /** out[i] = t[i, labels[i]] for a 2-D tensor. */
    public static Tensor gatherByLabel(Tensor t, int[] labels) {
        requireRank("gatherByLabel", t, 2);
        int m = t.dim(0);
        int n = t.dim(1);
        checkLabels("gatherByLabel", labels, m, n);
        double[] x = t.data();
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            z[i] = x[i * n + labels[i]];
        }
        return Tensor.of(z, m);
    }

    /** The adjoint of gatherByLabel: an m×n tensor with g[i] at (i, labels[i]) and zeros elsewhere. */
    public static Tensor scatterByLabel(Tensor g, int[] labels, int n) {
        int m = g.size();
        checkLabels("scatterByLabel", labels, m, n);
        double[] x = g.data();
        double[] z = new double[m * n];
        for (int i = 0; i < m; i++) {
            z[i * n + labels[i]] = x[i];
        }
        return Tensor.of(z, m, n);
    }

    /** Rows idx of t (along axis 0), copied, in the given order. */
    public static Tensor gatherRows(Tensor t, int[] idx) {
        int[] s = t.shape();
        int n = s[0];
        int row = n == 0 ? 0 : t.size() / n;
        double[] x = t.data();
        double[] z = new double[idx.length * row];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= n) {
                throw new IndexOutOfBoundsException("gatherRows: row " + idx[i] + " of " + n);
            }
            System.arraycopy(x, idx[i] * row, z, i * row, row);
        }
        s[0] = idx.length;
        return Tensor.of(z, s);
    }

    /** One-hot matrix [labels.length, n]. */
    public static Tensor oneHot(int[] labels, int n) {
        return scatterByLabel(Tensor.full(1.0, labels.length), labels, n);
    }

    // ------------------------------------------------------------------ convolution and pooling (NCHW)

    /** Output length of a sliding window: floor((in + 2·pad − k)/stride) + 1, as PyTorch. */
    public static int windowCount(int in, int k, int stride, int pad) {
        if (k <= 0 || stride <= 0 || pad < 0) {
            throw new IllegalArgumentException("window: kernel " + k + ", stride " + stride + ", padding " + pad
                    + " (kernel and stride must be positive, padding >= 0)");
        }
        int span = in + 2 * pad - k;
        if (span < 0) {
            throw new IllegalArgumentException("window: kernel " + k + " larger than input " + in + " padded by " + pad);
        }
        return span / stride + 1;
    }

    /**
     * im2col ("unfold"): for x [N, C, H, W], the patches [N, OH, OW, C·kh·kw], one row per output position,
     * columns ordered (c, i, j) like a weight [O, C, kh, kw] flattened, so a convolution is one GEMM with
     * the weight. Positions in the zero padding read 0.
     */
    public static Tensor unfold(Tensor x, int kh, int kw, int stride, int pad) {
        requireRank("unfold", x, 4);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = windowCount(h, kh, stride, pad);
        int ow = windowCount(w, kw, stride, pad);
        int cols = c * kh * kw;
        double[] src = x.data();
        double[] dst = new double[Tensor.checkedSize(new int[] {n, oh, ow, cols})];
        Parallel.forRange(n * oh, Math.max(1, GRAIN / Math.max(1, ow * cols)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int b = r / oh;
                int y = r % oh;
                for (int xo = 0; xo < ow; xo++) {
                    int base = (r * ow + xo) * cols;
                    for (int ch = 0; ch < c; ch++) {
                        int plane = (b * c + ch) * h;
                        for (int i = 0; i < kh; i++) {
                            int yy = y * stride - pad + i;
                            if (yy < 0 || yy >= h) {
                                continue;
                            }
                            int rowOff = (plane + yy) * w;
                            int at = base + (ch * kh + i) * kw;
                            for (int j = 0; j < kw; j++) {
                                int xx = xo * stride - pad + j;
                                if (xx >= 0 && xx < w) {
                                    dst[at + j] = src[rowOff + xx];
                                }
                            }
                        }
                    }
                }
            }
        });
        return Tensor.of(dst, n, oh, ow, cols);
    }

    /**
     * col2im ("fold"), the adjoint of {@link #unfold}: patches [N, OH, OW, C·kh·kw] summed back into an image of
     * shape inShape = [N, C, H, W] (overlapping windows add; padding positions are dropped).
     */
    public static Tensor fold(Tensor cols, int[] inShape, int kh, int kw, int stride, int pad) {
        if (inShape.length != 4) {
            throw new IllegalArgumentException("fold: image shape must be [N, C, H, W], got " + Arrays.toString(inShape));
        }
        int n = inShape[0];
        int c = inShape[1];
        int h = inShape[2];
        int w = inShape[3];
        int oh = windowCount(h, kh, stride, pad);
        int ow = windowCount(w, kw, stride, pad);
        int k = c * kh * kw;
        if (!cols.hasShape(n, oh, ow, k)) {
            throw new IllegalArgumentException("fold: patches " + cols.shapeString() + " do not match ["
                    + n + ", " + oh + ", " + ow + ", " + k + "] for image " + Arrays.toString(inShape));
        }
        double[] src = cols.data();
        double[] dst = new double[Tensor.checkedSize(inShape)];
        // One image per task: windows overlap only within an image, so tasks never write the same entry.
        Parallel.forRange(n, 1, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        int base = ((b * oh + y) * ow + xo) * k;
                        for (int ch = 0; ch < c; ch++) {
                            int plane = (b * c + ch) * h;
                            for (int i = 0; i < kh; i++) {
                                int yy = y * stride - pad + i;
                                if (yy < 0 || yy >= h) {
                                    continue;
                                }
                                int rowOff = (plane + yy) * w;
                                int at = base + (ch * kh + i) * kw;
                                for (int j = 0; j < kw; j++) {
                                    int xx = xo * stride - pad + j;
                                    if (xx >= 0 && xx < w) {
                                        dst[rowOff + xx] += src[at + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
        return Tensor.of(dst, inShape);
    }

    /**
     * Flat indices into x [N, C, H, W] of the maximum of each k×k window (stride s, no padding), in output
     * order [N, C, OH, OW]. Ties go to the first index in row-major window order; a NaN wins its window so it
     * propagates.
     */
    public static int[] maxPoolIndices(Tensor x, int kh, int kw, int stride) {
        requireRank("maxPool", x, 4);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = windowCount(h, kh, stride, 0);
        int ow = windowCount(w, kw, stride, 0);
        double[] v = x.data();
        int[] idx = new int[n * c * oh * ow];
        Parallel.forRange(n * c, Math.max(1, GRAIN / Math.max(1, oh * ow * kh * kw)), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        int best = (p * h + y * stride) * w + xo * stride;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int at = (p * h + y * stride + i) * w + xo * stride + j;
                                if (v[at] > v[best] || (v[at] != v[at] && v[best] == v[best])) {
                                    best = at;
                                }
                            }
                        }
                        idx[(p * oh + y) * ow + xo] = best;
                    }
                }
            }
        });
        return idx;
    }

    /** out[i] = x.flat[idx[i]], reshaped to outShape. */
    public static Tensor gatherFlat(Tensor x, int[] idx, int[] outShape) {
        if (Tensor.numel(outShape) != idx.length) {
            throw new IllegalArgumentException("gatherFlat: " + idx.length + " indices for output shape " + Arrays.toString(outShape));
        }
        double[] v = x.data();
        double[] z = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= v.length) {
                throw new IndexOutOfBoundsException("gatherFlat: index " + idx[i] + " outside a tensor of " + v.length);
            }
            z[i] = v[idx[i]];
        }
        return Tensor.of(z, outShape);
    }

    /** The adjoint of gatherFlat: zeros of inShape with g[i] added at flat index idx[i] (repeats accumulate). */
    public static Tensor scatterAddFlat(Tensor g, int[] idx, int[] inShape) {
        if (g.size() != idx.length) {
            throw new IllegalArgumentException("scatterAddFlat: " + idx.length + " indices for " + g.size() + " values");
        }
        double[] v = g.data();
        double[] z = new double[Tensor.checkedSize(inShape)];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= z.length) {
                throw new IndexOutOfBoundsException("scatterAddFlat: index " + idx[i] + " outside a tensor of " + z.length);
            }
            z[idx[i]] += v[i];
        }
        return Tensor.of(z, inShape);
    }

    /** 1 where a ≤ b and 0 elsewhere, broadcast to the common shape (the selector of an elementwise minimum). */
    public static Tensor lessOrEqualMask(Tensor a, Tensor b) {
        int[] so = broadcastShape("minimum", a.shape(), b.shape());
        double[] x = broadcastTo(a, so).data();
        double[] y = broadcastTo(b, so).data();
        double[] z = new double[x.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = x[i] <= y[i] ? 1.0 : 0.0;
        }
        return Tensor.of(z, so);
    }

    private static void checkLabels(String op, int[] labels, int m, int n) {
        if (labels.length != m) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for " + m + " rows");
        }
        for (int y : labels) {
            if (y < 0 || y >= n) {
                throw new IllegalArgumentException(op + ": label " + y + " outside [0, " + n + ")");
            }
        }
    }

    private static void requireRank(String op, Tensor t, int r) {
        if (t.rank() != r) {
            throw new IllegalArgumentException(op + ": expects a " + r + "-D tensor, got shape " + t.shapeString());
        }
    }
}
