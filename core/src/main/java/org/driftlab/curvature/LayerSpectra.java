package org.driftlab.curvature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;

/**
 * Per-layer curvature: for each group g of parameters (a layer, or a sub-module such as the attention of an encoder
 * block) the diagonal block H_gg of the Hessian, i.e. the curvature of E in the parameters of g with all others
 * held fixed: its top eigenvalues, its trace, and the share ‖u₁|_g‖² of the global top eigenvector u₁ that lies in
 * g (the shares sum to 1). Tracked along training, this shows which layers carry the sharpness.
 *
 * <p>Estimated: the top eigenvalues of H_gg by Lanczos on the restricted operator x ↦ (H·[0, x, 0])_g (one HVP of
 * H per product), the traces from one set of Hutchinson probes shared by all groups (E[z_gᵀ(Hz)_g] = Tr H_gg for a
 * Rademacher z on all of θ; the groups' estimates sum to the estimate of Tr H). Exact: from a {@link DenseHessian}.
 */
public final class LayerSpectra {
    private LayerSpectra() {}

    /**
     * A group of coordinates of θ: the ranges [starts[i], starts[i] + lengths[i]).
     *
     * @param name  e.g. "blocks.1.attn"
     * @param label e.g. "attention of block 1"
     */
    public record Group(String name, String label, int[] starts, int[] lengths) {
        public Group {
            if (starts.length != lengths.length || starts.length == 0) {
                throw new IllegalArgumentException("group " + name + ": " + starts.length + " starts and " + lengths.length + " lengths");
            }
            starts = starts.clone();
            lengths = lengths.clone();
        }

        /** Number of coordinates. */
        public int size() {
            int n = 0;
            for (int l : lengths) {
                n += l;
            }
            return n;
        }

        /** The group's coordinates of a D-vector. */
        double[] restrict(double[] x) {
            double[] out = new double[size()];
            int o = 0;
            for (int i = 0; i < starts.length; i++) {
                System.arraycopy(x, starts[i], out, o, lengths[i]);
                o += lengths[i];
            }
            return out;
        }

        /** A D-vector holding y in the group's coordinates and zeros elsewhere. */
        double[] embed(double[] y, int dim) {
            double[] out = new double[dim];
            int o = 0;
            for (int i = 0; i < starts.length; i++) {
                System.arraycopy(y, o, out, starts[i], lengths[i]);
                o += lengths[i];
            }
            return out;
        }

        /** Σ_{i ∈ g} x_i·y_i. */
        double dot(double[] x, double[] y) {
            double s = 0;
            for (int i = 0; i < starts.length; i++) {
                for (int j = starts[i]; j < starts[i] + lengths[i]; j++) {
                    s += x[j] * y[j];
                }
            }
            return s;
        }
    }

    /**
     * One group's curvature.
     *
     * @param topEigenvalues      the largest eigenvalues of H_gg, descending
     * @param trace               Tr H_gg
     * @param traceStandardError  its standard error (0 when exact)
     * @param topEigenvectorShare ‖u₁|_g‖² for the unit top eigenvector u₁ of the whole H (NaN when not given)
     * @param exact               whether computed from the dense Hessian
     */
    public record Entry(String name, String label, int size, double[] topEigenvalues, double trace, double traceStandardError,
                        double topEigenvectorShare, boolean exact) {}

    /** H_gg as an operator on the group's coordinates: one product of H per application. */
    public static LinearOperator block(LinearOperator h, Group g) {
        int dim = Probes.dimension(h);
        return LinearOperator.of(g.size(), x -> g.restrict(Probes.apply(h, g.embed(x, dim))));
    }

    /**
     * Estimates every group's curvature: k top eigenvalues of each H_gg by Lanczos (at most lanczosSteps products,
     * relative tolerance tol), all traces from the same probes Rademacher probes (probes HVPs in all).
     *
     * @param topEigenvector the unit top eigenvector of H for the mass shares, or null
     */
    public static List<Entry> estimate(LinearOperator h, List<Group> groups, int k, int lanczosSteps, double tol, int probes,
                                       double[] topEigenvector, long seed) {
        int dim = Probes.dimension(h);
        checkPartition(groups, dim);
        if (probes < 2) {
            throw new IllegalArgumentException("per-layer traces need at least 2 probes, got " + probes);
        }
        // one set of probes for all groups: sample j of group g is z_gᵀ(Hz)_g
        double[][] samples = new double[groups.size()][probes];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int j = 0; j < probes; j++) {
            double[] z = Probes.rademacher(rng, dim, 1.0);
            double[] hz = Probes.apply(h, z);
            for (int g = 0; g < groups.size(); g++) {
                samples[g][j] = groups.get(g).dot(z, hz);
            }
        }
        List<Entry> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            int kk = Math.min(k, group.size());
            Lanczos.Result top = Lanczos.run(block(h, group), Lanczos.Config.builder().k(kk).which(Lanczos.Which.LARGEST_ALGEBRAIC)
                    .maxIterations(Math.max(kk, lanczosSteps)).tolerance(tol).seed(seed + 1 + g)
                    .residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE).build());
            double mean = Arrays.stream(samples[g]).sum() / probes;
            double ss = 0;
            for (double s : samples[g]) {
                ss += (s - mean) * (s - mean);
            }
            double share = topEigenvector == null ? Double.NaN : group.dot(topEigenvector, topEigenvector);
            out.add(new Entry(group.name(), group.label(), group.size(), top.eigenvalues(), mean, Math.sqrt(ss / (probes - 1) / probes),
                    share, false));
        }
        return out;
    }

    /** Every group's curvature from the dense Hessian: exact block spectra and traces. */
    public static List<Entry> exact(DenseHessian hessian, List<Group> groups, int k, double[] topEigenvector) {
        int dim = hessian.dim();
        checkPartition(groups, dim);
        double[] full = hessian.matrix();
        List<Entry> out = new ArrayList<>();
        for (Group group : groups) {
            int n = group.size();
            int[] index = new int[n];
            int o = 0;
            for (int i = 0; i < group.starts().length; i++) {
                for (int j = 0; j < group.lengths()[i]; j++) {
                    index[o++] = group.starts()[i] + j;
                }
            }
            double[] sub = new double[n * n];
            double trace = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    sub[a * n + b] = full[index[a] * dim + index[b]];
                }
                trace += sub[a * n + a];
            }
            double[] ascending = SymmetricEigen.of(sub, n).values();
            int kk = Math.min(k, n);
            double[] top = new double[kk];
            for (int i = 0; i < kk; i++) {
                top[i] = ascending[n - 1 - i];
            }
            double share = topEigenvector == null ? Double.NaN : group.dot(topEigenvector, topEigenvector);
            out.add(new Entry(group.name(), group.label(), n, top, trace, 0.0, share, true));
        }
        return out;
    }

    /** The groups must cover [0, D) exactly once, so traces and shares add up. */
    private static void checkPartition(List<Group> groups, int dim) {
        boolean[] seen = new boolean[dim];
        int covered = 0;
        for (Group g : groups) {
            for (int i = 0; i < g.starts().length; i++) {
                for (int j = g.starts()[i]; j < g.starts()[i] + g.lengths()[i]; j++) {
                    if (j < 0 || j >= dim || seen[j]) {
                        throw new IllegalArgumentException("groups do not partition [0, " + dim + "): coordinate " + j + " in " + g.name());
                    }
                    seen[j] = true;
                    covered++;
                }
            }
        }
        if (covered != dim) {
            throw new IllegalArgumentException("groups cover " + covered + " of " + dim + " coordinates");
        }
    }
}
