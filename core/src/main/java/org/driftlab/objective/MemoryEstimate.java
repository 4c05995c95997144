package org.driftlab.objective;

import java.util.Arrays;
import org.driftlab.Memory;
import org.driftlab.data.DataSources;
import org.driftlab.nn.Layer;
import org.driftlab.nn.Network;

/**
 * The memory a network on a data set will need, estimated from sizes alone before anything is allocated, and
 * compared with the JVM's maximum heap ({@link #require}). Four parts, in bytes:
 * <ul>
 *   <li>data: N × (input values + target width) doubles, as loaded;</li>
 *   <li>θ: D doubles times the number of θ-sized vectors the caller keeps (θ, θ₀, gradients, update-rule state,
 *       a Lanczos basis);</li>
 *   <li>activations per chunk: what one chunk's forward and backward pass holds ({@link NetObjective} evaluates
 *       the full batch in chunks of examples);</li>
 *   <li>Hessian graph: what a Hessian-vector product keeps, the gradient graph of every chunk at once
 *       ({@link NetObjective#secondOrder}); only when curvature is measured.</li>
 * </ul>
 * The activation parts are the activations of every layer plus the inputs, per example, times a factor measured on
 * this code (fc-tanh:200,200, fc-tanh:1000, fc-relu:500,500,500, cnn-relu:8,8 and 32,32, N from 500 to 10000, heap
 * retained after a forced collection): one chunk's first-order pass retained 1.9–4.3 × those values, a kept
 * Hessian graph 3.9–8.0 ×. The middle of each range is used, so the estimate is "about" and refuses only what
 * cannot fit, not what might be tight.
 *
 * @param what         the problem, for messages: model on data
 * @param data         bytes of the loaded data set
 * @param parameters   bytes of the θ-sized vectors
 * @param activations  bytes one chunk's first-order pass holds
 * @param hessianGraph bytes a kept Hessian graph holds (0 when curvature is not measured)
 */
public record MemoryEstimate(String what, long data, long parameters, long activations, long hessianGraph) {
    /** Retained by one chunk's value-and-gradient pass, per value of (inputs + activations): measured 1.9–4.3. */
    static final double FIRST_ORDER = 3;
    /** Retained by a kept Hessian graph, per value of (inputs + activations) over all examples: measured 3.9–8.0. */
    static final double SECOND_ORDER = 6;

    /**
     * The estimate for a network on a data set of the given shape.
     *
     * @param network      the network (built, θ not allocated)
     * @param data         the data set's shape ({@link DataSources#check})
     * @param chunkSize    examples per chunk of the full-batch pass
     * @param thetaVectors how many θ-sized vectors the caller keeps at once
     * @param hessian      whether Hessian-vector products will be taken (a kept graph)
     * @return the estimate
     */
    public static MemoryEstimate of(Network network, DataSources.Shape data, int chunkSize, int thetaVectors,
                                    boolean hessian) {
        long perExample = Math.addExact(data.inputSize(), activationsPerExample(network));
        long n = data.examples();
        long chunk = Math.min(n, Math.max(1, chunkSize));
        String what = "model " + network.spec() + " (D = " + network.numParams() + ") on " + n + " examples";
        return new MemoryEstimate(what, data.bytes(),
                Memory.product("θ vectors", network.numParams(), thetaVectors, 8),
                (long) (FIRST_ORDER * Memory.product("activations", chunk, perExample, 8)),
                hessian ? (long) (SECOND_ORDER * Memory.product("Hessian graph", n, perExample, 8)) : 0);
    }

    /** The values of every layer's output for one example (exact; a product that overflows is an error). */
    static long activationsPerExample(Network network) {
        int[] shape = network.inputShape();
        long total = 0;
        for (Layer layer : network.layers()) {
            shape = layer.outputShape(shape);
            total = Math.addExact(total, Memory.product("model " + network.spec() + " activations",
                    Arrays.stream(shape).asLongStream().toArray()));
        }
        return total;
    }

    /** The whole estimate in bytes (saturating at Long.MAX_VALUE: it is only compared with the heap). */
    public long total() {
        double sum = (double) data + parameters + activations + hessianGraph;
        return sum >= Long.MAX_VALUE ? Long.MAX_VALUE : data + parameters + activations + hessianGraph;
    }

    /** Refuses the problem when the estimate exceeds the JVM's maximum heap (one line, both numbers, the option). */
    public void require() {
        Memory.require(total(), what + " (data " + Memory.bytes(data) + ", θ and its copies " + Memory.bytes(parameters)
                + ", activations per chunk " + Memory.bytes(activations)
                + (hessianGraph > 0 ? ", Hessian graph " + Memory.bytes(hessianGraph) : "") + ")");
    }
}
