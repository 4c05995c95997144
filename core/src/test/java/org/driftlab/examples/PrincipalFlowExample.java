package org.driftlab.examples;

import java.io.PrintStream;
import java.util.List;
import org.driftlab.flow.Comparison;
import org.driftlab.flow.FlowIntegrator;
import org.driftlab.flow.GradientFlow;
import org.driftlab.flow.PrincipalFlow;
import org.driftlab.flow.Trajectory;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;

/**
 * The Principal Flow of E(θ) = ½θᵀdiag(20, 1)θ at h = 0.08, where hλ1 = 1.6 > 1: GD oscillates along u1 (each step
 * multiplies that coordinate by 1 − hλ1 = −0.6), which no real flow does. The PF is complex between steps and equals
 * GD at every t = n·h; the gradient flow (the h → 0 limit) does not.
 */
public final class PrincipalFlowExample {
    public static void main(String[] args) {
        run(System.out);
    }

    /** Prints the three paths and returns max over n of ‖θ_PF(nh) − θ_n^GD‖. */
    public static double run(PrintStream out) {
        Objective e = ToyObjectives.quadratic(new double[] {20, 1}, null, null, "½θᵀdiag(20, 1)θ");
        double h = 0.08;
        int steps = 10;
        double[] theta0 = {1.0, 1.0};

        List<double[]> gd = Comparison.gradientDescent(e, theta0, h, steps);
        FlowIntegrator ode = FlowIntegrator.dormandPrince().withTolerances(1e-12, 1e-14);
        Trajectory pf = ode.integrate(PrincipalFlow.exact(e, h), theta0, h, steps);
        Trajectory ngf = ode.integrate(new GradientFlow(e), theta0, h, steps);

        double maxDistance = 0;
        out.println(" n   GD θ1      PF Re θ1   |PF Im θ|  gradient flow θ1");
        for (int n = 0; n <= steps; n++) {
            double distance = Math.hypot(pf.real(n)[0] - gd.get(n)[0], pf.real(n)[1] - gd.get(n)[1]);
            maxDistance = Math.max(maxDistance, distance);
            out.printf("%2d  %9.6f  %9.6f  %9.2e  %9.6f%n", n, gd.get(n)[0], pf.real(n)[0], pf.imagNorm(n),
                    ngf.real(n)[0]);
        }
        out.printf("max ‖PF − GD‖ at t = nh: %.2e%n", maxDistance);
        return maxDistance;
    }
}
