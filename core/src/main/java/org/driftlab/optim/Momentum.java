package org.driftlab.optim;

/**
 * Momentum in the PyTorch convention used by Cohen et al.: v ← β·v + g, then θ' = θ − h·v (heavy ball) or
 * θ' = θ − h·(g + β·v) (Nesterov). Its stability threshold on a quadratic is λ &lt; (2 + 2β)/h.
 */
public final class Momentum extends GradientRule {
    private final double beta;
    private final boolean nesterov;
    private double[] velocity;

    /** Heavy ball (nesterov=false) or Nesterov momentum with coefficient β ∈ [0, 1). */
    public Momentum(String name, GradientSource source, double beta, boolean nesterov) {
        super(name, source);
        this.beta = beta;
        this.nesterov = nesterov;
    }

    @Override
    protected double[] update(double[] theta, double[] g, long t, double h) {
        velocity = orZeros(velocity, theta.length);
        double[] next = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            velocity[i] = beta * velocity[i] + g[i];
            double d = nesterov ? g[i] + beta * velocity[i] : velocity[i];
            next[i] = theta[i] - h * d;
        }
        return next;
    }

    @Override
    protected double[][] buffers() {
        return new double[][] {velocity};
    }

    @Override
    protected void setBuffers(double[][] buffers) {
        velocity = buffers[0];
    }
}
