package org.driftlab.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.Objective;

/**
 * The central flow of gradient descent (Cohen, Damian, Talwalkar, Kolter, Lee 2024, "Understanding optimization in
 * deep learning with central flows", arXiv 2410.24206) for any {@link Objective}, with any number of Hessian
 * eigenvalues at the edge of stability: an ODE for GD's time-averaged trajectory. GD oscillates inside the span of
 * the top eigenvectors u₁..u_k with some covariance Σ = U X Uᵀ (X ⪰ 0, k×k); to second order the oscillation adds
 * ½∇⟨Σ, ∇²E⟩ to the gradient, and X is whatever keeps every eigenvalue at or below 2/h:
 * <pre>
 *   θ̇ = −∇E − ½ Σ_ij X_ij ∇(u_iᵀ∇²E(θ)u_j),
 *   X ⪰ 0,  (2/h)I − UᵀHU stays ⪰ 0,  complementary to X,
 * </pre>
 * with ∇(u_iᵀHu_j) = ∇³E[u_i, u_j] (u held fixed) by one more reverse pass through a recorded Hessian-vector
 * product. Time is driftlab's t = n·h, so GD's iterate n is compared with θ(nh).
 *
 * <p><b>The multipliers.</b> As in the public code, the edge constraint is imposed on its linearisation: with
 * A = (2/h)I − UᵀHU = diag(2/h − λ_i) and Ȧ = ∇H·∇E + B[X], B[X]_ij = ½Σ_lm ⟨∇H_ij, ∇H_lm⟩X_lm, X solves the
 * semidefinite complementarity problem X ⪰ 0, κA + Ȧ ⪰ 0, ⟨X, κA + Ȧ⟩ = 0 ({@link SemidefiniteComplementarity}).
 * On the edge this makes the eigenvalues relax to 2/h at rate κ = stiffness/h (and keeps them there); the public
 * code's Euler step dt with "A + dt·Ȧ ⪰ 0" is the case κ = 1/dt, i.e. stiffness = h/dt = the number of
 * substeps per step. With one eigenvalue at the edge X = σ² = max(0, 2(−∇λ₁·∇E + κ(λ₁ − 2/h))/‖∇λ₁‖²), the
 * formula of {@link CentralFlow}, which this field then reproduces.
 *
 * <p><b>Which eigenvalues.</b> Every eigenvalue at or above {@code trackFraction}·2/h (default 0.75, the public code's
 * 1.5/h) enters the problem, at least λ₁: those below the edge get X = 0 unless they would cross it within about
 * 1/κ. They are tracked along the flow by an {@link EigenTracker} (warm-started Lanczos, dense for D ≤ 64). Because
 * X and θ̇ only depend on the span of the tracked eigenvectors, near-degenerate eigenvalues need no ordering.
 *
 * <p><b>Predictions for GD</b> ({@link Point}): the time-averaged loss E + ½⟨X, UᵀHU⟩, the time-averaged squared
 * gradient norm ‖∇E‖² + ⟨X, UᵀH²U⟩, and the eigenvalues held at 2/h.
 *
 * <p><b>What is approximated:</b> the oscillation is modelled to second order (a cubic Taylor remainder is
 * dropped), the eigenvectors are held fixed inside one evaluation, and Lanczos stops at a relative residual of
 * {@code lanczosTolerance}. Mutable only through the tracker's warm start and a one-point cache of the last
 * evaluation: integrate one instance from one thread at a time.
 */
public final class NetworkCentralFlow extends ObjectiveField {
    /**
     * Settings.
     *
     * @param stiffness κ·h, the rate (per step) at which an eigenvalue on the edge relaxes to 2/h
     * @param trackFraction eigenvalues at or above trackFraction·2/h are tracked and enter the complementarity problem
     * @param maxTracked the most eigenvalues tracked
     * @param lanczosTolerance Lanczos relative residual tolerance (D &gt; 64)
     */
    public record Settings(double stiffness, double trackFraction, int maxTracked, double lanczosTolerance) {
        /** Checks the values. */
        public Settings {
            Checks.positive("stiffness", stiffness);
            if (!(trackFraction > 0 && trackFraction <= 1)) {
                throw new IllegalArgumentException("trackFraction must be in (0, 1], got " + trackFraction);
            }
            if (maxTracked < 1) {
                throw new IllegalArgumentException("maxTracked must be >= 1, got " + maxTracked);
            }
            Checks.positive("Lanczos tolerance", lanczosTolerance);
        }

        /** Stiffness {@link CentralFlow#DEFAULT_STIFFNESS}, track from 1.5/h, at most 8 eigenvalues, Lanczos 1e-8. */
        public static Settings defaults() {
            return new Settings(CentralFlow.DEFAULT_STIFFNESS, 0.75, 8, 1e-8);
        }

        /** The same settings with another stiffness. */
        public Settings withStiffness(double s) {
            return new Settings(s, trackFraction, maxTracked, lanczosTolerance);
        }

        /** The same settings with another tracking threshold (a fraction of 2/h). */
        public Settings withTrackFraction(double f) {
            return new Settings(stiffness, f, maxTracked, lanczosTolerance);
        }

        /** The same settings with another cap on the number of tracked eigenvalues. */
        public Settings withMaxTracked(int k) {
            return new Settings(stiffness, trackFraction, k, lanczosTolerance);
        }
    }

    /**
     * The flow's quantities at θ.
     *
     * @param loss E(θ)
     * @param gradNormSquared ‖∇E(θ)‖²
     * @param eigenvalues the tracked eigenvalues λ₁ ≥ … ≥ λ_k of ∇²E(θ)
     * @param covariance X, GD's predicted oscillation covariance in the basis of the tracked eigenvectors (k×k,
     *                   row-major)
     * @param derivative θ̇
     */
    public record Point(double loss, double gradNormSquared, double[] eigenvalues, double[] covariance,
                        double[] derivative) {
        /** k, the number of tracked eigenvalues. */
        public int k() {
            return eigenvalues.length;
        }

        /** GD's predicted time-averaged loss E + ½⟨X, UᵀHU⟩ = E + ½Σλ_iX_ii. */
        public double averagedLoss() {
            double s = 0;
            for (int i = 0; i < k(); i++) {
                s += eigenvalues[i] * covariance[i * k() + i];
            }
            return loss + 0.5 * s;
        }

        /** GD's predicted time-averaged ‖∇E‖²: ‖∇E‖² + ⟨X, UᵀH²U⟩ = ‖∇E‖² + Σλ_i²X_ii. */
        public double averagedGradNormSquared() {
            double s = 0;
            for (int i = 0; i < k(); i++) {
                s += eigenvalues[i] * eigenvalues[i] * covariance[i * k() + i];
            }
            return gradNormSquared + s;
        }

        /** tr X: GD's predicted mean squared distance from the central flow. */
        public double oscillationVariance() {
            double s = 0;
            for (int i = 0; i < k(); i++) {
                s += covariance[i * k() + i];
            }
            return s;
        }
    }

    /**
     * One sample of a trajectory.
     *
     * @param step n
     * @param time t = n·h
     * @param theta θ(nh)
     * @param point the flow's quantities at θ(nh)
     */
    public record Sample(int step, double time, double[] theta, Point point) {}

    /**
     * A trajectory at the requested steps.
     *
     * @param samples the requested samples reached, in order
     * @param evaluations right-hand-side evaluations used
     * @param stopReason why the integration stopped before the horizon, or null
     */
    public record Run(List<Sample> samples, long evaluations, String stopReason) {
        /** True when the horizon was reached. */
        public boolean complete() {
            return stopReason == null;
        }
    }

    /** Substeps per step of the default discretisation of {@link #trajectory(Objective, double[], double, int, int[])}. */
    public static final int DEFAULT_SUBSTEPS = 4;

    /**
     * The central flow of GD with learning rate h from θ0 to t = steps·h, sampled at the requested steps
     * (ascending, within 0..steps): the public code's discretisation, explicit Euler with dt = h/4 and stiffness 4
     * (κ = 1/dt, so each substep puts the eigenvalues on the edge back at 2/h), eigenvalues from 1.5/h tracked.
     * This is the entry point for studies: loss, ‖∇E‖², the eigenvalues at the edge and GD's predicted averages are
     * in each sample's {@link Point}.
     */
    public static Run trajectory(Objective objective, double[] theta0, double h, int steps, int[] at) {
        return trajectory(objective, theta0, h, steps, at, Settings.defaults().withStiffness(DEFAULT_SUBSTEPS),
                FlowIntegrator.euler(h / DEFAULT_SUBSTEPS));
    }

    /** As {@link #trajectory(Objective, double[], double, int, int[])} with given settings and integrator. */
    public static Run trajectory(Objective objective, double[] theta0, double h, int steps, int[] at, Settings settings,
                                 FlowIntegrator integrator) {
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0 || at[i] > steps || (i > 0 && at[i] <= at[i - 1])) {
                throw new IllegalArgumentException("requested steps must be increasing within 0.." + steps + ": "
                        + Arrays.toString(at));
            }
        }
        NetworkCentralFlow field = new NetworkCentralFlow(objective, h, settings);
        List<Sample> samples = new ArrayList<>();
        int[] next = {0};
        FlowIntegrator.Outcome o = integrator.stream(field, theta0, h, at.length == 0 ? 0 : at[at.length - 1],
                (n, y) -> {
                    if (next[0] < at.length && at[next[0]] == n) {
                        samples.add(new Sample(n, n * h, y, field.at(y)));
                        next[0]++;
                    }
                });
        return new Run(samples, o.evaluations(), o.stopReason());
    }

    private final Settings settings;
    private final double kappa;
    private final EigenTracker tracker;
    private double[] cachedTheta;
    private Point cachedPoint;

    /** The central flow of E for learning rate h &gt; 0 with {@link Settings#defaults()}. */
    public NetworkCentralFlow(Objective objective, double h) {
        this(objective, h, Settings.defaults());
    }

    /** The central flow of E for learning rate h &gt; 0. */
    public NetworkCentralFlow(Objective objective, double h, Settings settings) {
        super(objective, Checks.positive("learning rate h", h));
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.kappa = settings.stiffness() / h;
        this.tracker = new EigenTracker(settings.trackFraction() * 2 / h, settings.maxTracked(),
                settings.lanczosTolerance());
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** The flow's quantities at θ (the last point is cached: the integrator and a sampler often ask twice). */
    public Point at(double[] theta) {
        if (cachedPoint != null && Arrays.equals(theta, cachedTheta)) {
            return cachedPoint;
        }
        Point p = compute(theta);
        cachedTheta = theta.clone();
        cachedPoint = p;
        return p;
    }

    private Point compute(double[] theta) {
        Objective objective = objective();
        double h = h();
        Objective.SecondOrder local = objective.secondOrder(theta); // ∇E and the Hessian from one graph
        double[] g = local.gradient();
        EigenTracker.Eigenpairs top = tracker.track(local.hessian());
        int k = top.size();
        double[][] u = top.vectors();
        double[] lambda = top.values();
        // ∇H_ij = ∇³E[u_i, u_j] for i ≤ j, from one recorded graph.
        ThirdOrderGraph graph = ThirdOrderGraph.at(objective, theta);
        double[][][] dh = new double[k][k][];
        for (int i = 0; i < k; i++) {
            ThirdOrderGraph.Product hu = graph.times(u[i]);
            for (int j = i; j < k; j++) {
                dh[i][j] = hu.contract(u[j]);
                dh[j][i] = dh[i][j];
            }
        }
        if (k == 1) {
            // The closed form of the one-eigenvalue problem, written as CentralFlow writes it.
            double[] gs = dh[0][0];
            double gsNorm2 = Vectors.dot(gs, gs);
            double sigma2 = 0;
            if (gsNorm2 > 0) {
                sigma2 = Math.max(0, 2 * (-Vectors.dot(gs, g) + kappa * (lambda[0] - 2 / h)) / gsNorm2);
            }
            return new Point(local.value(), Vectors.dot(g, g), lambda, new double[] {sigma2},
                    ObjectiveField.descent(g, 0.5 * sigma2, gs));
        }
        double[] alpha = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                alpha[i * k + j] = (i == j ? kappa * (2 / h - lambda[i]) : 0) + Vectors.dot(dh[i][j], g);
            }
        }
        // B's entries are ½⟨∇H_ij, ∇H_lm⟩: one dot product per pair of distinct (i ≤ j), (l ≤ m).
        double[] b = new double[k * k * k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                for (int l = 0; l < k; l++) {
                    for (int m = l; m < k; m++) {
                        if (l * k + m < i * k + j) {
                            continue; // filled from the symmetric entry
                        }
                        double v = 0.5 * Vectors.dot(dh[i][j], dh[l][m]);
                        for (int[] a : new int[][] {{i, j}, {j, i}}) {
                            for (int[] c : new int[][] {{l, m}, {m, l}}) {
                                b[(a[0] * k + a[1]) * k * k + c[0] * k + c[1]] = v;
                                b[(c[0] * k + c[1]) * k * k + a[0] * k + a[1]] = v;
                            }
                        }
                    }
                }
            }
        }
        double[] x = SemidefiniteComplementarity.solve(alpha, b, k).x();
        double[] direction = new double[theta.length];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double c = x[i * k + j];
                if (c != 0) {
                    Vectors.axpy(c, dh[i][j], direction);
                }
            }
        }
        return new Point(local.value(), Vectors.dot(g, g), lambda, x, ObjectiveField.descent(g, 0.5, direction));
    }

    @Override
    protected double[] evaluate(double[] state) {
        return at(state).derivative().clone();
    }

    @Override
    public String name() {
        return "central-net";
    }
}
