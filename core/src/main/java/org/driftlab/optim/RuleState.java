package org.driftlab.optim;

import java.util.Arrays;

/**
 * The serialisable state of an {@link UpdateRule}: named only by position, a list of vectors (buffers such as
 * momentum) and a list of counters (sampler epoch and position, step counts). Arrays are copied in and out.
 */
public record RuleState(double[][] vectors, long[] counters) {
    /** Copies the arrays so the state is immutable. */
    public RuleState {
        double[][] v = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            v[i] = vectors[i].clone();
        }
        vectors = v;
        counters = counters.clone();
    }

    /** Copies of the vectors (the record's own arrays never leave it). */
    @Override
    public double[][] vectors() {
        double[][] v = new double[vectors.length][];
        for (int i = 0; i < v.length; i++) {
            v[i] = vectors[i].clone();
        }
        return v;
    }

    /** A copy of the counters. */
    @Override
    public long[] counters() {
        return counters.clone();
    }

    /** A copy of vector i. */
    public double[] vector(int i) {
        return vectors[i].clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleState r && Arrays.deepEquals(vectors, r.vectors) && Arrays.equals(counters, r.counters);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(vectors) + Arrays.hashCode(counters);
    }

    @Override
    public String toString() {
        return "RuleState[" + vectors.length + " vectors, counters=" + Arrays.toString(counters) + "]";
    }
}
