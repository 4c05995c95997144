package org.driftlab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The least-squares slope against lines and a symmetric scatter whose slope is known exactly. */
class LeastSquaresTest {
    @Test
    void slopeOfALineAndOfASymmetricScatter() {
        assertEquals(-2.5, LeastSquares.slope(new double[] {0, 1, 2, 3}, new double[] {1, -1.5, -4, -6.5}), 1e-14);
        // residuals ±1 symmetric about y = 3x cancel in the fit
        assertEquals(3.0, LeastSquares.slope(new double[] {-1, -1, 1, 1}, new double[] {-2, -4, 4, 2}), 1e-14);
        assertThrows(IllegalArgumentException.class, () -> LeastSquares.slope(new double[] {1, 2}, new double[] {1}));
    }
}
