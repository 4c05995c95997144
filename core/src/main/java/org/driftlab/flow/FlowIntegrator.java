package org.driftlab.flow;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.nonstiff.ClassicalRungeKuttaIntegrator;
import org.hipparchus.ode.nonstiff.EulerIntegrator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/**
 * Integrates a {@link VectorField} with an adaptive Dormand–Prince method from Hipparchus (error control on every
 * component: |err_i| ≤ atol + rtol·|y_i|), or with a fixed-step Euler or classical Runge–Kutta method, and samples
 * it at t = n·h through the method's dense output (continuous extension), so the flow can be compared with GD
 * iterate n without forcing the step size. The samples are either kept ({@link #integrate}, a {@link Trajectory})
 * or handed to a {@link Sink} one by one ({@link #stream}), for states too large to keep every one of (a network's
 * θ over thousands of steps). Immutable configuration: each {@code with*} returns a new integrator.
 */
public final class FlowIntegrator {
    /** The embedded Runge–Kutta pair. */
    public enum Method {
        /** Dormand–Prince 5(4), the classic {@code ode45}/{@code RK45}. */
        DORMAND_PRINCE_54,
        /** Dormand–Prince 8(5,3): fewer steps at tight tolerances. */
        DORMAND_PRINCE_853,
        /** Explicit Euler with a fixed step ({@link #withFixedStep}): the discretisation of the public central-flow code. */
        EULER,
        /** The classical fourth-order Runge–Kutta method with a fixed step ({@link #withFixedStep}). */
        RUNGE_KUTTA_4
    }

    /** Receives the samples of {@link #stream}: θ(n·h) for n = 0, 1, … in order. */
    @FunctionalInterface
    public interface Sink {
        /** The full state at t = n·h (the array is the sink's to keep). */
        void accept(int n, double[] state);
    }

    /**
     * How a streamed integration ended.
     *
     * @param steps the last n handed to the sink
     * @param evaluations right-hand-side evaluations
     * @param stopReason why it stopped before the requested n, or null
     */
    public record Outcome(int steps, long evaluations, String stopReason) {}

    private final Method method;
    private final double relTol;
    private final double absTol;
    private final double maxStep;
    private final int maxEvaluations;
    private final double fixedStep; // NaN: none set

    private FlowIntegrator(Method method, double relTol, double absTol, double maxStep, int maxEvaluations,
                           double fixedStep) {
        this.method = method;
        this.relTol = relTol;
        this.absTol = absTol;
        this.maxStep = maxStep;
        this.maxEvaluations = maxEvaluations;
        this.fixedStep = fixedStep;
    }

    /** Defaults: Dormand–Prince 5(4), rtol = atol = 1e-10, no step cap, at most 10⁶ evaluations. */
    public static FlowIntegrator dormandPrince() {
        return new FlowIntegrator(Method.DORMAND_PRINCE_54, 1e-10, 1e-10, Double.POSITIVE_INFINITY, 1_000_000,
                Double.NaN);
    }

    /** Explicit Euler with step dt (time units, e.g. h/4). */
    public static FlowIntegrator euler(double dt) {
        return dormandPrince().withMethod(Method.EULER).withFixedStep(dt);
    }

    /** Classical Runge–Kutta with step dt. */
    public static FlowIntegrator rungeKutta4(double dt) {
        return dormandPrince().withMethod(Method.RUNGE_KUTTA_4).withFixedStep(dt);
    }

    /** The same integrator with another method. */
    public FlowIntegrator withMethod(Method m) {
        return new FlowIntegrator(java.util.Objects.requireNonNull(m), relTol, absTol, maxStep, maxEvaluations,
                fixedStep);
    }

    /** The same integrator with relative and absolute tolerances. */
    public FlowIntegrator withTolerances(double rtol, double atol) {
        return new FlowIntegrator(method, Checks.positive("rtol", rtol), Checks.positive("atol", atol), maxStep,
                maxEvaluations, fixedStep);
    }

    /** The same integrator with a largest step (time units), e.g. a fraction of h on oscillating flows. */
    public FlowIntegrator withMaxStep(double step) {
        return new FlowIntegrator(method, relTol, absTol, Checks.positive("max step", step), maxEvaluations, fixedStep);
    }

    /** The same integrator with the step of a fixed-step method (time units). */
    public FlowIntegrator withFixedStep(double dt) {
        return new FlowIntegrator(method, relTol, absTol, maxStep, maxEvaluations, Checks.positive("fixed step", dt));
    }

    /** The same integrator with a budget of right-hand-side evaluations; past it the trajectory ends early. */
    public FlowIntegrator withMaxEvaluations(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("max evaluations must be >= 1, got " + n);
        }
        return new FlowIntegrator(method, relTol, absTol, maxStep, n, fixedStep);
    }

    /** Relative tolerance. */
    public double relTol() {
        return relTol;
    }

    /** Absolute tolerance. */
    public double absTol() {
        return absTol;
    }

    /** The method. */
    public Method method() {
        return method;
    }

    /**
     * Integrates θ̇ = f(θ) from θ(0) = theta0 (real; a complex field starts with Im θ = 0) and samples it at
     * t = n·h for n = 0..steps.
     */
    public Trajectory integrate(VectorField field, double[] theta0, double h, int steps) {
        return integrateState(field, initialState(field, theta0), h, steps);
    }

    /** As {@link #integrate} from a full state (length {@link VectorField#stateDim()}; [Re, Im] if complex). */
    public Trajectory integrateState(VectorField field, double[] state0, double h, int steps) {
        List<double[]> samples = new ArrayList<>();
        Outcome o = streamState(field, state0, h, steps, (n, y) -> samples.add(y));
        return new Trajectory(field.name(), h, field.dim(), field.isComplex(), samples, steps, o.evaluations(),
                o.stopReason());
    }

    /**
     * Integrates from θ(0) = theta0 (real; a complex field starts with Im θ = 0) and hands θ(n·h), n = 0..steps,
     * to the sink as they are reached, keeping none of them.
     */
    public Outcome stream(VectorField field, double[] theta0, double h, int steps, Sink sink) {
        return streamState(field, initialState(field, theta0), h, steps, sink);
    }

    /** θ0 padded to the field's state (Im θ = 0 for a complex field). */
    private static double[] initialState(VectorField field, double[] theta0) {
        if (theta0.length != field.dim()) {
            throw new IllegalArgumentException(field.name() + ": θ0 of length " + theta0.length + " for D = "
                    + field.dim());
        }
        double[] y0 = new double[field.stateDim()];
        System.arraycopy(theta0, 0, y0, 0, theta0.length);
        return y0;
    }

    /** As {@link #stream} from a full state. */
    public Outcome streamState(VectorField field, double[] state0, double h, int steps, Sink sink) {
        field.checkState(state0);
        Checks.positive("sampling interval h", h);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if ((method == Method.EULER || method == Method.RUNGE_KUTTA_4) && Double.isNaN(fixedStep)) {
            throw new IllegalArgumentException(method + " needs a fixed step (withFixedStep)");
        }
        sink.accept(0, state0.clone());
        if (steps == 0) {
            return new Outcome(0, 0, null);
        }
        long[] evaluations = {0};
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return field.stateDim();
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                evaluations[0]++;
                for (double v : y) {
                    if (!Double.isFinite(v)) {
                        throw new Diverged("the state left the finite numbers at t = " + t);
                    }
                }
                return field.derivative(y);
            }
        };
        double tEnd = steps * h;
        double cap = Math.min(maxStep, tEnd);
        ODEIntegrator integrator = switch (method) {
            case DORMAND_PRINCE_54 -> new DormandPrince54Integrator(0.0, cap, absTol, relTol);
            case DORMAND_PRINCE_853 -> new DormandPrince853Integrator(0.0, cap, absTol, relTol);
            case EULER -> new EulerIntegrator(fixedStep);
            case RUNGE_KUTTA_4 -> new ClassicalRungeKuttaIntegrator(fixedStep);
        };
        integrator.setMaxEvaluations(maxEvaluations);
        int[] emitted = {0}; // the last n handed to the sink
        String[] finiteFailure = {null};
        integrator.addStepHandler(new ODEStepHandler() {
            @Override
            public void handleStep(ODEStateInterpolator interpolator) {
                double t1 = interpolator.getCurrentState().getTime();
                // Emit every grid point n·h in (previous, current]; one at the step end is taken exactly.
                double tol = 1e-12 * Math.max(1, Math.abs(t1));
                while (emitted[0] < steps && finiteFailure[0] == null) {
                    double tn = (emitted[0] + 1) * h;
                    if (tn > t1 + tol) {
                        break;
                    }
                    double[] y = Math.abs(tn - t1) <= tol ? interpolator.getCurrentState().getPrimaryState()
                            : interpolator.getInterpolatedState(tn).getPrimaryState();
                    if (!finite(y)) {
                        finiteFailure[0] = "the state left the finite numbers";
                        break;
                    }
                    sink.accept(++emitted[0], y);
                }
            }
        });
        String reason = null;
        try {
            ODEStateAndDerivative end = integrator.integrate(ode, new ODEState(0.0, state0.clone()), tEnd);
            if (emitted[0] < steps && finiteFailure[0] == null) {
                double[] y = end.getPrimaryState(); // guards against rounding of the last grid point
                if (finite(y)) {
                    sink.accept(++emitted[0], y);
                } else {
                    finiteFailure[0] = "the state left the finite numbers";
                }
            }
        } catch (Diverged e) {
            reason = e.getMessage();
        } catch (MathIllegalStateException e) {
            reason = "integrator stopped: " + e.getMessage();
        }
        if (finiteFailure[0] != null && reason == null) {
            reason = finiteFailure[0];
        }
        return new Outcome(emitted[0], evaluations[0], reason);
    }

    private static boolean finite(double[] y) {
        for (double v : y) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Thrown inside the right-hand side to stop a diverged integration. */
    private static final class Diverged extends RuntimeException {
        Diverged(String message) {
            super(message, null, false, false);
        }
    }
}
