package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.driftlab.optim.Gd;
import org.driftlab.optim.GradientSource;
import org.junit.jupiter.api.Test;

/** The trajectory helper against GD's closed form on a quadratic: θ_n = (1 − hλ)^n θ_0 per eigen-direction. */
class TrajectoryTest {
    @Test
    void gdOnAQuadraticFollowsItsClosedFormAndRecordsEveryStepsLoss() {
        Objective e = ToyObjectives.parse("quadratic:eigs=1,10"); // E = ½(θ₁² + 10θ₂²)
        double h = 0.1;
        List<long[]> seen = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        Trajectory.Result r = Trajectory.of(new Gd("gd", GradientSource.fullBatch()), e, h)
                .observe(t -> t % 3 == 0 || t == 10, (t, theta) -> {
                    seen.add(new long[] {t});
                    first.add(theta[0]);
                })
                .run(new double[] {1, 1}, 10);
        assertEquals(10, r.steps());
        assertFalse(r.diverged());
        assertEquals(List.of(0L, 3L, 6L, 9L, 10L), seen.stream().map(a -> a[0]).toList());
        for (int i = 0; i < seen.size(); i++) {
            // (1 − h)^t: a product of t roundings, so a few ulps of 1
            assertEquals(Math.pow(0.9, seen.get(i)[0]), first.get(i), 1e-15);
        }
        assertEquals(0.0, r.theta()[1], 0.0, "hλ₂ = 1 lands on the minimum in one step");
        // the loss each step computed at θ_t: E_0 = ½(1 + 10), then ½·0.9^(2t) once θ₂ = 0
        assertEquals(5.5, r.losses()[0], 1e-15);
        for (int t = 1; t < 10; t++) {
            assertEquals(0.5 * Math.pow(0.81, t), r.losses()[t], 1e-15);
        }
    }

    @Test
    void stopsAtTheFirstStepWhoseLossPassesTheBound() {
        Objective e = ToyObjectives.parse("quadratic:eigs=1,10");
        // hλ₂ = 3: |1 − hλ₂| = 2, θ₂ doubles each step and E grows ×4; above 100 from E_t = ½·10·4^t > 100, t = 3
        Trajectory.Result r = Trajectory.of(new Gd("gd", GradientSource.fullBatch()), e, 0.3).divergeAbove(100)
                .run(new double[] {0, 1}, 50);
        assertTrue(r.diverged());
        assertEquals(3, r.steps());
        assertEquals(4, r.losses().length);
        assertEquals(-8.0, r.theta()[1], 0.0, "θ_3 = (−2)³, the point whose step diverged");
    }
}
