package org.driftlab.landscape;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The landscape's report: {@code report.html} with PNG charts drawn by XChart. A plane gets a contour plot (iso-loss
 * lines by marching squares, with the run's trajectory and the centre θ) and a surface plot (the grid as a
 * wireframe in an oblique projection); a line gets loss and accuracy against a. XChart has neither contours nor 3-D
 * surfaces, so both are reduced here to line series, kept deliberately simple until the project's chart renderer
 * covers them.
 */
final class LandscapeReport {
    /** Number of iso-loss levels. */
    static final int LEVELS = 14;

    private LandscapeReport() {}

    static void write(Path dir, LandscapeSpec spec, Landscape.Result r) {
        List<String> images = new ArrayList<>();
        if (r.b().length == 1) {
            images.add(png(dir, "landscape-line.png", line(r, false)));
            if (hasAccuracy(r)) {
                images.add(png(dir, "landscape-accuracy.png", line(r, true)));
            }
        } else {
            images.add(png(dir, "landscape-contour.png", contour(r)));
            images.add(png(dir, "landscape-surface.png", surface(r)));
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>driftlab landscape</title>")
                .append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}td{padding:2px 12px}</style>")
                .append("</head><body><h1>Loss landscape</h1><p>").append(escape(r.description())).append("</p><p>")
                .append(escape(spec.describe())).append("</p><table>");
        double[] minimum = minimum(r);
        row(h, "loss at θ (a = b = 0)", centreLoss(r));
        row(h, "lowest loss on the grid", minimum[0]);
        row(h, "at a", minimum[1]);
        if (r.b().length > 1) {
            row(h, "at b", minimum[2]);
        }
        String[] what = spec.kind() == LandscapeSpec.Kind.HESSIAN_TOP2 ? new String[] {"λ₁", "λ₂"}
                : new String[] {"variance share of d₁", "variance share of d₂"};
        for (int i = 0; i < r.scores().length; i++) {
            row(h, what[i], r.scores()[i]);
        }
        h.append("</table>");
        for (String img : images) {
            h.append("<p><img src=\"").append(img).append("\" width=\"900\"></p>");
        }
        h.append("<p>Grid values: landscape.npz (a, b, loss[i, j] at θ + a[i]·d₁ + b[j]·d₂, accuracy");
        if (r.trajectory() != null) {
            h.append(", trajectory_a, trajectory_b");
        }
        h.append("); directions: directions.npz.</p></body></html>\n");
        AtomicFiles.writeString(dir.resolve("report.html"), h.toString());
    }

    private static void row(StringBuilder h, String k, double v) {
        h.append("<tr><td>").append(escape(k)).append("</td><td>").append(String.format(Locale.ROOT, "%.6g", v))
                .append("</td></tr>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static boolean hasAccuracy(Landscape.Result r) {
        return !Double.isNaN(r.accuracy()[0][0]);
    }

    private static double centreLoss(Landscape.Result r) {
        int i = argAbsMin(r.a());
        int j = argAbsMin(r.b());
        return r.loss()[i][j];
    }

    private static int argAbsMin(double[] v) {
        int k = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) < Math.abs(v[k])) {
                k = i;
            }
        }
        return k;
    }

    /** {lowest finite loss, its a, its b}. */
    private static double[] minimum(Landscape.Result r) {
        double[] best = {Double.POSITIVE_INFINITY, Double.NaN, Double.NaN};
        for (int i = 0; i < r.a().length; i++) {
            for (int j = 0; j < r.b().length; j++) {
                double v = r.loss()[i][j];
                if (Double.isFinite(v) && v < best[0]) {
                    best = new double[] {v, r.a()[i], r.b()[j]};
                }
            }
        }
        return best;
    }

    private static XYChart line(Landscape.Result r, boolean accuracy) {
        XYChart c = new XYChartBuilder().width(900).height(420).title(accuracy ? "Accuracy along d₁" : "Loss along d₁")
                .xAxisTitle("a").yAxisTitle(accuracy ? "accuracy" : "E(θ + a·d₁)").build();
        style(c);
        double[] y = new double[r.a().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = accuracy ? r.accuracy()[i][0] : r.loss()[i][0];
        }
        XYSeries s = c.addSeries(accuracy ? "accuracy" : "loss", r.a(), finite(y));
        s.setMarker(SeriesMarkers.NONE);
        return c;
    }

    private static XYChart contour(Landscape.Result r) {
        XYChart c = new XYChartBuilder().width(900).height(760).title("Loss contours").xAxisTitle("a (along d₁)")
                .yAxisTitle("b (along d₂)").build();
        style(c);
        double[] levels = levels(r.loss());
        for (int l = 0; l < levels.length; l++) {
            List<double[]> segs = MarchingSquares.isoLines(r.a(), r.b(), r.loss(), levels[l]);
            if (segs.isEmpty()) {
                continue;
            }
            double[] xs = new double[segs.size() * 3];
            double[] ys = new double[xs.length];
            for (int k = 0; k < segs.size(); k++) {
                double[] s = segs.get(k);
                xs[3 * k] = s[0];
                ys[3 * k] = s[1];
                xs[3 * k + 1] = s[2];
                ys[3 * k + 1] = s[3];
                xs[3 * k + 2] = Double.NaN; // a gap between segments
                ys[3 * k + 2] = Double.NaN;
            }
            XYSeries s = c.addSeries(String.format(Locale.ROOT, "E = %.4g", levels[l]), xs, ys);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.SOLID);
            s.setLineColor(shade(l, levels.length));
            s.setShowInLegend(l % 3 == 0 || l == levels.length - 1);
        }
        if (r.trajectory() != null) {
            XYSeries s = c.addSeries("trajectory", r.trajectory()[0], r.trajectory()[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(Color.BLACK);
            s.setMarkerColor(Color.BLACK);
        }
        XYSeries centre = c.addSeries("θ", new double[] {0}, new double[] {0});
        centre.setMarker(SeriesMarkers.DIAMOND);
        centre.setMarkerColor(Color.RED);
        centre.setLineStyle(SeriesLines.NONE);
        return c;
    }

    /**
     * The grid as a wireframe in an oblique projection: screen x = a + ½b·cos 30°, screen y = z + ½b·sin 30° with z
     * the loss rescaled to the span of a (clipped at its 95th percentile so one wall does not flatten the rest).
     */
    private static XYChart surface(Landscape.Result r) {
        XYChart c = new XYChartBuilder().width(900).height(620).title("Loss surface (wireframe, oblique view)")
                .xAxisTitle("a + ½b·cos 30°").yAxisTitle("height").build();
        style(c);
        c.getStyler().setYAxisTicksVisible(false);
        c.getStyler().setLegendVisible(false);
        double[] a = r.a();
        double[] b = r.b();
        double lo = minimum(r)[0];
        double hi = quantile(r.loss(), 0.95);
        double span = a[a.length - 1] - a[0];
        double scale = hi > lo ? span / (hi - lo) : 1;
        double cos = 0.5 * Math.cos(Math.PI / 6);
        double sin = 0.5 * Math.sin(Math.PI / 6);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            int outer = pass == 0 ? b.length : a.length;
            int inner = pass == 0 ? a.length : b.length;
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < inner; k++) {
                    int i = pass == 0 ? k : o;
                    int j = pass == 0 ? o : k;
                    double z = Math.min(r.loss()[i][j], hi);
                    z = Double.isFinite(z) ? (z - lo) * scale : Double.NaN;
                    xs.add(a[i] + b[j] * cos);
                    ys.add(z + b[j] * sin);
                }
                xs.add(Double.NaN);
                ys.add(Double.NaN);
            }
        }
        XYSeries s = c.addSeries("surface", xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(new Color(31, 119, 180));
        s.setLineWidth(0.8f);
        return c;
    }

    private static void style(XYChart c) {
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(false);
        c.getStyler().setMarkerSize(5);
    }

    /** Iso-loss levels at evenly spaced quantiles of the finite grid values (robust to a few huge walls). */
    static double[] levels(double[][] grid) {
        double[] v = Arrays.stream(grid).flatMapToDouble(Arrays::stream).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0 || v[0] == v[v.length - 1]) {
            return new double[0];
        }
        double[] out = new double[LEVELS];
        int n = 0;
        for (int l = 0; l < LEVELS; l++) {
            double q = v[(int) Math.round((l + 0.5) / LEVELS * (v.length - 1))];
            if (n == 0 || q > out[n - 1]) {
                out[n++] = q;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static double quantile(double[][] grid, double q) {
        double[] v = Arrays.stream(grid).flatMapToDouble(Arrays::stream).filter(Double::isFinite).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[(int) Math.round(q * (v.length - 1))];
    }

    private static double[] finite(double[] y) {
        double[] out = y.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    private static Color shade(int l, int n) {
        float t = n <= 1 ? 0 : (float) l / (n - 1);
        return new Color(Color.HSBtoRGB(0.66f * (1 - t), 0.8f, 0.8f));
    }

    private static String png(Path dir, String name, XYChart chart) {
        try {
            AtomicFiles.write(dir.resolve(name), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new DriftlabException("cannot render " + name + ": " + e.getMessage(), e);
        }
        return name;
    }
}
