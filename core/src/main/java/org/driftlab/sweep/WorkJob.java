package org.driftlab.sweep;

import java.io.Serializable;

/**
 * Plain work items for an engine: a pure function from an item's index to its values (a landscape point: index →
 * {loss, accuracy}), with no directory, lock or checkpoint of its own, which is what makes it cheaper than a
 * {@link MemberJob}. Engines decide only who evaluates which indices ({@link SweepEngine#evaluate}); the values never
 * depend on it. Serialisable, because a Spark task ships it to an executor: everything an item needs travels inside
 * the job (or is loaded by {@link #open} wherever it runs).
 */
@FunctionalInterface
public interface WorkJob extends Serializable {
    /**
     * A worker for one thread or task, which evaluates many items one after another and may keep what is costly to
     * build for them (a loaded data set, an objective that caches).
     */
    Worker open();

    /** Evaluates items one at a time; used by one thread only. */
    @FunctionalInterface
    interface Worker {
        /** The values of item index, a pure function of the job and the index. */
        double[] apply(int index);

        /** The values of each of indices, in their order. */
        default double[][] applyAll(int[] indices) {
            double[][] out = new double[indices.length][];
            for (int i = 0; i < indices.length; i++) {
                out[i] = apply(indices[i]);
            }
            return out;
        }
    }

    /** Receives each finished item; an engine never calls it twice at once. */
    @FunctionalInterface
    interface Sink {
        /** Item index has these values. */
        void accept(int index, double[] values);
    }
}
