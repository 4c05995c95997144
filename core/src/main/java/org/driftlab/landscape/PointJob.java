package org.driftlab.landscape;

import org.driftlab.objective.Objective;
import org.driftlab.sweep.WorkJob;
import org.driftlab.tensor.Parallel;

/**
 * The points of a landscape as work items of an engine: index → {loss, accuracy} by {@link Landscape#evaluate}, the
 * one point evaluation of every engine. The job carries the spec, θ, the directions and the axes, so a point needs
 * nothing the driver computed (the directions may have taken a Lanczos run); a worker loads the objective from the
 * spec once, in this JVM from the driver's loaded problem, on a Spark executor from the spec again (its data sources
 * and run directory at the same paths there). Every point is evaluated with one kernel thread, wherever it runs, so
 * its bits depend on neither the engine nor the number of workers.
 */
final class PointJob implements WorkJob {
    private static final long serialVersionUID = 1L;

    private final LandscapeSpec spec;
    private final double[] theta;
    private final double[] d1;
    private final double[] d2;
    private final double[] a;
    private final double[] b;
    /** The driver's problem, reused by workers in its JVM; null where the job was deserialised (an executor). */
    private final transient LandscapeProblem problem;

    PointJob(LandscapeSpec spec, LandscapeProblem problem, Directions.Pair dirs, double[] a, double[] b) {
        this.spec = spec;
        this.problem = problem;
        this.theta = problem.theta();
        this.d1 = dirs.d1();
        this.d2 = dirs.d2();
        this.a = a;
        this.b = b;
    }

    @Override
    public Worker open() {
        LandscapeProblem p = problem != null ? problem : LandscapeProblem.load(spec);
        Objective objective = Parallel.withThreads(1, () -> p.objectives().get()); // objectives may cache: one per worker
        Directions.Pair dirs = new Directions.Pair(d1, d2, new double[0]);
        return index -> Parallel.withThreads(1, () -> Landscape.evaluate(objective, theta, dirs, a, b, index));
    }
}
