package org.driftlab.nn;

import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;

/**
 * Losses, each the mean over the N examples of a batch.
 *
 * <ul>
 *   <li>{@link #MSE}: E = (1/N) Σ_i ½ Σ_k (f_k(x_i) − y_ik)², summed over the K outputs and halved, not averaged
 *       over them (Cohen et al. 2021; the PyTorch peer's convention). Targets are one-hot labels unless the data
 *       set provides real-valued targets.</li>
 *   <li>{@link #CE}: E = (1/N) Σ_i [logsumexp_k f_k(x_i) − f_{y_i}(x_i)].</li>
 * </ul>
 */
public enum Loss {
    MSE, CE;

    /** The loss of outputs f [N, K] against targets [N, K] (MSE) or labels (CE). */
    public Var apply(Var outputs, Tensor targets, int[] labels) {
        if (this == MSE) {
            if (targets == null) {
                throw new IllegalArgumentException("mse: no targets");
            }
            if (!outputs.value().sameShape(targets)) {
                throw new IllegalArgumentException("mse: outputs " + outputs.value().shapeString() + " and targets "
                        + targets.shapeString() + " differ");
            }
            int n = outputs.value().dim(0);
            return F.scale(F.sum(F.square(F.sub(outputs, Var.constant(targets)))), 0.5 / n);
        }
        if (labels == null) {
            throw new IllegalArgumentException("ce: no labels");
        }
        return F.softmaxCrossEntropy(outputs, labels);
    }

    public static Loss parse(String s) {
        switch (s.toLowerCase()) {
            case "mse": return MSE;
            case "ce": case "cross-entropy": case "xent": return CE;
            default: throw new DriftlabException("unknown loss '" + s + "'; allowed: mse, ce");
        }
    }
}
