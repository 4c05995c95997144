package org.driftlab.objective;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * Small analytic objectives from the literature on implicit regularisation and stability, each also reachable
 * from a spec string ({@link #parse}) on the command line:
 *
 * <ul>
 *   <li>{@code quadratic:eigs=1,10,100[:basis=random][:seed=S][:b=b1,b2,...]}: ½θᵀAθ + bᵀθ, A = Q diag(λ) Qᵀ;</li>
 *   <li>{@code xyzw}: ½(1 − xyzw)², the scale-invariant product model (a depth-4 scalar linear net);</li>
 *   <li>{@code xyzw-sym}: its symmetric reduction x = y = u, z = w = v, i.e. ½(1 − u²v²)²;</li>
 *   <li>{@code x2y2}: (1 − x²y²)²; {@code xy}: (1 − xy)²;</li>
 *   <li>{@code sgd-picky}: the two-example set f₁(x) = min{x², 0.1(x−1)²}, f₂(x) = min{x², 1.9(x−1)²}, where
 *       gradient descent and SGD prefer different minima (E = (f₁ + f₂)/2, {@code numExamples() = 2});</li>
 *   <li>{@code linreg[:n=100][:d=10][:noise=0.1][:seed=S]}: (1/2n)‖Xw − y‖² on seeded Gaussian data;</li>
 *   <li>{@code rosenbrock[:d=2][:a=1][:b=100]}: Σ_i b(x_{i+1} − x_i²)² + (a − x_i)².</li>
 * </ul>
 */
public final class ToyObjectives {
    /** The accepted forms, shown when a spec is not understood. */
    public static final String FORMS = "toy objectives: quadratic:eigs=1,10,100[:basis=random][:seed=S][:b=...] | xyzw | "
            + "xyzw-sym | x2y2 | xy | sgd-picky | linreg[:n=100][:d=10][:noise=0.1][:seed=0] | rosenbrock[:d=2][:a=1][:b=100]";

    private ToyObjectives() {}

    /** Parses a toy objective spec (see the class comment); errors are one-line {@link DriftlabException}s. */
    public static Objective parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new DriftlabException("empty objective; " + FORMS);
        }
        String s = spec.strip();
        String[] parts = s.split(":");
        String kind = parts[0].toLowerCase();
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                throw new DriftlabException("objective " + s + ": option '" + parts[i] + "' is not key=value; " + FORMS);
            }
            opts.put(parts[i].substring(0, eq).strip().toLowerCase(), parts[i].substring(eq + 1).strip());
        }
        Set<String> allowed = switch (kind) {
            case "quadratic" -> Set.of("eigs", "basis", "seed", "b");
            case "linreg" -> Set.of("n", "d", "noise", "seed");
            case "rosenbrock" -> Set.of("d", "a", "b");
            case "xyzw", "xyzw-sym", "x2y2", "xy", "sgd-picky" -> Set.of();
            default -> null; // reported as an unknown objective below
        };
        for (String key : opts.keySet()) {
            if (allowed != null && !allowed.contains(key)) {
                throw new DriftlabException("objective " + s + ": unknown option '" + key + "'; " + FORMS);
            }
        }
        try {
            Objective o = switch (kind) {
                case "quadratic" -> {
                    double[] eigs = numbers(s, "eigs", require(s, opts, "eigs"));
                    boolean random = opts.getOrDefault("basis", "identity").equalsIgnoreCase("random");
                    if (!random && !opts.getOrDefault("basis", "identity").equalsIgnoreCase("identity")) {
                        throw new DriftlabException("objective " + s + ": basis must be identity or random");
                    }
                    long seed = (long) number(s, "seed", opts.getOrDefault("seed", "0"));
                    double[] b = opts.containsKey("b") ? numbers(s, "b", opts.get("b")) : null;
                    yield quadratic(eigs, random ? seed : null, b, s);
                }
                case "xyzw" -> xyzw();
                case "xyzw-sym" -> xyzwSymmetric();
                case "x2y2" -> x2y2();
                case "xy" -> xy();
                case "sgd-picky" -> sgdPicky();
                case "linreg" -> LinearRegression.random((int) number(s, "n", opts.getOrDefault("n", "100")),
                        (int) number(s, "d", opts.getOrDefault("d", "10")), number(s, "noise", opts.getOrDefault("noise", "0.1")),
                        (long) number(s, "seed", opts.getOrDefault("seed", "0")));
                case "rosenbrock" -> rosenbrock((int) number(s, "d", opts.getOrDefault("d", "2")),
                        number(s, "a", opts.getOrDefault("a", "1")), number(s, "b", opts.getOrDefault("b", "100")));
                default -> throw new DriftlabException("unknown objective '" + parts[0] + "'; " + FORMS);
            };
            return o;
        } catch (IllegalArgumentException e) {
            throw new DriftlabException("bad objective '" + s + "': " + e.getMessage() + "; " + FORMS, e);
        }
    }

    private static String require(String spec, Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null || v.isEmpty()) {
            throw new DriftlabException("objective " + spec + ": missing " + key + "=...; " + FORMS);
        }
        return v;
    }

    private static double number(String spec, String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new DriftlabException("objective " + spec + ": " + key + "=" + v + " is not a number");
        }
    }

    private static double[] numbers(String spec, String key, String v) {
        String[] p = v.split(",");
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = number(spec, key, p[i].strip());
        }
        return out;
    }

    /** ½θᵀAθ + bᵀθ with A = Q diag(eigs) Qᵀ; Q is the identity when basisSeed is null, else a seeded rotation. */
    public static Quadratic quadratic(double[] eigs, Long basisSeed, double[] linear, String name) {
        return new Quadratic(eigs, basisSeed == null ? null : Quadratic.randomOrthogonal(eigs.length, basisSeed), linear,
                name == null ? "quadratic" : name);
    }

    private static Var at(Var theta, int i) {
        return F.slice(theta, 0, i, i + 1);
    }

    /** ½(1 − xyzw)² on θ = (x, y, z, w). */
    public static Objective xyzw() {
        return new FunctionObjective("xyzw", 4, t -> F.scale(F.sum(F.square(F.addScalar(
                F.neg(F.mul(F.mul(at(t, 0), at(t, 1)), F.mul(at(t, 2), at(t, 3)))), 1.0))), 0.5));
    }

    /** ½(1 − u²v²)², xyzw restricted to x = y = u, z = w = v. */
    public static Objective xyzwSymmetric() {
        return new FunctionObjective("xyzw-sym", 2, t -> F.scale(F.sum(F.square(F.addScalar(
                F.neg(F.mul(F.square(at(t, 0)), F.square(at(t, 1)))), 1.0))), 0.5));
    }

    /** (1 − x²y²)². */
    public static Objective x2y2() {
        return new FunctionObjective("x2y2", 2, t -> F.sum(F.square(F.addScalar(
                F.neg(F.mul(F.square(at(t, 0)), F.square(at(t, 1)))), 1.0))));
    }

    /** (1 − xy)². */
    public static Objective xy() {
        return new FunctionObjective("xy", 2, t -> F.sum(F.square(F.addScalar(F.neg(F.mul(at(t, 0), at(t, 1))), 1.0))));
    }

    /** min{x², c(x − 1)²} through the differentiable elementwise minimum. */
    static UnaryOperator<Var> twoWell(double c) {
        return t -> F.sum(F.minimum(F.square(t), F.scale(F.square(F.addScalar(t, -1.0)), c)));
    }

    /** The two-example set {f₁, f₂} with f₁(x) = min{x², 0.1(x−1)²}, f₂(x) = min{x², 1.9(x−1)²}; E = (f₁ + f₂)/2. */
    public static FiniteSumObjective sgdPicky() {
        return new FiniteSumObjective("sgd-picky", 1, List.of(twoWell(0.1), twoWell(1.9)));
    }

    /** The d-dimensional Rosenbrock function Σ_{i &lt; d−1} b(x_{i+1} − x_i²)² + (a − x_i)². */
    public static Objective rosenbrock(int d, double a, double b) {
        if (d < 2) {
            throw new IllegalArgumentException("rosenbrock: d must be at least 2, got " + d);
        }
        return new FunctionObjective("rosenbrock d=" + d, d, t -> {
            Var head = F.slice(t, 0, 0, d - 1);
            Var tail = F.slice(t, 0, 1, d);
            Var valley = F.scale(F.sum(F.square(F.sub(tail, F.square(head)))), b);
            Var pull = F.sum(F.square(F.addScalar(F.neg(head), a)));
            return F.add(valley, pull);
        });
    }
}
