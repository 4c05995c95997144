package org.driftlab.landscape;

import org.driftlab.linalg.Gaussian;
import java.util.List;
import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.flow.Comparison;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Vectors;
import org.driftlab.nn.Network;
import org.driftlab.objective.Objective;

/**
 * The directions d₁, d₂ of a loss landscape θ + a·d₁ + b·d₂ (d₂ = null for a 1-D slice), in the three kinds
 * researchers use:
 * <ul>
 *   <li>{@link #randomFilterNormalised}: Gaussian directions rescaled filter by filter to the norms of θ's filters
 *       (Li, Xu, Taylor, Studer, Goldstein, NeurIPS 2018), so that the picture does not depend on the scale
 *       invariances of a network;</li>
 *   <li>{@link #hessianTop}: the unit top eigenvectors u₁, u₂ of ∇²E(θ) (curvature sections);</li>
 *   <li>{@link #trajectoryPca}: the first principal directions of a run's iterates around its final θ (Li et al.
 *       §7), unit vectors, with the share of variance they explain.</li>
 * </ul>
 * Each is a deterministic function of its inputs (the random kind of its seed).
 */
public final class Directions {
    private Directions() {}

    /**
     * The directions and what explains them.
     *
     * @param d1 the first direction
     * @param d2 the second, or null for a 1-D slice
     * @param scores per direction: the Hessian eigenvalue (hessian-top2) or the fraction of the iterates' variance
     *               (trajectory-pca); empty for random directions
     */
    public record Pair(double[] d1, double[] d2, double[] scores) {}

    /**
     * Li et al.'s filter-normalised random directions: d ~ N(0, I) (seeded), then each filter of d (a row of a
     * dense weight [out, in], an output channel of a convolution weight [out, in, kh, kw]) is rescaled to the
     * norm of the same filter of θ, d_f ← d_f·‖θ_f‖/‖d_f‖. One-dimensional blocks (biases) get a zero direction, as
     * in their published commands ({@code --xignore biasbn}). Without a network (an analytic objective) θ is one
     * filter: d ← d·‖θ‖/‖d‖.
     *
     * @param network the layout of θ, or null for an analytic objective
     * @param dims 1 or 2
     */
    public static Pair randomFilterNormalised(Network network, double[] theta, long seed, int dims) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] d1 = filterNormalised(Gaussian.vector(rng, theta.length), theta, network);
        double[] d2 = dims == 2 ? filterNormalised(Gaussian.vector(rng, theta.length), theta, network) : null;
        return new Pair(d1, d2, new double[0]);
    }

    /** The filters of θ: [offset, length] of each, in θ order; a 1-D block is reported with length −length. */
    static int[][] filters(Network network, int dim) {
        if (network == null) {
            return new int[][] {{0, dim}};
        }
        List<Network.Slice> layout = network.layout();
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (Network.Slice s : layout) {
            int[] shape = s.shape();
            int size = 1;
            for (int n : shape) {
                size *= n;
            }
            if (shape.length <= 1) {
                out.add(new int[] {s.offset(), -size});
                continue;
            }
            int per = size / shape[0];
            for (int f = 0; f < shape[0]; f++) {
                out.add(new int[] {s.offset() + f * per, per});
            }
        }
        return out.toArray(new int[0][]);
    }

    private static double[] filterNormalised(double[] d, double[] theta, Network network) {
        for (int[] f : filters(network, theta.length)) {
            int from = f[0];
            int len = Math.abs(f[1]);
            if (f[1] < 0) {
                java.util.Arrays.fill(d, from, from + len, 0.0);
                continue;
            }
            double dn = 0;
            double tn = 0;
            for (int i = from; i < from + len; i++) {
                dn += d[i] * d[i];
                tn += theta[i] * theta[i];
            }
            double scale = Math.sqrt(tn) / Math.sqrt(dn);
            for (int i = from; i < from + len; i++) {
                d[i] *= scale;
            }
        }
        if (Vectors.norm(d) == 0) {
            throw new DriftlabException("filter-normalised directions vanish: every filter of θ is zero (use "
                    + "--directions hessian-top2 or another θ)");
        }
        return d;
    }


    /** The unit top eigenvectors of ∇²E(θ) (largest algebraic; dense for D ≤ 64, else Lanczos at 1e-8). */
    public static Pair hessianTop(Objective objective, double[] theta, int dims) {
        if (objective.dim() < dims) {
            throw new DriftlabException("hessian-top2 needs D >= " + dims + " parameters, the objective has " + objective.dim());
        }
        double[][] top = Comparison.topEigenpairs(objective, theta, dims);
        return new Pair(top[1], dims == 2 ? top[2] : null, top[0]);
    }

    /**
     * The principal directions of the iterates around the centre: the rows θ_t − centre, centred by their mean
     * (as sklearn's PCA in Li et al.'s code), and the top eigenvectors of their Gram matrix mapped back to
     * parameter space (the M × M problem, M iterates, instead of D × D).
     */
    public static Pair trajectoryPca(double[][] iterates, double[] centre, int dims) {
        int m = iterates.length;
        if (m < dims + 1) {
            throw new DriftlabException("trajectory-pca needs at least " + (dims + 1) + " saved iterates, the run has " + m);
        }
        int d = centre.length;
        double[][] rows = new double[m][];
        double[] mean = new double[d];
        for (int t = 0; t < m; t++) {
            rows[t] = Vectors.combine(1, iterates[t], -1, centre);
            Vectors.axpy(1.0 / m, rows[t], mean);
        }
        for (double[] r : rows) {
            Vectors.axpy(-1, mean, r);
        }
        double[] gram = new double[m * m];
        for (int s = 0; s < m; s++) {
            for (int t = s; t < m; t++) {
                double v = Vectors.dot(rows[s], rows[t]);
                gram[s * m + t] = v;
                gram[t * m + s] = v;
            }
        }
        SymmetricEigen.Decomposition eig = SymmetricEigen.of(gram, m);
        double total = 0;
        for (int i = 0; i < m; i++) {
            total += Math.max(0, eig.value(i));
        }
        double[][] dirs = new double[dims][];
        double[] explained = new double[dims];
        for (int k = 0; k < dims; k++) {
            int idx = m - 1 - k;
            double lambda = eig.value(idx);
            if (!(lambda > 1e-12 * total) || total == 0) {
                throw new DriftlabException("trajectory-pca: the iterates span fewer than " + dims + " directions");
            }
            double[] coeff = eig.vector(idx);
            double[] v = new double[d];
            for (int t = 0; t < m; t++) {
                Vectors.axpy(coeff[t], rows[t], v);
            }
            double[] unit = Vectors.scale(1 / Vectors.norm(v), v);
            dirs[k] = Comparison.signed(unit);
            explained[k] = lambda / total;
        }
        return new Pair(dirs[0], dims == 2 ? dirs[1] : null, explained);
    }

    /**
     * Coordinates of points in the plane θ + a·d₁ + b·d₂ by least squares (the directions need not be orthogonal):
     * {a values, b values}, b = 0 for a 1-D slice.
     */
    public static double[][] project(double[][] points, double[] centre, Pair p) {
        double[][] out = new double[2][points.length];
        double g11 = Vectors.dot(p.d1(), p.d1());
        double g12 = p.d2() == null ? 0 : Vectors.dot(p.d1(), p.d2());
        double g22 = p.d2() == null ? 1 : Vectors.dot(p.d2(), p.d2());
        double det = g11 * g22 - g12 * g12;
        for (int t = 0; t < points.length; t++) {
            double[] r = Vectors.combine(1, points[t], -1, centre);
            double r1 = Vectors.dot(p.d1(), r);
            if (p.d2() == null) {
                out[0][t] = r1 / g11;
                continue;
            }
            double r2 = Vectors.dot(p.d2(), r);
            out[0][t] = (g22 * r1 - g12 * r2) / det;
            out[1][t] = (g11 * r2 - g12 * r1) / det;
        }
        return out;
    }
}
