package org.driftlab.tensor;

import static org.driftlab.tensor.FastMath.C10;
import static org.driftlab.tensor.FastMath.C11;
import static org.driftlab.tensor.FastMath.C12;
import static org.driftlab.tensor.FastMath.C13;
import static org.driftlab.tensor.FastMath.C2;
import static org.driftlab.tensor.FastMath.C3;
import static org.driftlab.tensor.FastMath.C4;
import static org.driftlab.tensor.FastMath.C5;
import static org.driftlab.tensor.FastMath.C6;
import static org.driftlab.tensor.FastMath.C7;
import static org.driftlab.tensor.FastMath.C8;
import static org.driftlab.tensor.FastMath.C9;
import static org.driftlab.tensor.FastMath.EXP_HI;
import static org.driftlab.tensor.FastMath.EXP_LO;
import static org.driftlab.tensor.FastMath.INV_LN2;
import static org.driftlab.tensor.FastMath.LN2_HI;
import static org.driftlab.tensor.FastMath.LN2_LO;
import static org.driftlab.tensor.FastMath.SHIFTER;
import static org.driftlab.tensor.FastMath.TANH_SAT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastMath}'s exp, tanh and sigmoid on {@code jdk.incubator.vector} lanes, operation for operation, so
 * each lane is bitwise equal to the scalar function (JDK 17 does not intrinsify the Vector API's own TANH/EXP;
 * they are slower than scalar code). Only touched through {@link Elementwise}, which falls back to the scalar forms when
 * the incubator module is absent.
 */
final class VectorMath {
    private VectorMath() {}

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    /** e^r − 1 on reduced lanes, the same Horner scheme as {@link FastMath#expm1Reduced}. */
    private static DoubleVector expm1Reduced(DoubleVector r) {
        DoubleVector p = r.fma(C13, C12);
        p = p.fma(r, DoubleVector.broadcast(S, C11));
        p = p.fma(r, DoubleVector.broadcast(S, C10));
        p = p.fma(r, DoubleVector.broadcast(S, C9));
        p = p.fma(r, DoubleVector.broadcast(S, C8));
        p = p.fma(r, DoubleVector.broadcast(S, C7));
        p = p.fma(r, DoubleVector.broadcast(S, C6));
        p = p.fma(r, DoubleVector.broadcast(S, C5));
        p = p.fma(r, DoubleVector.broadcast(S, C4));
        p = p.fma(r, DoubleVector.broadcast(S, C3));
        p = p.fma(r, DoubleVector.broadcast(S, C2));
        return r.mul(r).fma(p, r);
    }

    /** 2^k from the rounded lane t = y/ln2 + SHIFTER, whose low mantissa bits hold k. */
    private static DoubleVector pow2(DoubleVector t) {
        LongVector bits = (LongVector) t.viewAsIntegralLanes();
        return (DoubleVector) bits.add(1023L).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
    }

    static void tanh(double[] x, double[] z, int lo, int hi) {
        int i = lo;
        DoubleVector shifter = DoubleVector.broadcast(S, SHIFTER);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int end = lo + (hi - lo) / VL * VL; i < end; i += VL) {
            DoubleVector xv = DoubleVector.fromArray(S, x, i);
            DoubleVector a = xv.abs();
            DoubleVector y = a.add(a);
            DoubleVector t = y.fma(INV_LN2, SHIFTER);
            DoubleVector k = t.sub(shifter);
            DoubleVector r = k.fma(DoubleVector.broadcast(S, -LN2_LO), k.fma(DoubleVector.broadcast(S, -LN2_HI), y));
            DoubleVector s = pow2(t);
            DoubleVector u = s.fma(expm1Reduced(r), s.sub(one));
            DoubleVector v = u.div(u.add(2.0));
            v = v.blend(one, a.compare(VectorOperators.GT, TANH_SAT));
            LongVector sign = ((LongVector) xv.viewAsIntegralLanes()).and(Long.MIN_VALUE);
            ((LongVector) v.viewAsIntegralLanes()).or(sign).viewAsFloatingLanes().intoArray(z, i);
        }
        for (; i < hi; i++) {
            z[i] = FastMath.tanh(x[i]);
        }
    }

    /** e^x on lanes already known to lie in [EXP_LO, EXP_HI]. */
    private static DoubleVector expInRange(DoubleVector xv, DoubleVector shifter) {
        DoubleVector t = xv.fma(INV_LN2, SHIFTER);
        DoubleVector k = t.sub(shifter);
        DoubleVector r = k.fma(DoubleVector.broadcast(S, -LN2_LO), k.fma(DoubleVector.broadcast(S, -LN2_HI), xv));
        DoubleVector s = pow2(t);
        return s.fma(expm1Reduced(r), s);
    }

    private static boolean inExpRange(DoubleVector xv) {
        return xv.compare(VectorOperators.GE, EXP_LO).and(xv.compare(VectorOperators.LE, EXP_HI)).allTrue();
    }

    static void exp(double[] x, double[] z, int lo, int hi) {
        int i = lo;
        DoubleVector shifter = DoubleVector.broadcast(S, SHIFTER);
        for (int end = lo + (hi - lo) / VL * VL; i < end; i += VL) {
            DoubleVector xv = DoubleVector.fromArray(S, x, i);
            if (inExpRange(xv)) {
                expInRange(xv, shifter).intoArray(z, i);
            } else {
                // rare lanes (overflow, subnormal results, NaN): the scalar twin, which defers to Math.exp there
                for (int j = i; j < i + VL; j++) {
                    z[j] = FastMath.exp(x[j]);
                }
            }
        }
        for (; i < hi; i++) {
            z[i] = FastMath.exp(x[i]);
        }
    }

    static void sigmoid(double[] x, double[] z, int lo, int hi) {
        int i = lo;
        DoubleVector shifter = DoubleVector.broadcast(S, SHIFTER);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int end = lo + (hi - lo) / VL * VL; i < end; i += VL) {
            DoubleVector xv = DoubleVector.fromArray(S, x, i);
            DoubleVector m = xv.abs().neg();
            if (inExpRange(m)) {
                DoubleVector e = expInRange(m, shifter);
                DoubleVector d = e.add(one);
                e.div(d).blend(one.div(d), xv.compare(VectorOperators.GE, 0.0)).intoArray(z, i);
            } else {
                for (int j = i; j < i + VL; j++) {
                    z[j] = FastMath.sigmoid(x[j]);
                }
            }
        }
        for (; i < hi; i++) {
            z[i] = FastMath.sigmoid(x[i]);
        }
    }
}
