package org.driftlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Control characters in user-supplied text are made visible before printing (issue 17: a crafted .npy dtype). */
class EscapeTest {
    @Test
    void controlsBecomeVisibleEscapesAndPrintableTextIsUntouched() {
        String plain = "données λ1 = 2/h, 東京 ✓ 😀 path/to/file.npy";
        assertSame(plain, Escape.controls(plain));
        assertEquals("unsupported dtype '\\x1b[31m'", Escape.controls("unsupported dtype '\u001b[31m'"));
        assertEquals("a\\nb\\r\\tc\\x00\\x7f\\x9b", Escape.controls("a\nb\r\tc\u0000\u007f\u009b"));
        // bidirectional override, zero-width space, a lone surrogate, a private-use character
        assertEquals("x\\u202ey\\u200bz\\ud800\\ue000", Escape.controls("x\u202ey\u200bz\ud800\ue000"));
        assertEquals("\\U000e0001", Escape.controls(new String(Character.toChars(0xE0001))));
        assertEquals("null", Escape.controls(null));
    }

    @Test
    void theTerminalStreamEscapesWhatAMessageLetThroughAndKeepsTheLayout() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream t = Escape.terminal(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        t.println("λ1 = 2/h\tok \u001b]0;title\u0007 \u009b \u202e 😀");
        t.print("\rprogress");
        t.write(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xc3, 'c', (byte) 0xc0, (byte) 0x80}, 0, 7); // not UTF-8
        t.flush();
        assertEquals("λ1 = 2/h\tok \\x1b]0;title\\x07 \\x9b \\u202e 😀\n\rprogressa\\xffb\\xc3c\\xc0\\x80",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
