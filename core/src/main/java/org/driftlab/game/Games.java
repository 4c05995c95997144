package org.driftlab.game;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;

/**
 * The catalogue of toy games, by spec string: {@code bilinear}, {@code linear:eps=0.2} (or {@code eps1=..,eps2=..}),
 * {@code dirac-gan}, {@code quadratic:a=..,b=..,c=..,d=..}. Each has its fixed point at the origin.
 */
public final class Games {
    private Games() {}

    /** The bilinear zero-sum game E = φθ: f = θ, g = −φ, a pure rotation; the flow conserves φ² + θ². */
    public static ZeroSumGame bilinear() {
        return new ZeroSumGame("bilinear", 1, 1, (phi, theta) -> F.dot(phi, theta));
    }

    /**
     * The linear field ẋ = −ε₁x + y, ẏ = −x − ε₂y with x = φ, y = θ, as the zero-sum game
     * E = φθ − ε₁φ²/2 + ε₂θ²/2 (then f = ∇_φE = θ − ε₁φ and g = −∇_θE = −φ − ε₂θ). Catalogue values:
     * ε = 0.2, h = 0.2, x₀ = (0.08, −0.05); divergent case ε = 0.09, x₀ = (0.07, −0.09).
     */
    public static ZeroSumGame linear(double eps1, double eps2) {
        return new ZeroSumGame("linear", 1, 1, (phi, theta) -> F.add(F.dot(phi, theta),
                F.add(F.scale(F.dot(phi, phi), -eps1 / 2), F.scale(F.dot(theta, theta), eps2 / 2))));
    }

    /**
     * The Dirac-GAN (Mescheder et al. 2018) with f' = sigmoid: generator x (= θ, the minimiser), discriminator
     * y (= φ, the maximiser), E = softplus(xy), so the field is (ẋ, ẏ) = (−σ(xy)·y, σ(xy)·x). Catalogue values:
     * x₀ = (1, 1), h = 0.1. Coordinates in z are (φ, θ) = (y, x).
     */
    public static ZeroSumGame diracGan() {
        return new ZeroSumGame("dirac-gan", 1, 1, (phi, theta) -> F.sum(F.softplus(F.mul(phi, theta))));
    }

    /** A game by spec string; unknown names or keys throw a {@link DriftlabException} listing the allowed ones. */
    public static Game parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        Map<String, Double> args = args(colon < 0 ? "" : s.substring(colon + 1), spec);
        switch (kind) {
            case "bilinear":
                allow(args, spec);
                return bilinear();
            case "dirac-gan":
                allow(args, spec);
                return diracGan();
            case "linear": {
                allow(args, spec, "eps", "eps1", "eps2");
                double eps = args.getOrDefault("eps", 0.2);
                return linear(args.getOrDefault("eps1", eps), args.getOrDefault("eps2", eps));
            }
            case "quadratic":
                allow(args, spec, "a", "b", "c", "d");
                return QuadraticGame.scalar(s, args.getOrDefault("a", 0.0), args.getOrDefault("b", 1.0),
                        args.getOrDefault("c", 0.0), args.getOrDefault("d", -1.0));
            default:
                throw new DriftlabException("unknown game '" + spec + "'; allowed: bilinear, linear[:eps=E|eps1=..,eps2=..], "
                        + "dirac-gan, quadratic[:a=..,b=..,c=..,d=..]");
        }
    }

    private static Map<String, Double> args(String text, String spec) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new DriftlabException("game '" + spec + "': expected key=value, got '" + p + "'");
            }
            try {
                out.put(p.substring(0, eq).trim(), Double.parseDouble(p.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw new DriftlabException("game '" + spec + "': '" + p + "' is not a number");
            }
        }
        return out;
    }

    private static void allow(Map<String, Double> args, String spec, String... keys) {
        for (String k : args.keySet()) {
            if (!java.util.Arrays.asList(keys).contains(k)) {
                throw new DriftlabException("game '" + spec + "': unknown key '" + k + "'; allowed: "
                        + (keys.length == 0 ? "none" : String.join(", ", keys)));
            }
        }
    }

}
