package org.driftlab;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables driftlab reads, each validated like a command-line option: a value that is set but not
 * what the variable takes is an error naming the variable, the value and what was expected, never silently
 * ignored. This is the one list of them; the CLI checks them all before any command runs ({@link #check()}), and
 * each reader of a variable goes through the accessor here, so a library user gets the same checks.
 *
 * <p>A variable set to the empty string (or blanks) counts as unset, as shells make it easy to write
 * {@code DRIFTLAB_THREADS= cmd}.
 */
public final class Environment {
    /** Worker threads of the tensor kernels: a whole number from 1 to {@link #MAX_THREADS}. */
    public static final String THREADS = "DRIFTLAB_THREADS";
    /** The BLAS backend: one of {@link #BLAS_CHOICES}. */
    public static final String BLAS = "DRIFTLAB_BLAS";
    /** A directory holding the full Fashion-MNIST (its four IDX files). */
    public static final String FASHION_MNIST_DIR = "DRIFTLAB_FASHION_MNIST_DIR";
    /** A directory holding the MNIST IDX files. */
    public static final String MNIST_DIR = "DRIFTLAB_MNIST_DIR";
    /** The experiment catalogue directory. */
    public static final String EXPERIMENTS = "DRIFTLAB_EXPERIMENTS";

    /** The largest thread count accepted: far above any core count a run is deterministic on, below silly values. */
    public static final int MAX_THREADS = 1024;
    /** The values {@link #BLAS} takes. */
    public static final List<String> BLAS_CHOICES = List.of("auto", "native", "java", "naive");

    /** The directory variables, checked by {@link #check()}. */
    private static final List<String> DIRECTORIES = List.of(FASHION_MNIST_DIR, MNIST_DIR, EXPERIMENTS);

    private Environment() {}

    /** Checks every variable above in the process environment; throws the first problem as one line. */
    public static void check() {
        check(System.getenv());
    }

    /**
     * Checks every variable above in env.
     *
     * @param env variable names to values, as {@link System#getenv()}
     */
    public static void check(Map<String, String> env) {
        threads(env);
        blas(env);
        for (String d : DIRECTORIES) {
            directory(env, d);
        }
    }

    /** {@link #THREADS} from the process environment, or 0 when unset. */
    public static int threads() {
        return threads(System.getenv());
    }

    /**
     * {@link #THREADS} from env, or 0 when unset.
     *
     * @param env variable names to values
     * @return the thread count in 1..{@link #MAX_THREADS}, or 0 when unset
     */
    public static int threads(Map<String, String> env) {
        String v = value(env, THREADS);
        if (v == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_THREADS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with what is expected
        }
        throw invalid(THREADS, v, "a whole number of threads from 1 to " + MAX_THREADS);
    }

    /** {@link #BLAS} from the process environment in lower case, or null when unset. */
    public static String blas() {
        return blas(System.getenv());
    }

    /**
     * {@link #BLAS} from env in lower case, or null when unset.
     *
     * @param env variable names to values
     * @return one of {@link #BLAS_CHOICES}, or null
     */
    public static String blas(Map<String, String> env) {
        String v = value(env, BLAS);
        if (v == null) {
            return null;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!BLAS_CHOICES.contains(lower)) {
            throw invalid(BLAS, v, "one of " + String.join(", ", BLAS_CHOICES));
        }
        return lower;
    }

    /**
     * A directory variable from the process environment, or null when unset.
     *
     * @param name one of {@link #FASHION_MNIST_DIR}, {@link #MNIST_DIR}, {@link #EXPERIMENTS}
     * @return the directory, which exists
     */
    public static Path directory(String name) {
        return directory(System.getenv(), name);
    }

    /**
     * A directory variable from env, or null when unset.
     *
     * @param env  variable names to values
     * @param name the variable
     * @return the directory, which exists
     */
    public static Path directory(Map<String, String> env, String name) {
        String v = value(env, name);
        if (v == null) {
            return null;
        }
        Path p;
        try {
            p = Path.of(v);
        } catch (InvalidPathException e) {
            throw invalid(name, v, "a directory");
        }
        if (!Files.isDirectory(p)) {
            throw invalid(name, v, "a directory (" + (Files.exists(p) ? "this is a file" : "it does not exist") + ")");
        }
        return p;
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static DriftlabException invalid(String name, String value, String expected) {
        return new DriftlabException("environment variable " + name + "='" + value + "' is not valid: expected "
                + expected);
    }
}
