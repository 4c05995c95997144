package org.driftlab.linalg;

/** Small BLAS-1 helpers on flat double vectors (dot, norm, axpy), written once and used everywhere. */
public final class Vectors {
    private Vectors() {}

    public static double dot(double[] a, double[] b) {
        check(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(double[] a) {
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale == 0 ? 0 : (Double.isNaN(scale) ? Double.NaN : Double.POSITIVE_INFINITY);
        }
        double s = 0;
        for (double v : a) {
            double t = v / scale;
            s += t * t;
        }
        return scale * Math.sqrt(s);
    }

    /** y += alpha·x, in place. */
    public static void axpy(double alpha, double[] x, double[] y) {
        check(x, y);
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** Returns a·x + b·y as a new array. */
    public static double[] combine(double a, double[] x, double b, double[] y) {
        check(x, y);
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = a * x[i] + b * y[i];
        }
        return r;
    }

    public static double[] scale(double a, double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = a * x[i];
        }
        return r;
    }

    public static double distance(double[] a, double[] b) {
        check(a, b);
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return norm(d);
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector length mismatch: " + a.length + " vs " + b.length);
        }
    }
}
