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
