package org.driftlab.optim;

/** RMSProp: s ← ρ·s + (1−ρ)·g², θ' = θ − h·g/(√s + ε). */
public final class RmsProp extends GradientRule {
    private final double rho;
    private final double eps;
    private double[] meanSquare;

    /** RMSProp with decay ρ and ε. */
    public RmsProp(GradientSource source, double rho, double eps) {
        super("rmsprop", source);
        this.rho = rho;
        this.eps = eps;
    }

    @Override
    protected double[] update(double[] theta, double[] g, long t, double h) {
        meanSquare = orZeros(meanSquare, theta.length);
        double[] next = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            meanSquare[i] = rho * meanSquare[i] + (1 - rho) * g[i] * g[i];
            next[i] = theta[i] - h * g[i] / (Math.sqrt(meanSquare[i]) + eps);
        }
        return next;
    }

    @Override
    protected double[][] buffers() {
        return new double[][] {meanSquare};
    }

    @Override
    protected void setBuffers(double[][] buffers) {
        meanSquare = buffers[0];
    }
}
