package org.driftlab.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Numbers in report tables say the number they stand for, in any default locale; pages are offline. */
class HtmlTest {
    @Test
    void tableNumbersKeepIntegerZerosAndDropFractionZeros() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // a decimal comma must not leak into the report
            assertEquals("1500", Html.number(1500));
            assertEquals("100", Html.number(100));
            assertEquals("10", Html.number(10));
            assertEquals("0.25", Html.number(0.25));
            assertEquals("2.5", Html.number(2.5));
            assertEquals("-40", Html.number(-40));
            assertEquals("1.50e+04", Html.number(15000));
            assertEquals("0", Html.number(0));
            assertEquals("NaN", Html.number(Double.NaN));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aPageIsSelfContained() {
        String p = Html.page("a <b>", "<p>x</p>");
        assertTrue(p.contains("<title>a &lt;b&gt;</title>"));
        assertFalse(p.contains("http"));
        assertFalse(p.contains("<script"));
        assertEquals("&quot;q&quot; &amp; &lt;", Html.escape("\"q\" & <"));
    }
}
