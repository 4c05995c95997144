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
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/**
 * Integrates a {@link VectorField} with an adaptive Dormand–Prince method from Hipparchus (error control on every
 * component: |err_i| ≤ atol + rtol·|y_i|) and samples it at t = n·h through the method's dense output (continuous
 * extension), so the flow can be compared with GD iterate n without forcing the step size. Immutable
 * configuration: each {@code with*} returns a new integrator.
 */
public final class FlowIntegrator {
    /** The embedded Runge–Kutta pair. */
    public enum Method {
        /** Dormand–Prince 5(4), the classic {@code ode45}/{@code RK45}. */
        DORMAND_PRINCE_54,
        /** Dormand–Prince 8(5,3): fewer steps at tight tolerances. */
        DORMAND_PRINCE_853
    }

    private final Method method;
    private final double relTol;
    private final double absTol;
    private final double maxStep;
    private final int maxEvaluations;

    private FlowIntegrator(Method method, double relTol, double absTol, double maxStep, int maxEvaluations) {
        this.method = method;
        this.relTol = relTol;
        this.absTol = absTol;
        this.maxStep = maxStep;
        this.maxEvaluations = maxEvaluations;
    }

    /** Defaults: Dormand–Prince 5(4), rtol = atol = 1e-10, no step cap, at most 10⁶ evaluations. */
    public static FlowIntegrator dormandPrince() {
        return new FlowIntegrator(Method.DORMAND_PRINCE_54, 1e-10, 1e-10, Double.POSITIVE_INFINITY, 1_000_000);
    }

    /** The same integrator with another method. */
    public FlowIntegrator withMethod(Method m) {
        return new FlowIntegrator(java.util.Objects.requireNonNull(m), relTol, absTol, maxStep, maxEvaluations);
    }

    /** The same integrator with relative and absolute tolerances. */
    public FlowIntegrator withTolerances(double rtol, double atol) {
        return new FlowIntegrator(method, Checks.positive("rtol", rtol), Checks.positive("atol", atol), maxStep,
                maxEvaluations);
    }

    /** The same integrator with a largest step (time units), e.g. a fraction of h on oscillating flows. */
    public FlowIntegrator withMaxStep(double step) {
        return new FlowIntegrator(method, relTol, absTol, Checks.positive("max step", step), maxEvaluations);
    }

    /** The same integrator with a budget of right-hand-side evaluations; past it the trajectory ends early. */
    public FlowIntegrator withMaxEvaluations(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("max evaluations must be >= 1, got " + n);
        }
        return new FlowIntegrator(method, relTol, absTol, maxStep, n);
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
        if (theta0.length != field.dim()) {
            throw new IllegalArgumentException(field.name() + ": θ0 of length " + theta0.length + " for D = "
                    + field.dim());
        }
        double[] y0 = new double[field.stateDim()];
        System.arraycopy(theta0, 0, y0, 0, theta0.length);
        return integrateState(field, y0, h, steps);
    }

    /** As {@link #integrate} from a full state (length {@link VectorField#stateDim()}; [Re, Im] if complex). */
    public Trajectory integrateState(VectorField field, double[] state0, double h, int steps) {
        field.checkState(state0);
        Checks.positive("sampling interval h", h);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        List<double[]> samples = new ArrayList<>();
        samples.add(state0.clone());
        if (steps == 0) {
            return new Trajectory(field.name(), h, field.dim(), field.isComplex(), samples, 0, 0, null);
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
        ODEIntegrator integrator = method == Method.DORMAND_PRINCE_54
                ? new DormandPrince54Integrator(0.0, cap, absTol, relTol)
                : new DormandPrince853Integrator(0.0, cap, absTol, relTol);
        integrator.setMaxEvaluations(maxEvaluations);
        integrator.addStepHandler(new ODEStepHandler() {
            @Override
            public void handleStep(ODEStateInterpolator interpolator) {
                double t1 = interpolator.getCurrentState().getTime();
                // Emit every grid point n·h in (previous, current]; one at the step end is taken exactly.
                double tol = 1e-12 * Math.max(1, Math.abs(t1));
                while (samples.size() <= steps) {
                    double tn = samples.size() * h;
                    if (tn > t1 + tol) {
                        break;
                    }
                    samples.add(Math.abs(tn - t1) <= tol ? interpolator.getCurrentState().getPrimaryState()
                            : interpolator.getInterpolatedState(tn).getPrimaryState());
                }
            }
        });
        String reason = null;
        try {
            ODEStateAndDerivative end = integrator.integrate(ode, new ODEState(0.0, state0.clone()), tEnd);
            if (samples.size() <= steps) {
                samples.add(end.getPrimaryState()); // guards against rounding of the last grid point
            }
        } catch (Diverged e) {
            reason = e.getMessage();
        } catch (MathIllegalStateException e) {
            reason = "integrator stopped: " + e.getMessage();
        }
        for (int i = samples.size() - 1; i >= 1; i--) {
            if (!finite(samples.get(i))) {
                samples.remove(i);
                reason = reason == null ? "the state left the finite numbers" : reason;
            }
        }
        return new Trajectory(field.name(), h, field.dim(), field.isComplex(), samples, steps, evaluations[0], reason);
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
