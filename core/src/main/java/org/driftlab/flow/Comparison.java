package org.driftlab.flow;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.curvature.Lanczos;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.objective.Objective;
import org.driftlab.linalg.Vectors;

/**
 * Discrete iterates θ_n against a flow sampled at t = n·h: per n the distance ‖θ_n − Re θ(nh)‖, E at both points,
 * ‖Im θ(nh)‖, and the coordinates of both along fixed directions (e.g. the top Hessian eigenvectors at θ_0).
 * Immutable; built by {@link #of}.
 */
public final class Comparison {
    /**
     * One sample.
     *
     * @param distance ‖θ_n − Re θ(nh)‖
     * @param lossIterate E(θ_n)
     * @param lossFlow E(Re θ(nh))
     * @param imagNorm ‖Im θ(nh)‖ (0 for a real flow)
     * @param projIterate u_j·θ_n for each direction u_j
     * @param projFlow u_j·Re θ(nh)
     */
    public record Row(int step, double time, double distance, double lossIterate, double lossFlow, double imagNorm,
                      double[] projIterate, double[] projFlow) {}

    private final String flowName;
    private final List<Row> rows;

    private Comparison(String flowName, List<Row> rows) {
        this.flowName = flowName;
        this.rows = List.copyOf(rows);
    }

    /**
     * Compares iterates θ_0..θ_N with a flow on the common range of n.
     *
     * @param directions unit vectors to project on (may be empty)
     */
    public static Comparison of(Objective objective, List<double[]> iterates, Trajectory flow, double[][] directions) {
        int n = Math.min(iterates.size() - 1, flow.steps());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            double[] a = iterates.get(i);
            double[] b = flow.real(i);
            double[] pa = new double[directions.length];
            double[] pb = new double[directions.length];
            for (int j = 0; j < directions.length; j++) {
                pa[j] = Vectors.dot(directions[j], a);
                pb[j] = Vectors.dot(directions[j], b);
            }
            rows.add(new Row(i, flow.time(i), Vectors.distance(a, b), safeValue(objective, a), safeValue(objective, b),
                    flow.imagNorm(i), pa, pb));
        }
        return new Comparison(flow.name(), rows);
    }

    /** Plain gradient descent θ_{n+1} = θ_n − h∇E(θ_n), n = 0..steps; stops early if θ leaves the finite numbers. */
    public static List<double[]> gradientDescent(Objective objective, double[] theta0, double h, int steps) {
        List<double[]> out = new ArrayList<>();
        double[] theta = theta0.clone();
        out.add(theta.clone());
        for (int n = 0; n < steps; n++) {
            double[] g = objective.gradient(theta);
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= h * g[i];
            }
            for (double v : theta) {
                if (!Double.isFinite(v)) {
                    return out;
                }
            }
            out.add(theta.clone());
        }
        return out;
    }

    /**
     * The top-k Hessian eigenpairs at θ (Lanczos, largest algebraic, tolerance 1e-8), each u_i signed so that
     * its largest-magnitude component is positive; {@code result[0]} holds the eigenvalues, {@code result[1..k]}
     * the vectors.
     */
    public static double[][] topEigenpairs(Objective objective, double[] theta, int k) {
        return topEigenpairs(objective.hessian(theta), k);
    }

    /** The same for a Hessian already built (e.g. by {@link Objective#secondOrder}). */
    public static double[][] topEigenpairs(LinearOperator hessian, int k) {
        double[][] out = new double[k + 1][];
        int dim = hessian.dim();
        if (dim <= 64) {
            // Small D: D Hessian-vector products and a dense eigensolver are exact and cheaper than Lanczos.
            SymmetricEigen.Decomposition eig = DenseHessian.of(hessian).eigen();
            out[0] = new double[k];
            for (int i = 0; i < k; i++) {
                int j = eig.size() - 1 - i;
                out[0][i] = eig.value(j);
                out[i + 1] = signed(eig.vector(j));
            }
            return out;
        }
        Lanczos.Result r = lanczosTop(hessian, k, 1e-8);
        out[0] = r.eigenvalues();
        for (int i = 0; i < k; i++) {
            out[i + 1] = signed(r.eigenvector(i));
        }
        return out;
    }

    /**
     * The k largest algebraic eigenpairs of a symmetric operator by Lanczos (fixed seed) with a relative residual
     * tolerance and at most max(300, 30k) steps (capped at D): the one configuration of the flows' eigensolves.
     */
    static Lanczos.Result lanczosTop(LinearOperator hessian, int k, double tolerance) {
        return lanczosTop(hessian, k, tolerance, List.of());
    }

    /** The same, warm-started from earlier eigenvectors (e.g. those of the previous point of a trajectory). */
    static Lanczos.Result lanczosTop(LinearOperator hessian, int k, double tolerance, List<double[]> warmStart) {
        return Lanczos.run(hessian, Lanczos.Config.builder().k(k).which(Lanczos.Which.LARGEST_ALGEBRAIC)
                .tolerance(tolerance).maxIterations(Math.min(hessian.dim(), Math.max(300, 30 * k)))
                .warmStart(warmStart).build());
    }

    /** u with its largest-magnitude component made positive (a deterministic sign for eigenvectors), in place. */
    public static double[] signed(double[] u) {
        int arg = 0;
        for (int j = 1; j < u.length; j++) {
            if (Math.abs(u[j]) > Math.abs(u[arg])) {
                arg = j;
            }
        }
        if (u[arg] < 0) {
            for (int j = 0; j < u.length; j++) {
                u[j] = -u[j];
            }
        }
        return u;
    }

    /** The flow's name. */
    public String flowName() {
        return flowName;
    }

    /** The samples, n = 0..N. */
    public List<Row> rows() {
        return rows;
    }

    /** max_n ‖θ_n − Re θ(nh)‖. */
    public double maxDistance() {
        double m = 0;
        for (Row r : rows) {
            m = Math.max(m, r.distance());
        }
        return m;
    }

    /** Mean of ‖θ_n − Re θ(nh)‖ over n = 1..N (0 if N = 0). */
    public double meanDistance() {
        double s = 0;
        for (int i = 1; i < rows.size(); i++) {
            s += rows.get(i).distance();
        }
        return rows.size() > 1 ? s / (rows.size() - 1) : 0;
    }

    private static double safeValue(Objective objective, double[] theta) {
        for (double v : theta) {
            if (!Double.isFinite(v)) {
                return Double.NaN;
            }
        }
        return objective.value(theta);
    }
}
