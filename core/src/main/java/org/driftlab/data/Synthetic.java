package org.driftlab.data;

import java.util.SplittableRandom;
import org.driftlab.tensor.Tensor;
import org.driftlab.linalg.Gaussian;
import org.driftlab.linalg.Orthonormal;

/**
 * Seeded synthetic data sets. Every generator draws from a {@link SplittableRandom} built from the given seed only,
 * so the same arguments always give bit-identical data on any machine.
 */
public final class Synthetic {
    private Synthetic() {}

    /**
     * Gaussian blobs: k class centres drawn from N(0, I_d), and example i of class {@code i mod k} at its centre plus
     * N(0, spread^2 I_d) noise. Classes are exactly balanced and interleaved, so any prefix is balanced too.
     */
    public static Dataset blobs(int n, int d, int k, double spread, long seed) {
        require(n >= 0 && d >= 1 && k >= 1, "blobs needs n >= 0, d >= 1, k >= 1");
        SplittableRandom rng = new SplittableRandom(seed);
        double[] centres = new double[k * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = Gaussian.draw(rng);
        }
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % k;
            y[i] = c;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[c * d + j] + spread * Gaussian.draw(rng);
            }
        }
        return Dataset.classification(String.format("synthetic:blobs:n=%d,d=%d,k=%d,spread=%s,seed=%d", n, d, k,
                fmt(spread), seed), Tensor.of(x, n, d), y, k);
    }

    /**
     * Two interleaving half circles in 2-D (as in scikit-learn's make_moons): ceil(n/2) points of class 0 at
     * {@code (cos t, sin t)} and floor(n/2) of class 1 at {@code (1 - cos t, 1/2 - sin t)}, t evenly spaced on
     * [0, pi], plus N(0, noise^2) noise per coordinate; the examples are then shuffled with the seed.
     */
    public static Dataset moons(int n, double noise, long seed) {
        require(n >= 0, "moons needs n >= 0");
        SplittableRandom rng = new SplittableRandom(seed);
        int outer = (n + 1) / 2;
        int inner = n - outer;
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            boolean first = i < outer;
            int j = first ? i : i - outer;
            int m = first ? outer : inner;
            double t = m > 1 ? Math.PI * j / (m - 1) : 0.0;
            x[2 * i] = first ? Math.cos(t) : 1.0 - Math.cos(t);
            x[2 * i + 1] = first ? Math.sin(t) : 0.5 - Math.sin(t);
            y[i] = first ? 0 : 1;
        }
        for (int i = 0; i < 2 * n; i++) {
            x[i] += noise * Gaussian.draw(rng);
        }
        int[] perm = Transforms.permutation(n, rng);
        double[] xs = new double[2 * n];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = x[2 * perm[i]];
            xs[2 * i + 1] = x[2 * perm[i] + 1];
            ys[i] = y[perm[i]];
        }
        return Dataset.classification(String.format("synthetic:moons:n=%d,noise=%s,seed=%d", n, fmt(noise), seed),
                Tensor.of(xs, n, 2), ys, 2);
    }

    /**
     * A teacher-student regression problem: inputs from N(0, I_d) and targets from a random teacher network
     * {@code f(x) = W2 tanh(W1 x + b1) + b2} with {@code W1 [hidden, d] ~ N(0, 1/d)}, {@code b1 ~ N(0, 0.01)},
     * {@code W2 [k, hidden] ~ N(0, 1/hidden)}, {@code b2 = 0}.
     *
     * @param dataset the data: explicit targets {@code [n, k]}, and labels = argmax of the teacher output (so
     *                accuracy is defined), numClasses = k
     */
    public record TeacherStudent(Dataset dataset, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {}

    /** Generates a teacher-student problem; see {@link TeacherStudent}. */
    public static TeacherStudent teacherStudent(int n, int d, int k, int hidden, long seed) {
        require(n >= 0 && d >= 1 && k >= 1 && hidden >= 1, "teacher needs n >= 0, d, k, hidden >= 1");
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w1 = normals(rng, hidden * d, 1.0 / Math.sqrt(d));
        double[] b1 = normals(rng, hidden, 0.1);
        double[] w2 = normals(rng, k * hidden, 1.0 / Math.sqrt(hidden));
        double[] b2 = new double[k];
        double[] x = normals(rng, n * d, 1.0);
        double[] t = new double[n * k];
        int[] y = new int[n];
        double[] h = new double[hidden];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < hidden; a++) {
                double s = b1[a];
                for (int j = 0; j < d; j++) {
                    s += w1[a * d + j] * x[i * d + j];
                }
                h[a] = Math.tanh(s);
            }
            int best = 0;
            for (int c = 0; c < k; c++) {
                double s = b2[c];
                for (int a = 0; a < hidden; a++) {
                    s += w2[c * hidden + a] * h[a];
                }
                t[i * k + c] = s;
                if (s > t[i * k + best]) {
                    best = c;
                }
            }
            y[i] = best;
        }
        Dataset ds = new Dataset(String.format("synthetic:teacher:n=%d,d=%d,k=%d,hidden=%d,seed=%d", n, d, k, hidden,
                seed), Tensor.of(x, n, d), y, k, Tensor.of(t, n, k));
        return new TeacherStudent(ds, Tensor.of(w1, hidden, d), Tensor.vector(b1), Tensor.of(w2, k, hidden),
                Tensor.vector(b2));
    }

    /**
     * A linear regression problem {@code y = X w* + noise * eps} with a known design.
     *
     * @param dataset     inputs X {@code [n, d]}, explicit targets y {@code [n, 1]}, no labels
     * @param design      the design matrix X {@code [n, d]} (same tensor as the inputs)
     * @param trueWeights w* {@code [d]}
     * @param noise       the noise standard deviation
     */
    public record LinearRegression(Dataset dataset, Tensor design, Tensor trueWeights, double noise) {}

    /**
     * Linear regression with X entries and w* drawn from N(0, 1) and eps from N(0, 1). With orthogonal = true
     * the design is instead {@code sqrt(n) Q} where Q has orthonormal columns (n &ge; d required), as in the
     * {@code linear-n-d} set of Cohen et al., so that {@code X^T X / n = I}.
     */
    public static LinearRegression linearRegression(int n, int d, double noise, long seed, boolean orthogonal) {
        require(n >= 1 && d >= 1, "linreg needs n, d >= 1");
        require(!orthogonal || n >= d, "an orthogonal design needs n >= d");
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = normals(rng, n * d, 1.0);
        if (orthogonal) {
            Orthonormal.columns(x, n, d);
            double s = Math.sqrt(n);
            for (int i = 0; i < x.length; i++) {
                x[i] *= s;
            }
        }
        double[] w = normals(rng, d, 1.0);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * w[j];
            }
            y[i] = s + noise * Gaussian.draw(rng);
        }
        Tensor design = Tensor.of(x, n, d);
        Dataset ds = Dataset.regression(String.format("synthetic:linreg:n=%d,d=%d,noise=%s,seed=%d%s", n, d,
                fmt(noise), seed, orthogonal ? ",orthogonal=true" : ""), design, Tensor.of(y, n, 1));
        return new LinearRegression(ds, design, Tensor.vector(w), noise);
    }

    private static double[] normals(SplittableRandom rng, int count, double scale) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = scale * Gaussian.draw(rng);
        }
        return v;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
