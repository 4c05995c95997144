package org.driftlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.GradMode;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.Objective;
import org.driftlab.tensor.Tensor;

/**
 * STAND-IN, to be replaced by nn/NetObjective: a fully connected network f(θ, x) with one activation on
 * a fixed data set, written directly with autodiff ops so that experiments run before the nn package exists.
 *
 * <p>Layout of θ (as in DESIGN.md): for each layer in order, weight [out, in] row-major, then bias [out].
 * Losses follow Cohen et al.: mse = (1/n)Σ_i ½‖f(x_i) − onehot(y_i)‖² (summed over outputs), ce = mean
 * softmax cross-entropy.
 */
public final class MlpObjective implements Objective {
    private final int[] widths;
    private final String activation;
    private final String loss;
    private final double[] x;
    private final int[] labels;
    private final int n;

    /**
     * @param widths layer widths including input and output, e.g. {d, 200, 200, k}
     * @param activation tanh, relu, elu, softplus, gelu or linear
     * @param loss mse or ce
     * @param x inputs, row-major [n, widths[0]]
     * @param labels class labels in [0, widths[last])
     */
    public MlpObjective(int[] widths, String activation, String loss, double[] x, int[] labels) {
        this.widths = widths.clone();
        this.activation = activation;
        this.loss = loss;
        this.n = labels.length;
        if (x.length != (long) n * widths[0]) {
            throw new IllegalArgumentException("inputs have " + x.length + " values, expected " + n + "x" + widths[0]);
        }
        this.x = x;
        this.labels = labels;
    }

    /** D for the given widths. */
    public static int parameterCount(int[] widths) {
        int d = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            d += widths[l + 1] * widths[l] + widths[l + 1];
        }
        return d;
    }

    @Override
    public int dim() {
        return parameterCount(widths);
    }

    @Override
    public int numExamples() {
        return n;
    }

    /** Logits [n, k] as a differentiable expression of θ. */
    private Var forward(Var theta) {
        Var h = Var.constant(Tensor.of(x, n, widths[0]));
        int offset = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            Var w = F.reshape(F.slice(theta, 0, offset, offset + out * in), out, in);
            offset += out * in;
            Var b = F.slice(theta, 0, offset, offset + out);
            offset += out;
            h = F.add(F.matmul(h, false, w, true), b);
            if (l + 2 < widths.length) {
                h = activate(h);
            }
        }
        return h;
    }

    private Var activate(Var h) {
        return switch (activation) {
            case "tanh" -> F.tanh(h);
            case "relu" -> F.relu(h);
            case "elu" -> F.elu(h);
            case "softplus" -> F.softplus(h);
            case "gelu" -> F.gelu(h);
            case "linear" -> h;
            default -> throw new IllegalArgumentException("unknown activation " + activation);
        };
    }

    @Override
    public Var loss(Var theta) {
        Var logits = forward(theta);
        int k = widths[widths.length - 1];
        if (loss.equals("ce")) {
            return F.softmaxCrossEntropy(logits, labels);
        }
        double[] onehot = new double[n * k];
        for (int i = 0; i < n; i++) {
            onehot[i * k + labels[i]] = 1;
        }
        Var r = F.sub(logits, Var.constant(Tensor.of(onehot, n, k)));
        return F.scale(F.sum(F.square(r)), 0.5 / n);
    }

    @Override
    public Objective onBatch(int[] indices) {
        int d = widths[0];
        double[] bx = new double[indices.length * d];
        int[] by = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x, indices[i] * d, bx, i * d, d);
            by[i] = labels[indices[i]];
        }
        return new MlpObjective(widths, activation, loss, bx, by);
    }

    @Override
    public Map<String, Double> metrics(double[] theta) {
        checkDim(theta);
        return GradMode.noGrad(() -> {
            Var t = Var.constant(Tensor.vector(theta.clone()));
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", loss(t).item());
            double[] logits = forward(t).value().data();
            int k = widths[widths.length - 1];
            int correct = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (logits[i * k + c] > logits[i * k + best]) {
                        best = c;
                    }
                }
                correct += best == labels[i] ? 1 : 0;
            }
            m.put("accuracy", (double) correct / n);
            return m;
        });
    }
}
