package org.driftlab.tensor;

import static org.driftlab.tensor.Kernels.GRAIN;

import java.util.Arrays;

/**
 * Elementwise kernels with NumPy broadcasting: binary arithmetic, unary maps (including the fused derivative
 * helpers autodiff needs), n-ary sums and broadcasting itself. Not differentiable; {@code autodiff.F} composes
 * them into primitives.
 *
 * <p>Every kernel writes only its result, a new array, and never an argument. "Workspace: yes" below means the
 * result writes every element before anything reads it, so it comes from {@link Workspace#array} and is recycled
 * when the enclosing workspace scope closes; "Workspace: no" means a fresh zeroed array that outlives any scope.
 */
public final class Elementwise {
    private Elementwise() {}

    /** NumPy broadcasting of two shapes; throws naming op when they are incompatible. Writes nothing. */
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

    /** Binary elementwise operations. */
    public enum Binary { ADD, SUB, MUL, DIV, POW, MAX, MIN }

    /**
     * a op b under broadcasting. Writes its result only. Workspace: yes (every path writes every element).
     * Fast paths (same shape, scalar, trailing period, one value per row) run in parallel; the general case is a
     * sequential index walk.
     */
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
    static boolean isTrailing(int[] small, int[] full) {
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

    /** Strides of s inside the broadcast shape out (0 along broadcast dimensions). */
    static int[] broadcastStrides(int[] s, int[] out) {
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
     * cache-sized blocks so the partial sum stays in cache while each term streams through once. Needs at least two
     * terms. Writes its result only. Workspace: yes.
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

    /**
     * t repeated to shape (NumPy broadcasting); t itself when it already has that shape. Writes its result only.
     * Workspace: yes.
     */
    public static Tensor broadcastTo(Tensor t, int[] shape) {
        int[] so = broadcastShape("broadcast", t.shape(), shape);
        if (!Arrays.equals(so, shape)) {
            throw new IllegalArgumentException("broadcast: shape " + t.shapeString() + " cannot be broadcast to "
                    + Arrays.toString(shape));
        }
        if (t.hasShape(shape)) {
            return t;
        }
        double[] y = t.data();
        int n = Tensor.checkedSize(shape);
        if (y.length > 0 && isTrailing(t.shape(), shape)) {
            // the common case, a bias's cotangent [W] repeated over the N rows of [N, W]: every row written, so the
            // result can come from the workspace (0.0 + y keeps the bits of the general path below, -0.0 included)
            double[] z = Workspace.array(n);
            int period = y.length;
            Parallel.forRange(n / period, Math.max(1, GRAIN / period), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    for (int j = 0, o = r * period; j < period; j++) {
                        z[o + j] = 0.0 + y[j];
                    }
                }
            });
            return Tensor.of(z, shape.clone());
        }
        if (y.length > 0 && isRowScalar(t.shape(), shape)) {
            // one value per row repeated along it, e.g. the cotangent of a row sum [N, T, 1] → [N, T, D]
            double[] z = Workspace.array(n);
            int period = n / y.length;
            Parallel.forRange(y.length, Math.max(1, GRAIN / period), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    double v = 0.0 + y[r];
                    Arrays.fill(z, r * period, (r + 1) * period, v);
                }
            });
            return Tensor.of(z, shape.clone());
        }
        return binary(Binary.ADD, Tensor.zeros(shape), t);
    }

    /**
     * 1 where a ≤ b and 0 elsewhere, broadcast to the common shape (the selector of an elementwise minimum).
     * Writes its result only. Workspace: no.
     */
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

    // ------------------------------------------------------------------ unary maps

    /**
     * Elementwise functions, including the derivative helpers whose rules autodiff writes as primitives of their own
     * (STEP, EXP_NEG_PART for ELU; NORMAL_CDF and NORMAL_PDF for GELU = x·Φ(x)).
     */
    public enum Unary {
        NEG, EXP, LOG, TANH, RELU, STEP, SIGMOID, SOFTPLUS, SQUARE, SQRT, ABS, SIGN, ELU, EXP_NEG_PART, NORMAL_CDF,
        NORMAL_PDF
    }

    private static final double SQRT_2_OVER_PI_INV = 1.0 / Math.sqrt(2 * Math.PI);
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2);

    /** op applied to every element of a. Writes its result only. Workspace: yes. NaN stays NaN. */
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
            case ELU: for (int i = lo; i < hi; i++) z[i] = x[i] > 0 ? x[i] : Math.expm1(x[i]); break;
            case EXP_NEG_PART: for (int i = lo; i < hi; i++) z[i] = x[i] > 0 ? 0.0 : Math.exp(x[i]); break;
            case NORMAL_CDF: for (int i = lo; i < hi; i++) z[i] = phi(x[i]); break;
            case NORMAL_PDF: for (int i = lo; i < hi; i++) z[i] = pdf(x[i]); break;
            default: throw new IllegalStateException(op.name());
        }
    }

    /**
     * g·(1 − y²) in one pass (the tanh derivative applied to a cotangent g, given y = tanh(x)). Writes its result
     * only. Workspace: yes.
     */
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

    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** Standard normal CDF Φ(x) (exact GELU uses x·Φ(x)). */
    private static double phi(double x) {
        return 0.5 * FastMath.erfc(-x * INV_SQRT2);
    }

    /** Standard normal density. */
    private static double pdf(double x) {
        return SQRT_2_OVER_PI_INV * Math.exp(-0.5 * x * x);
    }
}
