package org.driftlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Axis labels must say the number they stand for, in any default locale. */
class ChartTest {
    @Test
    void tickLabelsKeepIntegerZerosAndDropFractionZeros() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // a decimal comma must not leak into the report
            assertEquals("1500", Chart.fmt(1500));
            assertEquals("100", Chart.fmt(100));
            assertEquals("10", Chart.fmt(10));
            assertEquals("0.25", Chart.fmt(0.25));
            assertEquals("2.5", Chart.fmt(2.5));
            assertEquals("-40", Chart.fmt(-40));
            assertEquals("1.50e+04", Chart.fmt(15000));
            assertEquals("0", Chart.fmt(0));
        } finally {
            Locale.setDefault(before);
        }
    }
}
