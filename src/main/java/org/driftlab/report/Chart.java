package org.driftlab.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A line chart description (title, axis labels, series) rendered both as inline SVG (for the offline HTML
 * report) and as PNG through XChart. Immutable once built.
 */
public record Chart(String id, String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
    /** Immutable copy. */
    public Chart {
        series = List.copyOf(series);
    }

    /** One line; dashed lines mark thresholds such as 2/h. */
    public record Series(String name, double[] x, double[] y, boolean dashed) {}

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#17becf"};

    /** The colour of series i (dashed thresholds share their run's colour). */
    static String colour(int i) {
        return COLOURS[Math.floorMod(i, COLOURS.length)];
    }

    /** True when no series has a finite point. */
    public boolean isEmpty() {
        for (Series s : series) {
            for (int i = 0; i < s.y().length; i++) {
                if (plottable(s.y()[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean plottable(double v) {
        return Double.isFinite(v) && (!logY || v > 0);
    }

    /** The chart as a standalone SVG element (no scripts, no external references). */
    public String toSvg(int width, int height) {
        int left = 70;
        int right = 170;
        int top = 30;
        int bottom = 45;
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (plottable(s.y()[i]) && Double.isFinite(s.x()[i])) {
                    xmin = Math.min(xmin, s.x()[i]);
                    xmax = Math.max(xmax, s.x()[i]);
                    double y = logY ? Math.log10(s.y()[i]) : s.y()[i];
                    ymin = Math.min(ymin, y);
                    ymax = Math.max(ymax, y);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "<svg id=\"%s\" class=\"chart\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", id, width, height, width, height));
        sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", left, esc(title)));
        if (!Double.isFinite(xmin)) {
            sb.append("<text x=\"80\" y=\"80\">no data</text></svg>\n");
            return sb.toString();
        }
        if (xmax == xmin) {
            xmax = xmin + 1;
        }
        if (ymax == ymin) {
            ymax = ymin + Math.max(1e-12, Math.abs(ymin) * 0.1);
            ymin = ymin - Math.max(1e-12, Math.abs(ymin) * 0.1);
        }
        double pad = (ymax - ymin) * 0.05;
        ymin -= pad;
        ymax += pad;
        int pw = width - left - right;
        int ph = height - top - bottom;
        sb.append(String.format(java.util.Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", left, top, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double fy = ymin + (ymax - ymin) * i / 4;
            double py = top + ph - (fy - ymin) / (ymax - ymin) * ph;
            String label = logY ? fmt(Math.pow(10, fy)) : fmt(fy);
            sb.append(String.format(java.util.Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, left + pw, py, py, left - 4, py + 4, label));
            double fx = xmin + (xmax - xmin) * i / 4;
            double px = left + (fx - xmin) / (xmax - xmin) * pw;
            sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, top + ph + 15, fmt(fx)));
        }
        sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", left + pw / 2, height - 8, esc(xLabel)));
        sb.append(String.format(java.util.Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                top + ph / 2, top + ph / 2, esc(yLabel + (logY ? " (log)" : ""))));
        int legendY = top + 10;
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            String dash = s.dashed() ? " stroke-dasharray=\"6 4\"" : "";
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                if (!plottable(s.y()[i])) {
                    continue;
                }
                double y = logY ? Math.log10(s.y()[i]) : s.y()[i];
                double px = left + (s.x()[i] - xmin) / (xmax - xmin) * pw;
                double py = top + ph - (y - ymin) / (ymax - ymin) * ph;
                pts.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            String c = colour(colourIndex(si));
            sb.append(String.format(java.util.Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"%s\"/>%n", c, dash, pts.toString().trim()));
            sb.append(String.format(java.util.Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", left + pw + 8, left + pw + 28, legendY, legendY, c, dash,
                    left + pw + 32, legendY + 4, esc(s.name())));
            legendY += 15;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Series that are dashed thresholds reuse the colour of the preceding solid series. */
    int colourIndex(int si) {
        int solid = -1;
        for (int i = 0; i <= si; i++) {
            if (!series.get(i).dashed()) {
                solid++;
            }
        }
        return Math.max(0, series.get(si).dashed() ? solid : solid);
    }

    static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            return String.format(java.util.Locale.ROOT, "%.2e", v);
        }
        String s = String.format(java.util.Locale.ROOT, "%.4g", v);
        // drop trailing zeros of a fraction only: 1500 stays 1500, 0.2500 becomes 0.25
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Helper to build series lists. */
    static List<Series> list() {
        return new ArrayList<>();
    }
}
