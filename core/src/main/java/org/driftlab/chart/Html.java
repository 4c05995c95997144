package org.driftlab.chart;

import java.nio.file.Path;
import java.util.Locale;
import org.driftlab.data.AtomicFiles;

/**
 * The HTML of driftlab's reports (run, study, sweep, landscape): one page skeleton and style sheet, escaping, and
 * numbers for tables. Pages are offline and self-contained: inline CSS and inline SVG charts, no scripts, no
 * references outside the file.
 */
public final class Html {
    private Html() {}

    /** The reports' style sheet. */
    static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
            + "td.l,th.l{text-align:left}.holds{color:#070;font-weight:bold}.fails{color:#b00;font-weight:bold}"
            + ".warn{background:#fdd;border:3px solid #c00;padding:1em;font-size:1.2em;font-weight:bold}"
            + ".meta{color:#555;font-size:0.9em}.scroll{overflow-x:auto}"
            + "figure{margin:1.5em 0}figcaption{color:#333;max-width:900px;margin-top:0.3em}"
            + "svg.chart{display:block;max-width:100%;height:auto}";

    /** Text escaped for HTML element content and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * A number for a table cell: four significant digits, trailing zeros of a fraction dropped ("1500", "0.25"),
     * {@code 1.50e+04} style outside [10⁻³, 10⁴); independent of the default locale.
     */
    public static String number(double v) {
        if (v == 0) {
            return "0";
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        // drop trailing zeros of a fraction only: 1500 stays 1500, 0.2500 becomes 0.25
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** A whole page around body (already HTML), with the given title (plain text). */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title>\n<style>" + STYLE + "</style></head><body>\n" + body + "</body></html>\n";
    }

    /** Writes a page atomically; returns its path. */
    public static Path write(Path file, String title, String body) {
        AtomicFiles.writeString(file, page(title, body));
        return file;
    }
}
