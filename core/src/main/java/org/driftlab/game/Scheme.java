package org.driftlab.game;

import java.util.Locale;
import org.driftlab.DriftlabException;

/** How the two players' Euler updates are ordered within one iteration. */
public enum Scheme {
    /** Both players step from the same (φ, θ). */
    SIMULTANEOUS,
    /** φ takes m steps first, then θ takes k steps at the new φ. */
    ALTERNATING;

    /** "simultaneous"/"sim" or "alternating"/"alt". */
    public static Scheme parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "simultaneous":
            case "sim":
                return SIMULTANEOUS;
            case "alternating":
            case "alt":
                return ALTERNATING;
            default:
                throw new DriftlabException("update scheme '" + s + "' is unknown; allowed: simultaneous, alternating");
        }
    }

    /** Lower-case name for tables. */
    public String label() {
        return this == SIMULTANEOUS ? "simultaneous" : "alternating";
    }
}
