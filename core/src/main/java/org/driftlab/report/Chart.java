package org.driftlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A chart description (title, axis labels, series) rendered both as inline SVG (for the offline HTML report) and
 * as PNG through XChart. Series are lines, dashed lines, markers or shaded bands; either axis may be logarithmic.
 * Immutable once built.
 */
public record Chart(String id, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                    List<Series> series) {
    /** Immutable copy. */
    public Chart {
        series = List.copyOf(series);
    }

    /** A chart with a linear x axis. */
    public Chart(String id, String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
        this(id, title, xLabel, yLabel, false, logY, series);
    }

    /** How a series is drawn. */
    public enum Style {
        /** Solid polyline in row order. */
        LINE,
        /** Dashed polyline: thresholds and predictions. */
        DASHED,
        /** Markers only. */
        POINTS,
        /** Shaded region between y (lower) and y2 (upper). */
        BAND
    }

    /**
     * One series.
     *
     * @param y2 upper edge of a {@link Style#BAND}, else null
     * @param colourKey series with the same key share a colour (null: dashed series take the colour of the
     *     preceding solid one, every other series the next colour)
     */
    public record Series(String name, double[] x, double[] y, double[] y2, Style style, String colourKey) {
        /** A solid or dashed line. */
        public Series(String name, double[] x, double[] y, boolean dashed) {
            this(name, x, y, null, dashed ? Style.DASHED : Style.LINE, null);
        }

        /** True for dashed lines. */
        public boolean dashed() {
            return style == Style.DASHED;
        }
    }

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};

    /** The colour of series i (dashed thresholds share their run's colour). */
    static String colour(int i) {
        return COLOURS[Math.floorMod(i, COLOURS.length)];
    }

    /** True when no series has a finite point. */
    public boolean isEmpty() {
        for (Series s : series) {
            for (int i = 0; i < s.y().length; i++) {
                if (plottable(s, i)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether point i of s can be drawn on these axes. */
    boolean plottable(Series s, int i) {
        double x = s.x()[i];
        double y = s.y()[i];
        if (!Double.isFinite(x) || !Double.isFinite(y) || (logX && x <= 0) || (logY && y <= 0)) {
            return false;
        }
        if (s.style() == Style.BAND) {
            double y2 = s.y2()[i];
            return Double.isFinite(y2) && (!logY || y2 > 0);
        }
        return true;
    }

    private double tx(double x) {
        return logX ? Math.log10(x) : x;
    }

    private double ty(double y) {
        return logY ? Math.log10(y) : y;
    }

    /** The chart as a standalone SVG element (no scripts, no external references). */
    public String toSvg(int width, int height) {
        int left = 70;
        int right = 190;
        int top = 30;
        int bottom = 45;
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (plottable(s, i)) {
                    xmin = Math.min(xmin, tx(s.x()[i]));
                    xmax = Math.max(xmax, tx(s.x()[i]));
                    ymin = Math.min(ymin, ty(s.y()[i]));
                    ymax = Math.max(ymax, ty(s.y()[i]));
                    if (s.style() == Style.BAND) {
                        ymin = Math.min(ymin, ty(s.y2()[i]));
                        ymax = Math.max(ymax, ty(s.y2()[i]));
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", id, width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", left, esc(title)));
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
        final double x0 = xmin;
        final double x1 = xmax;
        final double y0 = ymin;
        final double y1 = ymax;
        java.util.function.DoubleUnaryOperator px = v -> left + (tx(v) - x0) / (x1 - x0) * pw;
        java.util.function.DoubleUnaryOperator py = v -> top + ph - (ty(v) - y0) / (y1 - y0) * ph;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", left, top, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double fy = ymin + (ymax - ymin) * i / 4;
            double gy = top + ph - (fy - ymin) / (ymax - ymin) * ph;
            String label = logY ? fmt(Math.pow(10, fy)) : fmt(fy);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, left + pw, gy, gy, left - 4, gy + 4, label));
            double fx = xmin + (xmax - xmin) * i / 4;
            double gx = left + (fx - xmin) / (xmax - xmin) * pw;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", gx, top + ph + 15,
                    logX ? fmt(Math.pow(10, fx)) : fmt(fx)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", left + pw / 2, height - 8,
                esc(xLabel + (logX ? " (log)" : ""))));
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                top + ph / 2, top + ph / 2, esc(yLabel + (logY ? " (log)" : ""))));
        int legendY = top + 10;
        int[] colours = colourIndices();
        // bands first so lines and markers stay visible on top of them
        for (int pass = 0; pass < 2; pass++) {
            for (int si = 0; si < series.size(); si++) {
                Series s = series.get(si);
                if ((s.style() == Style.BAND) != (pass == 0)) {
                    continue;
                }
                String c = colour(colours[si]);
                StringBuilder pts = new StringBuilder();
                if (s.style() == Style.BAND) {
                    StringBuilder back = new StringBuilder();
                    for (int i = 0; i < s.x().length; i++) {
                        if (plottable(s, i)) {
                            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(s.x()[i]), py.applyAsDouble(s.y()[i])));
                            back.insert(0, String.format(Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(s.x()[i]), py.applyAsDouble(s.y2()[i])));
                        }
                    }
                    sb.append(String.format(Locale.ROOT, "<polygon fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\" points=\"%s\"/>%n",
                            c, (pts.toString() + back).trim()));
                } else if (s.style() == Style.POINTS) {
                    for (int i = 0; i < s.x().length; i++) {
                        if (plottable(s, i)) {
                            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
                                    px.applyAsDouble(s.x()[i]), py.applyAsDouble(s.y()[i]), c));
                        }
                    }
                    sb.append('\n');
                } else {
                    String dash = s.dashed() ? " stroke-dasharray=\"6 4\"" : "";
                    for (int i = 0; i < s.x().length; i++) {
                        if (plottable(s, i)) {
                            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(s.x()[i]), py.applyAsDouble(s.y()[i])));
                        }
                    }
                    sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"%s\"/>%n",
                            c, dash, pts.toString().trim()));
                }
            }
        }
        for (int si = 0; si < series.size() && legendY < top + ph + 20; si++) {
            Series s = series.get(si);
            String c = colour(colours[si]);
            String mark = switch (s.style()) {
                case BAND -> String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"8\" fill=\"%s\" fill-opacity=\"0.25\"/>",
                        left + pw + 8, legendY - 4, c);
                case POINTS -> String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>", left + pw + 18, legendY, c);
                default -> String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                        left + pw + 8, left + pw + 28, legendY, legendY, c, s.dashed() ? " stroke-dasharray=\"6 4\"" : "");
            };
            sb.append(mark).append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", left + pw + 32, legendY + 4, esc(s.name())));
            legendY += 15;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Colour slot of every series: by colour key when given, else dashed series reuse the preceding solid one's. */
    int[] colourIndices() {
        int[] out = new int[series.size()];
        Map<String, Integer> byKey = new LinkedHashMap<>();
        int next = 0;
        int lastSolid = 0;
        for (int i = 0; i < out.length; i++) {
            Series s = series.get(i);
            if (s.colourKey() != null) {
                Integer c = byKey.get(s.colourKey());
                if (c == null) {
                    c = next++;
                    byKey.put(s.colourKey(), c);
                }
                out[i] = c;
            } else if (s.dashed() && i > 0) {
                out[i] = lastSolid;
            } else {
                out[i] = next++;
                lastSolid = out[i];
            }
        }
        return out;
    }

    /** Series that are dashed thresholds reuse the colour of the preceding solid series. */
    int colourIndex(int si) {
        return colourIndices()[si];
    }

    static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
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
