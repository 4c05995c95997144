package org.driftlab.optim;

/**
 * Adam with bias correction: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ' = θ − h·m̂/(√v̂ + ε), where the
 * corrections use the step count t+1 (the step index is part of the run state, so nothing extra is stored).
 */
public final class Adam extends GradientRule {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private double[] m;
    private double[] v;

    /** Adam with (β₁, β₂, ε). */
    public Adam(GradientSource source, double beta1, double beta2, double eps) {
        super("adam", source);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    protected double[] update(double[] theta, double[] g, long t, double h) {
        m = orZeros(m, theta.length);
        v = orZeros(v, theta.length);
        double c1 = 1 - Math.pow(beta1, t + 1);
        double c2 = 1 - Math.pow(beta2, t + 1);
        double[] next = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            next[i] = theta[i] - h * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
        return next;
    }

    @Override
    protected double[][] buffers() {
        return new double[][] {m, v};
    }

    @Override
    protected void setBuffers(double[][] buffers) {
        m = buffers[0];
        v = buffers[1];
    }
}
