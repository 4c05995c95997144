package org.driftlab.landscape;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.driftlab.chart.Chart;
import org.driftlab.chart.ChartRenderer;
import org.driftlab.chart.Html;

/**
 * The landscape's report: {@code report.html} with charts drawn by the one chart renderer (inline SVG, and each chart
 * as PNG, SVG and PDF). A plane gets a contour plot (iso-loss lines by marching squares, with the run's trajectory
 * and the centre θ, equal units on a and b) and a surface plot (the grid as a wireframe in an oblique projection); a
 * line gets loss and accuracy against a. XChart has neither contours nor 3-D surfaces, so both are reduced here to
 * line series.
 */
final class LandscapeReport {
    /** Number of iso-loss levels. */
    static final int LEVELS = 14;

    private LandscapeReport() {}

    static void write(Path dir, LandscapeSpec spec, Landscape.Result r) {
        List<Chart> charts = charts(r);
        StringBuilder h = new StringBuilder();
        h.append("<h1>Loss landscape</h1><p>").append(Html.escape(r.description())).append("</p><p>")
                .append(Html.escape(spec.describe())).append("</p><table>");
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
        for (Chart c : charts) {
            h.append(ChartRenderer.writeFigure(c, dir));
        }
        h.append("<p>Grid values: landscape.npz (a, b, loss[i, j] at θ + a[i]·d₁ + b[j]·d₂, accuracy");
        if (r.trajectory() != null) {
            h.append(", trajectory_a, trajectory_b");
        }
        h.append("); directions: directions.npz.</p>\n");
        Html.write(dir.resolve("report.html"), "driftlab landscape", h.toString());
    }

    /** The charts of a landscape: a line's loss (and accuracy), or a plane's contours and surface. */
    static List<Chart> charts(Landscape.Result r) {
        List<Chart> charts = new ArrayList<>();
        if (r.b().length == 1) {
            charts.add(line(r, false));
            if (hasAccuracy(r)) {
                charts.add(line(r, true));
            }
        } else {
            charts.add(contour(r));
            charts.add(surface(r));
        }
        return charts;
    }

    private static void row(StringBuilder h, String k, double v) {
        h.append("<tr><td class=\"l\">").append(Html.escape(k)).append("</td><td>").append(String.format(Locale.ROOT, "%.6g", v))
                .append("</td></tr>");
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

    private static Chart line(Landscape.Result r, boolean accuracy) {
        double[] y = new double[r.a().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = accuracy ? r.accuracy()[i][0] : r.loss()[i][0];
        }
        return Chart.of(accuracy ? "landscape-accuracy" : "landscape-line", accuracy ? "Accuracy along d₁" : "Loss along d₁")
                .axes("a", accuracy ? "accuracy" : "E(θ + a·d₁)")
                .scales(Chart.Scale.LINEAR, accuracy ? Chart.Scale.LINEAR : Chart.Scale.AUTO)
                .line("", r.a(), y, null)
                .caption(accuracy ? "The accuracy at θ + a·d₁ for a on the grid."
                        : "The loss at θ + a·d₁ for a on the grid (a = 0 is θ); points that did not evaluate to a finite "
                                + "loss leave a gap.").build();
    }

    private static Chart contour(Landscape.Result r) {
        Chart.Builder c = Chart.of("landscape-contour", "Loss contours").axes("a (along d₁)", "b (along d₂)")
                .equalAspect(true).size(900, 760);
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
            boolean legend = l % 3 == 0 || l == levels.length - 1;
            c.add(new Chart.Series(legend ? String.format(Locale.ROOT, "E = %.4g", levels[l]) : "", xs, ys, null,
                    Chart.Style.LINE, null, shade(l, levels.length)));
        }
        if (r.trajectory() != null) {
            c.add(new Chart.Series("trajectory", r.trajectory()[0], r.trajectory()[1], null, Chart.Style.PATH, null,
                    Color.BLACK));
        }
        c.add(new Chart.Series("θ", new double[] {0}, new double[] {0}, null, Chart.Style.POINTS, null, Color.RED));
        return c.caption("Iso-loss lines at " + levels.length + " levels (evenly spaced quantiles of the grid's losses), "
                + "coloured from the lowest (blue) to the highest (red); the red marker is θ"
                + (r.trajectory() != null ? ", the black path the run's saved iterates projected on the plane" : "")
                + ". Equal units on a and b.").build();
    }

    /**
     * The grid as a wireframe in an oblique projection: screen x = a + ½b·cos 30°, screen y = z + ½b·sin 30° with z
     * the loss rescaled to the span of a (clipped at its 95th percentile so one wall does not flatten the rest).
     */
    private static Chart surface(Landscape.Result r) {
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
        return Chart.of("landscape-surface", "Loss surface (wireframe, oblique view)").axes("a + ½b·cos 30°", "height")
                .size(900, 620).yTickLabels(false)
                .add(new Chart.Series("", xs.stream().mapToDouble(Double::doubleValue).toArray(),
                        ys.stream().mapToDouble(Double::doubleValue).toArray(), null, Chart.Style.LINE, null,
                        new Color(31, 119, 180)))
                .caption("The loss over the plane as a wireframe seen obliquely: the height is the loss rescaled to the "
                        + "span of a and clipped at its 95th percentile, so it has no unit of its own.").build();
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

    private static Color shade(int l, int n) {
        float t = n <= 1 ? 0 : (float) l / (n - 1);
        return new Color(Color.HSBtoRGB(0.66f * (1 - t), 0.8f, 0.8f));
    }
}
