package org.driftlab.linalg;

/**
 * Ordinary least-squares fits of a line y ≈ a + b·x. The one place driftlab fits an order of convergence: the
 * slope of log(error) against log h.
 */
public final class LeastSquares {
    private LeastSquares() {}

    /** The slope b of the least-squares line through the points (x_i, y_i). */
    public static double slope(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("slope: need two or more (x, y) pairs of equal length, got "
                    + x.length + " and " + y.length);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / x.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }
}
