package org.driftlab;

/**
 * Text that came from a user or a file, made safe to print on a terminal. Messages quote file names, spec strings
 * and bytes read from files (a {@code .npy} header's dtype, a CSV cell); a crafted file could otherwise send
 * terminal escape sequences, or a line break that splits the one-line error into several. This is the one place
 * that decides what is escaped; the CLI passes every line it prints that may hold such text through
 * {@link #controls}.
 */
public final class Escape {
    private Escape() {}

    /**
     * s with every control or invisible formatting character replaced by a visible escape: {@code \n}, {@code \r},
     * {@code \t}, {@code \xNN} for the other characters below U+0100 (C0 controls, DEL, C1 controls) and
     * {@code \}{@code uNNNN} or {@code \UNNNNNNNN} above (bidirectional overrides, zero-width characters, unpaired
     * surrogates, private-use and unassigned code points). Printable
     * text, including non-Latin letters, passes unchanged; null becomes {@code "null"}.
     *
     * @param s the text to print
     * @return the text with nothing a terminal would interpret
     */
    public static String controls(String s) {
        if (s == null) {
            return "null";
        }
        if (s.codePoints().noneMatch(Escape::escaped)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            if (!escaped(c)) {
                b.appendCodePoint(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x100) {
                b.append(String.format("\\x%02x", c));
            } else if (c < 0x10000) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.append(String.format("\\U%08x", c));
            }
        });
        return b.toString();
    }

    /**
     * A console stream that passes what the CLI prints through {@link #controls} character by character, keeping the
     * line ends, carriage returns and tabs of its own layout: the safety net under every print of the CLI, so that text
     * from a user or a file that some message did not escape still cannot reach the terminal as an escape sequence.
     * Bytes that are not UTF-8 are written as {@code \xNN}. Hand-written (a few lines over a byte stream): no library
     * filters a terminal stream this way.
     *
     * @param out the console stream (UTF-8)
     * @return a stream that writes the escaped text to out
     */
    public static java.io.PrintStream terminal(java.io.PrintStream out) {
        return new java.io.PrintStream(new TerminalFilter(out), true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The byte-level filter of {@link #terminal}: collects one UTF-8 sequence at a time and escapes it if needed. */
    private static final class TerminalFilter extends java.io.OutputStream {
        private final java.io.PrintStream out;
        private final byte[] pending = new byte[4];
        private int have;
        private int need;

        TerminalFilter(java.io.PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            b &= 0xff;
            if (have > 0 && (b & 0xc0) != 0x80) { // a sequence cut short: its bytes are not text
                invalid();
            }
            if (have == 0) {
                need = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
                if (need == 0) {
                    out.print(String.format("\\x%02x", b));
                    return;
                }
            }
            pending[have++] = (byte) b;
            if (have == need) {
                String c = new String(pending, 0, have, java.nio.charset.StandardCharsets.UTF_8);
                int cp = c.codePointAt(0);
                if (!java.util.Arrays.equals(c.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.util.Arrays.copyOf(pending, have))) {
                    invalid(); // an overlong sequence, an encoded surrogate: not what UTF-8 writes
                    return;
                }
                have = 0;
                if (cp == '\n' || cp == '\r' || cp == '\t' || !escaped(cp)) {
                    out.print(c);
                } else {
                    out.print(controls(c));
                }
            }
        }

        private void invalid() {
            for (int i = 0; i < have; i++) {
                out.print(String.format("\\x%02x", pending[i] & 0xff));
            }
            have = 0;
        }

        @Override
        public synchronized void flush() {
            out.flush();
        }
    }

    /**
     * Controls, formatting characters (bidi overrides, zero width), line and paragraph separators, unassigned code
     * points and surrogates that do not form a pair (a lone surrogate is its own code point here).
     */
    private static boolean escaped(int c) {
        if (c >= 0x20 && c < 0x7f) {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE;
    }
}
