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
 * <p><b>RMSProp</b> ({@link #rmsProp}, the paper's §5): driftlab's rule ν ← ρν + (1−ρ)g², θ ← θ − h·g/(√ν + ε) has the
 * preconditioner D = diag(√ν + ε), and its central flow runs on the state [θ, ν] (length 2D):
 * <pre>
 *   θ̇ = −D⁻¹(∇E + ½ Σ_ij X_ij ∇H_ij),   ν̇ = c(∇E² − ν + Σ_ij X_ij (Hu_i ⊙ Hu_j)),   c = (1 − ρ)/(ρh),
 * </pre>
 * the squared gradient averaged over the oscillation as well (E[(g + Hδ)²] = g² + diag(HΣH)), and the factor 1/ρ
 * of the public code. The edge is on the preconditioned Hessian: the eigenvalues μ_i of D^{-1/2}HD^{-1/2} at 2/h,
 * u_i = D^{-1/2}v_i (so UᵀDU = I), A = Uᵀ((2/h)D − H)U, whose rate gains the term (2/h)·d(UᵀDU)/dt through ν̇
 * (dD/dν = 1/(2√ν), taken as 0 where ν = 0). In that term HU is replaced by (2/h)DU, exact wherever X ≠ 0, which
 * keeps B symmetric and positive semidefinite (the public code's note on the same point). With ρ = 1 (ν frozen)
 * and ν constant this is GD's central flow in the time t/d for the learning rate h/d, d = √ν + ε.
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
     * The flow's quantities at one state.
     *
     * @param loss E(θ)
     * @param gradNormSquared ‖∇E(θ)‖²
     * @param eigenvalues the tracked eigenvalues λ₁ ≥ … ≥ λ_k of ∇²E(θ) (for RMSProp those of D^{-1/2}∇²E D^{-1/2})
     * @param covariance X, GD's predicted oscillation covariance in the basis of the tracked eigenvectors (k×k,
     *                   row-major)
     * @param averagedLoss the predicted time-averaged loss E + ½⟨X, UᵀHU⟩ = E + ½Σλ_iX_ii
     * @param averagedGradNormSquared the predicted time-averaged ‖∇E‖², ‖∇E‖² + Σ_ij X_ij (Hu_i·Hu_j)
     * @param derivative the state's time derivative (θ̇, and ν̇ for RMSProp)
     */
    public record Point(double loss, double gradNormSquared, double[] eigenvalues, double[] covariance,
                        double averagedLoss, double averagedGradNormSquared, double[] derivative) {
        /** k, the number of tracked eigenvalues. */
        public int k() {
            return eigenvalues.length;
        }

        /** tr X: the predicted mean squared distance of the oscillation from the flow (in UᵀDU = I units for RMSProp). */
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
        return new NetworkCentralFlow(objective, h, settings, 0, 0).run(theta0, steps, at, integrator);
    }

    /**
     * This flow from a full state (θ for GD, [θ, ν] for RMSProp: see {@link #initialState}) to t = steps·h, sampled
     * at the requested steps (ascending, within 0..steps).
     */
    public Run run(double[] state0, int steps, int[] at, FlowIntegrator integrator) {
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0 || at[i] > steps || (i > 0 && at[i] <= at[i - 1])) {
                throw new IllegalArgumentException("requested steps must be increasing within 0.." + steps + ": "
                        + Arrays.toString(at));
            }
        }
        double h = h();
        List<Sample> samples = new ArrayList<>();
        int[] next = {0};
        FlowIntegrator.Outcome o = integrator.streamState(this, state0, h, at.length == 0 ? 0 : at[at.length - 1],
                (n, y) -> {
                    if (next[0] < at.length && at[next[0]] == n) {
                        samples.add(new Sample(n, n * h, y, at(y)));
                        next[0]++;
                    }
                });
        return new Run(samples, o.evaluations(), o.stopReason());
    }

    private final Settings settings;
    private final double kappa;
    private final EigenTracker tracker;
    private final double rho; // 0: gradient descent
    private final double eps;
    private double[] cachedState;
    private Point cachedPoint;

    /** The central flow of GD on E for learning rate h &gt; 0 with {@link Settings#defaults()}. */
    public NetworkCentralFlow(Objective objective, double h) {
        this(objective, h, Settings.defaults());
    }

    /** The central flow of GD on E for learning rate h &gt; 0. */
    public NetworkCentralFlow(Objective objective, double h, Settings settings) {
        this(objective, h, settings, 0, 0);
    }

    private NetworkCentralFlow(Objective objective, double h, Settings settings, double rho, double eps) {
        super(objective, Checks.positive("learning rate h", h));
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.kappa = settings.stiffness() / h;
        this.tracker = new EigenTracker(settings.trackFraction() * 2 / h, settings.maxTracked(),
                settings.lanczosTolerance());
        this.rho = rho;
        this.eps = eps;
    }

    /**
     * The central flow of RMSProp (decay ρ ∈ (0, 1], ε ≥ 0, learning rate h) on the state [θ, ν]; start it from
     * {@link #initialState}.
     */
    public static NetworkCentralFlow rmsProp(Objective objective, double h, double rho, double eps, Settings settings) {
        if (!(rho > 0 && rho <= 1)) {
            throw new IllegalArgumentException("RMSProp decay ρ must be in (0, 1], got " + rho);
        }
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("RMSProp ε must be finite and >= 0, got " + eps);
        }
        return new NetworkCentralFlow(objective, h, settings, rho, eps);
    }

    /** True for the RMSProp flow. */
    public boolean isRmsProp() {
        return rho > 0;
    }

    @Override
    public int stateDim() {
        return isRmsProp() ? 2 * dim() : dim();
    }

    /**
     * The state at θ0: θ0 for GD; for RMSProp [θ0, ν0] with ν0 = (1 − ρ)∇E(θ0)², the mean square RMSProp divides its
     * first step by (its ν starts at 0 and is updated before the step), as the public code starts its flow.
     */
    public double[] initialState(double[] theta0) {
        objective().checkDim(theta0);
        if (!isRmsProp()) {
            return theta0.clone();
        }
        int d = dim();
        double[] g = objective().gradient(theta0);
        double[] s = new double[2 * d];
        System.arraycopy(theta0, 0, s, 0, d);
        for (int i = 0; i < d; i++) {
            s[d + i] = (1 - rho) * g[i] * g[i];
        }
        return s;
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** The flow's quantities at a state (the last one is cached: the integrator and a sampler often ask twice). */
    public Point at(double[] state) {
        if (cachedPoint != null && Arrays.equals(state, cachedState)) {
            return cachedPoint;
        }
        checkState(state);
        Point p = isRmsProp() ? computeRmsProp(state) : compute(state);
        cachedState = state.clone();
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
        double[][][] dh = pairGradients(ThirdOrderGraph.at(objective, theta), u);
        double g2 = Vectors.dot(g, g);
        if (k == 1) {
            // The closed form of the one-eigenvalue problem, written as CentralFlow writes it.
            double[] gs = dh[0][0];
            double gsNorm2 = Vectors.dot(gs, gs);
            double sigma2 = 0;
            if (gsNorm2 > 0) {
                sigma2 = Math.max(0, 2 * (-Vectors.dot(gs, g) + kappa * (lambda[0] - 2 / h)) / gsNorm2);
            }
            return new Point(local.value(), g2, lambda, new double[] {sigma2}, local.value() + 0.5 * sigma2 * lambda[0],
                    g2 + sigma2 * lambda[0] * lambda[0], ObjectiveField.descent(g, 0.5 * sigma2, gs));
        }
        double[] alpha = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                alpha[i * k + j] = (i == j ? kappa * (2 / h - lambda[i]) : 0) + Vectors.dot(dh[i][j], g);
            }
        }
        double[] b = pairMap(k, (i, j, l, m) -> 0.5 * Vectors.dot(dh[i][j], dh[l][m]));
        double[] x = SemidefiniteComplementarity.solve(alpha, b, k).x();
        double[] direction = contract(dh, x, theta.length);
        double avgLoss = local.value();
        double avgGrad = g2;
        for (int i = 0; i < k; i++) {
            avgLoss += 0.5 * lambda[i] * x[i * k + i];
            avgGrad += lambda[i] * lambda[i] * x[i * k + i]; // Hu_i·Hu_j = λ_i²δ_ij for orthonormal eigenvectors
        }
        return new Point(local.value(), g2, lambda, x, avgLoss, avgGrad, ObjectiveField.descent(g, 0.5, direction));
    }

    private Point computeRmsProp(double[] state) {
        Objective objective = objective();
        double h = h();
        int d = dim();
        double[] theta = Arrays.copyOfRange(state, 0, d);
        double[] nu = Arrays.copyOfRange(state, d, 2 * d);
        double[] diag = new double[d]; // D = √ν + ε
        double[] invSqrt = new double[d]; // D^{-1/2}
        double[] dDdNu = new double[d]; // 1/(2√ν), 0 where ν = 0
        for (int i = 0; i < d; i++) {
            // The flow keeps ν ≥ 0 (ν̇ ≥ −cν); a trial stage of an adaptive integrator may step below, so the field
            // reads max(ν, 0) and stays defined and continuous there.
            nu[i] = Math.max(nu[i], 0);
            double r = Math.sqrt(nu[i]);
            diag[i] = r + eps;
            invSqrt[i] = 1 / Math.sqrt(diag[i]);
            dDdNu[i] = r > 0 ? 0.5 / r : 0;
        }
        Objective.SecondOrder local = objective.secondOrder(theta);
        double[] g = local.gradient();
        org.driftlab.linalg.LinearOperator hess = local.hessian();
        // The preconditioned Hessian D^{-1/2} H D^{-1/2}, whose eigenvalues meet the edge at 2/h.
        org.driftlab.linalg.LinearOperator pre = org.driftlab.linalg.LinearOperator.of(d, v -> {
            double[] w = new double[d];
            for (int i = 0; i < d; i++) {
                w[i] = invSqrt[i] * v[i];
            }
            double[] hw = hess.apply(w);
            for (int i = 0; i < d; i++) {
                hw[i] *= invSqrt[i];
            }
            return hw;
        });
        EigenTracker.Eigenpairs top = tracker.track(pre);
        int k = top.size();
        double[] mu = top.values();
        double[][] u = new double[k][d];
        double[][] hu = new double[k][d]; // Hu_i = μ_i D u_i
        for (int i = 0; i < k; i++) {
            for (int c = 0; c < d; c++) {
                u[i][c] = invSqrt[c] * top.vectors()[i][c];
                hu[i][c] = mu[i] * diag[c] * u[i][c];
            }
        }
        double[][][] dh = pairGradients(ThirdOrderGraph.at(objective, theta), u);
        double rate = (1 - rho) / (rho * h); // c
        double[] nuDotStable = new double[d];
        double[] gOverD = new double[d];
        for (int c = 0; c < d; c++) {
            nuDotStable[c] = rate * (g[c] * g[c] - nu[c]);
            gOverD[c] = g[c] / diag[c];
        }
        double edge = 2 / h;
        double[] alpha = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double dDu = 0; // u_iᵀ (dD/dt)_stable u_j
                for (int c = 0; c < d; c++) {
                    dDu += u[i][c] * u[j][c] * dDdNu[c] * nuDotStable[c];
                }
                alpha[i * k + j] = (i == j ? kappa * (edge - mu[i]) : 0) + edge * dDu + Vectors.dot(dh[i][j], gOverD);
            }
        }
        double[] b = pairMap(k, (i, j, l, m) -> {
            double s = 0;
            for (int c = 0; c < d; c++) {
                // (2/h)·u_iu_j·dD/dν·c·(Hu_l ⊙ Hu_m) with Hu = (2/h)Du, plus ½⟨∇H_ij, D⁻¹∇H_lm⟩
                double hh = edge * edge * diag[c] * diag[c] * u[l][c] * u[m][c];
                s += edge * u[i][c] * u[j][c] * dDdNu[c] * rate * hh + 0.5 * dh[i][j][c] * dh[l][m][c] / diag[c];
            }
            return s;
        });
        double[] x = SemidefiniteComplementarity.solve(alpha, b, k).x();
        double[] direction = contract(dh, x, d);
        double[] out = new double[2 * d];
        for (int c = 0; c < d; c++) {
            out[c] = -(g[c] + 0.5 * direction[c]) / diag[c];
            double osc = 0;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    osc += x[i * k + j] * hu[i][c] * hu[j][c];
                }
            }
            out[d + c] = nuDotStable[c] + rate * osc;
        }
        double g2 = Vectors.dot(g, g);
        double avgLoss = local.value();
        double avgGrad = g2;
        for (int i = 0; i < k; i++) {
            avgLoss += 0.5 * mu[i] * x[i * k + i];
            for (int j = 0; j < k; j++) {
                avgGrad += x[i * k + j] * Vectors.dot(hu[i], hu[j]);
            }
        }
        return new Point(local.value(), g2, mu, x, avgLoss, avgGrad, out);
    }

    /** ∇H_ij = ∇³E[u_i, u_j] for all pairs (one recorded product per i, one contraction per i ≤ j). */
    private static double[][][] pairGradients(ThirdOrderGraph graph, double[][] u) {
        int k = u.length;
        double[][][] dh = new double[k][k][];
        for (int i = 0; i < k; i++) {
            ThirdOrderGraph.Product hu = graph.times(u[i]);
            for (int j = i; j < k; j++) {
                dh[i][j] = hu.contract(u[j]);
                dh[j][i] = dh[i][j];
            }
        }
        return dh;
    }

    /** An entry of B for the pairs (i, j) and (l, m). */
    @FunctionalInterface
    private interface PairEntry {
        double value(int i, int j, int l, int m);
    }

    /** B as a k²×k² array from its entries, each computed once for i ≤ j, l ≤ m and copied to its symmetric places. */
    private static double[] pairMap(int k, PairEntry entry) {
        double[] b = new double[k * k * k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                for (int l = 0; l < k; l++) {
                    for (int m = l; m < k; m++) {
                        double v = entry.value(i, j, l, m);
                        for (int[] a : new int[][] {{i, j}, {j, i}}) {
                            for (int[] c : new int[][] {{l, m}, {m, l}}) {
                                b[(a[0] * k + a[1]) * k * k + c[0] * k + c[1]] = v;
                            }
                        }
                    }
                }
            }
        }
        return b;
    }

    /** Σ_ij X_ij ∇H_ij. */
    private static double[] contract(double[][][] dh, double[] x, int dim) {
        int k = dh.length;
        double[] out = new double[dim];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double c = x[i * k + j];
                if (c != 0) {
                    Vectors.axpy(c, dh[i][j], out);
                }
            }
        }
        return out;
    }

    @Override
    protected double[] evaluate(double[] state) {
        return at(state).derivative().clone();
    }

    @Override
    public String name() {
        return isRmsProp() ? "central-rmsprop" : "central-net";
    }
}
