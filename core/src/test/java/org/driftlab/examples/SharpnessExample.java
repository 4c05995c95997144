package org.driftlab.examples;

import java.io.PrintStream;
import org.driftlab.curvature.Lanczos;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;

/** The sharpness λ1 of Cohen et al.'s network at its initialisation, on 1000 Fashion-MNIST images. */
public final class SharpnessExample {
    public static void main(String[] args) {
        run(System.out);
    }

    /** Prints and returns the top two Hessian eigenvalues λ1 ≥ λ2 at θ0. */
    public static Lanczos.Result run(PrintStream out) {
        Dataset data = DataSources.parse("fashion-mnist:train:1000:standardize");
        Network net = Networks.parse("fc-tanh:200,200", data.inputShape(), data.outputSize());
        NetObjective e = NetObjective.of(net, Loss.parse("mse"), data); // E(θ), ∇E(θ), ∇²E(θ)·v on all 1000
        double[] theta = net.initialize(Init.PYTORCH, 0);                // PyTorch's default init, seed 0

        // Lanczos with full reorthogonalisation on v ↦ ∇²E(θ)·v: the largest *algebraic* eigenvalues
        Lanczos.Result top = Lanczos.run(e.hessian(theta),
                Lanczos.Config.builder().k(2).tolerance(1e-8).build());

        out.println(data.describe());
        out.printf("D = %d, E(θ0) = %.6f%n", e.dim(), e.value(theta));
        out.printf("λ1 = %.4f, λ2 = %.4f (%d Hessian-vector products)%n",
                top.eigenvalue(0), top.eigenvalue(1), top.matvecs());
        out.printf("GD is stable along u1 while h < 2/λ1 = %.4f%n", 2 / top.eigenvalue(0));
        return top;
    }
}
