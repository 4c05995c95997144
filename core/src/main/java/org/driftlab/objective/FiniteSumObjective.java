package org.driftlab.objective;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * E(θ) = (1/n) Σ_i f_i(θ) for a short list of analytic per-example losses, so that mini-batches (and SGD's
 * noise) are defined: {@link #onBatch} averages the chosen examples (repeats count twice).
 */
public final class FiniteSumObjective implements Objective {
    private final String name;
    private final int dim;
    private final List<UnaryOperator<Var>> examples;

    public FiniteSumObjective(String name, int dim, List<UnaryOperator<Var>> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(name + ": no examples");
        }
        this.name = name;
        this.dim = dim;
        this.examples = List.copyOf(examples);
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public Var loss(Var theta) {
        Var total = null;
        for (UnaryOperator<Var> f : examples) {
            Var l = f.apply(theta);
            total = total == null ? l : F.add(total, l);
        }
        return F.scale(total, 1.0 / examples.size());
    }

    @Override
    public int numExamples() {
        return examples.size();
    }

    /** f_i(θ) for each example. */
    public double[] perExampleLosses(double[] theta) {
        checkDim(theta);
        double[] out = new double[examples.size()];
        for (int i = 0; i < out.length; i++) {
            int k = i;
            out[i] = new FunctionObjective(name, dim, examples.get(k)).value(theta);
        }
        return out;
    }

    @Override
    public Objective onBatch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException(name + ".onBatch: empty batch");
        }
        List<UnaryOperator<Var>> picked = new ArrayList<>();
        for (int i : indices) {
            if (i < 0 || i >= examples.size()) {
                throw new IndexOutOfBoundsException(name + ": example " + i + " of " + examples.size());
            }
            picked.add(examples.get(i));
        }
        return new FiniteSumObjective(name + "[batch " + indices.length + "]", dim, picked);
    }

    @Override
    public String toString() {
        return name;
    }
}
