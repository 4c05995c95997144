#!/usr/bin/python3
"""
The Chebyshev coefficients of driftlab's erfc (core/.../tensor/FastMath.java), reproducibly: interpolants at the
first-kind Chebyshev points computed in 50-digit arithmetic (mpmath), truncated where the double-precision Clenshaw
evaluation is within 4e-16 relative of the exact function on 801 points per interval, printed as Java arrays.

    /usr/bin/python3 scripts/python/erfc_coefficients.py

Pieces: g(u) = erf(sqrt u)/sqrt u on u in [0, 1] (erf(a) = a·g(a²) for a < 1), and h(a) = erfc(a)·exp(a²) on
[1, 2], [2, 3], [3, 4.5] and [4.5, 6.5] (erfc(a) = exp(−a²)·h(a)).
"""
import mpmath
import numpy as np

mpmath.mp.dps = 50


def g(x):
    x = mpmath.mpf(x)
    return mpmath.erf(mpmath.sqrt(x)) / mpmath.sqrt(x) if x > 0 else 2 / mpmath.sqrt(mpmath.pi)


def h(a):
    a = mpmath.mpf(a)
    return mpmath.erfc(a) * mpmath.exp(a * a)


def chebyshev(f, lo, hi, n):
    lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    nodes = [mpmath.cos(mpmath.pi * (k + mpmath.mpf(1) / 2) / n) for k in range(n)]
    values = [f((lo + hi) / 2 + (hi - lo) / 2 * t) for t in nodes]
    c = [2 * sum(values[k] * mpmath.cos(j * mpmath.pi * (k + mpmath.mpf(1) / 2) / n) for k in range(n)) / n
         for j in range(n)]
    c[0] /= 2
    return c


def clenshaw(c, t):
    b1, b2 = 0.0, 0.0
    for cj in reversed(c[1:]):
        b1, b2 = cj + 2 * t * b1 - b2, b1
    return c[0] + t * b1 - b2


def main():
    for name, f, lo, hi in [("G", g, 0, 1), ("H_1_2", h, 1, 2), ("H_2_3", h, 2, 3), ("H_3_45", h, 3, 4.5),
                            ("H_45_65", h, 4.5, 6.5)]:
        exact = chebyshev(f, lo, hi, 40)
        for degree in range(5, 40):
            c = [float(x) for x in exact[:degree + 1]]
            worst = max(abs(clenshaw(c, float(t)) - float(f((lo + hi) / 2 + (hi - lo) / 2 * t)))
                        / abs(float(f((lo + hi) / 2 + (hi - lo) / 2 * t))) for t in np.linspace(-1, 1, 801))
            if worst < 4e-16:
                break
        print(f"    /** on [{lo}, {hi}]: {degree + 1} terms, worst relative error {worst:.2g} */")
        print(f"    private static final double[] {name} = {{")
        print("        " + ",\n        ".join(repr(x) for x in c) + "};")


if __name__ == "__main__":
    main()
