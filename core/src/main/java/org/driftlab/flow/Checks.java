package org.driftlab.flow;

/** Argument checks shared by the flow classes (programmer errors: IllegalArgumentException). */
final class Checks {
    private Checks() {}

    static double learningRate(double h) {
        if (!(h >= 0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("learning rate h must be finite and >= 0, got " + h);
        }
        return h;
    }

    static double positive(String what, double x) {
        if (!(x > 0) || !Double.isFinite(x)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + x);
        }
        return x;
    }
}
