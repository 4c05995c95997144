package org.driftlab.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * A flow sampled at t_n = n·h, n = 0..N: the state θ(t_n) (for a complex field its real part, with ‖Im θ(t_n)‖
 * alongside). A trajectory may end early (the state left the finite numbers, or the integrator gave up); then
 * {@link #complete()} is false and {@link #stopReason()} says why. Immutable.
 */
public final class Trajectory {
    private final String name;
    private final double h;
    private final List<double[]> states; // full states: D reals, or 2D for complex
    private final int dim;
    private final boolean complex;
    private final int requestedSteps;
    private final long evaluations;
    private final String stopReason;

    Trajectory(String name, double h, int dim, boolean complex, List<double[]> states, int requestedSteps,
               long evaluations, String stopReason) {
        this.name = name;
        this.h = h;
        this.dim = dim;
        this.complex = complex;
        this.states = List.copyOf(states);
        this.requestedSteps = requestedSteps;
        this.evaluations = evaluations;
        this.stopReason = stopReason;
    }

    /** Builds a real trajectory from given points θ_0..θ_N at t = n·h (e.g. to wrap GD iterates). */
    public static Trajectory ofPoints(String name, double h, List<double[]> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a trajectory needs at least θ_0");
        }
        List<double[]> copies = new ArrayList<>();
        for (double[] p : points) {
            copies.add(p.clone());
        }
        return new Trajectory(name, h, points.get(0).length, false, copies, points.size() - 1, 0, null);
    }

    /** The field's name. */
    public String name() {
        return name;
    }

    /** The sampling interval h. */
    public double h() {
        return h;
    }

    /** D. */
    public int dim() {
        return dim;
    }

    /** True for a complex flow (the Principal Flow). */
    public boolean isComplex() {
        return complex;
    }

    /** Number of samples available minus one: the last n with θ(n·h) known. */
    public int steps() {
        return states.size() - 1;
    }

    /** True when every requested sample t = 0..N·h was reached. */
    public boolean complete() {
        return stopReason == null;
    }

    /** Why the integration stopped early, or null. */
    public String stopReason() {
        return stopReason;
    }

    /** Right-hand-side evaluations the integrator used. */
    public long evaluations() {
        return evaluations;
    }

    /** t_n = n·h. */
    public double time(int n) {
        return n * h;
    }

    /** Re θ(n·h) (θ itself for a real flow), a copy. */
    public double[] real(int n) {
        double[] out = new double[dim];
        System.arraycopy(states.get(n), 0, out, 0, dim);
        return out;
    }

    /** Im θ(n·h), zeros for a real flow. */
    public double[] imag(int n) {
        double[] out = new double[dim];
        if (complex) {
            System.arraycopy(states.get(n), dim, out, 0, dim);
        }
        return out;
    }

    /** ‖Im θ(n·h)‖. */
    public double imagNorm(int n) {
        if (!complex) {
            return 0;
        }
        double[] s = states.get(n);
        double sum = 0;
        for (int i = dim; i < 2 * dim; i++) {
            sum += s[i] * s[i];
        }
        return Math.sqrt(sum);
    }

    /** The full state at n (length D, or 2D = [Re, Im] for a complex flow), a copy. */
    public double[] state(int n) {
        return states.get(n).clone();
    }
}
