package org.driftlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shortest round-trip decimal: reads back exactly, no shorter decimal does, and Double.toString's layout. */
class DecimalsTest {
    @Test
    void knownValues() {
        // the JDK 17 Double.toString of the first is 2.82879384806159008E17 (JDK-4511638); the smallest subnormal
        // 4.94e-324 is the only double within 2.5e-324 of 5e-324 (Double.toString: 4.9E-324, two digits)
        String[][] cases = {{"2.82879384806159E17", "2.82879384806159E17"}, {"0.1", "0.1"}, {"1e23", "1.0E23"},
            {"0.001", "0.001"}, {"9.999e-4", "9.999E-4"}, {"1e7", "1.0E7"}, {"9999999.5", "9999999.5"},
            {"123456", "123456.0"}, {"-2.5e-5", "-2.5E-5"}, {"4.9e-324", "5.0E-324"},
            {"1.7976931348623157e308", "1.7976931348623157E308"}, {"-0.0", "-0.0"}, {"0", "0.0"},
            {"NaN", "NaN"}, {"-Infinity", "-Infinity"}, {"21.705912345678", "21.705912345678"}, {"100", "100.0"},
            {"0.30000000000000004", "0.30000000000000004"}};
        for (String[] c : cases) {
            assertEquals(c[1], Decimals.shortest(Double.parseDouble(c[0])), c[0]);
        }
    }

    @Test
    void randomDoublesReadBackExactlyWithTheFewestDigits() {
        SplittableRandom r = new SplittableRandom(7);
        int sameAsJdk = 0;
        for (int i = 0; i < 20_000; i++) {
            double v = i % 2 == 0 ? Double.longBitsToDouble(r.nextLong())
                    : r.nextDouble() * Math.pow(10, r.nextInt(-12, 12));
            if (!Double.isFinite(v)) {
                continue;
            }
            String s = Decimals.shortest(v);
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(s)), s);
            int p = significantDigits(s);
            assertTrue(p <= 17, s);
            if (p > 1) {
                // one digit fewer, rounded as closely as possible, reads back as another double
                BigDecimal fewer = new BigDecimal(v).round(new MathContext(p - 1, RoundingMode.HALF_EVEN));
                assertTrue(fewer.doubleValue() != v, s + " is not the shortest: " + fewer);
            }
            // where Double.toString is as short (always from JDK 19), the text is the same; before JDK 19 its last
            // digit is not always the closest (JDK-4511638), so there only the layout is compared
            String jdk = Double.toString(v);
            if (significantDigits(jdk) == p) {
                if (Runtime.version().feature() >= 19) {
                    assertEquals(jdk, s);
                } else {
                    assertEquals(jdk.replaceAll("\\d", "#"), s.replaceAll("\\d", "#"), jdk + " vs " + s);
                }
                sameAsJdk++;
            }
        }
        assertTrue(sameAsJdk > 14_000, "compared with Double.toString " + sameAsJdk + " times");
    }

    private static int significantDigits(String s) {
        String m = s.replace("-", "");
        int e = m.indexOf('E');
        m = (e < 0 ? m : m.substring(0, e)).replace(".", "");
        m = m.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, m.length());
    }
}
