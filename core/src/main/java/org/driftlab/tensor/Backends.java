package org.driftlab.tensor;

import org.driftlab.DriftlabException;

import java.util.Locale;

/**
 * Chooses the BLAS backend once per JVM: the system property {@code driftlab.blas} or else the environment
 * variable {@code DRIFTLAB_BLAS} may be
 * <ul>
 *   <li>{@code auto} (default): the Vector API kernel when the JVM offers 512-bit vectors (its 12×16 AVX-512 kernel
 *       runs at about twice the speed of the 256-bit kernels of the OpenBLAS builds Debian ships, measured on Zen 5;
 *       see {@link VectorBlas}), else native OpenBLAS if loadable, else the Vector API kernel if the
 *       {@code jdk.incubator.vector} module is present, else a plain-Java blocked kernel;</li>
 *   <li>{@code native}: native OpenBLAS or a {@link DriftlabException} explaining how to install it;</li>
 *   <li>{@code java}: the Vector API kernel (plain-Java kernel if the module is missing);</li>
 *   <li>{@code naive}: the triple loop (reference only).</li>
 * </ul>
 */
public final class Backends {
    /** Printed wherever the user is told how to get the native backend. */
    public static final String INSTALL_HINT = "run 'sudo scripts/install-native.sh' (installs libopenblas0-pthread)";

    private static volatile Blas blas;

    private Backends() {}

    /** The backend in use. */
    public static Blas blas() {
        Blas b = blas;
        if (b == null) {
            synchronized (Backends.class) {
                if (blas == null) {
                    blas = choose();
                }
                b = blas;
            }
        }
        return b;
    }

    /** Overrides the backend (tests and benchmarks). */
    public static synchronized void setBlas(Blas b) {
        blas = b;
    }

    /** One line naming the backend in use and how to get the other kind. */
    public static String describe() {
        Blas b = blas();
        if (b instanceof NativeBlas) {
            String s = b.name() + "; set DRIFTLAB_BLAS=java for the pure-Java kernel";
            if (!"1".equals(System.getenv("OPENBLAS_NUM_THREADS"))) {
                s += " (warning: OPENBLAS_NUM_THREADS is not 1, OpenBLAS threads will oversubscribe driftlab's)";
            }
            return s;
        }
        String s = b.name() + "; for native OpenBLAS " + INSTALL_HINT;
        if (b instanceof PlainBlas) {
            s += "; for the faster Java kernel run the JVM with --add-modules jdk.incubator.vector";
        }
        return s;
    }

    private static Blas choose() {
        String env = org.driftlab.Environment.blas();
        String want = System.getProperty("driftlab.blas", env == null ? "auto" : env).trim().toLowerCase(Locale.ROOT);
        switch (want) {
            case "auto": {
                Blas java = javaBlas();
                if (java instanceof VectorBlas && VectorBlas.WIDE) {
                    return java;
                }
                Blas nat = tryNative();
                return nat != null ? nat : java;
            }
            case "native": {
                try {
                    return new NativeBlas();
                } catch (RuntimeException | LinkageError e) {
                    throw new DriftlabException("driftlab.blas=native but the native BLAS (libblas.so.3) could not be"
                            + " loaded (" + e + "); " + INSTALL_HINT + ", or use DRIFTLAB_BLAS=auto or java", e);
                }
            }
            case "java":
                return javaBlas();
            case "naive":
                return new NaiveBlas();
            default:
                throw new DriftlabException("unknown BLAS backend '" + want
                        + "' (driftlab.blas / DRIFTLAB_BLAS): expected auto, native, java or naive");
        }
    }

    /**
     * netlib's logger; held strongly so the level set in {@link #tryNative} is not lost when the logger would
     * otherwise be garbage collected.
     */
    private static final java.util.logging.Logger NETLIB_LOG =
            java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");

    /** The native backend, or null when it cannot be loaded (auto mode treats that as "not installed"). */
    private static Blas tryNative() {
        // In auto mode a missing OpenBLAS is normal: silence netlib's "Failed to load implementation" warnings
        // (describe() tells the user what is in use instead).
        java.util.logging.Level old = NETLIB_LOG.getLevel();
        NETLIB_LOG.setLevel(java.util.logging.Level.SEVERE);
        try {
            return new NativeBlas();
        } catch (RuntimeException | LinkageError e) {
            return null;
        } finally {
            NETLIB_LOG.setLevel(old);
        }
    }

    /** The Vector API kernel when the incubator module is resolvable, else the plain-Java blocked kernel. */
    static Blas javaBlas() {
        try {
            Blas v = new VectorBlas();
            // Touch the vector classes now, so a missing module surfaces here rather than in the first product.
            double[] c = new double[1];
            v.gemm(false, false, 1, 1, 1, 1.0, new double[] {1}, 0, 1, new double[] {1}, 0, 1, 0.0, c, 0, 1);
            return v;
        } catch (LinkageError e) {
            // NoClassDefFoundError / ExceptionInInitializerError: JVM started without the incubator module.
            return new PlainBlas();
        }
    }

    /**
     * Plain-Java fallback GEMM for JVMs started without {@code --add-modules jdk.incubator.vector}: op(B) is copied
     * to a row-major k×n panel once, then each row of C is an axpy sweep the JIT auto-vectorises. Simple and a few
     * times faster than {@link NaiveBlas}, far from {@link VectorBlas}.
     */
    static final class PlainBlas implements Blas {
        @Override
        public String name() {
            return "java (plain, no Vector API)";
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                         double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
            if (m <= 0 || n <= 0) {
                return;
            }
            double[] bp = new double[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bp[p * n + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                }
            }
            double[] row = new double[n];
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(row, 0.0);
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bo = p * n;
                    for (int j = 0; j < n; j++) {
                        row[j] += av * bp[bo + j];
                    }
                }
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    double v = alpha * row[j];
                    c[ci + j] = beta == 0 ? v : v + beta * c[ci + j];
                }
            }
        }
    }
}
