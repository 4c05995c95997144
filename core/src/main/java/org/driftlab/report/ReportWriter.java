package org.driftlab.report;

import java.awt.BasicStroke;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Metrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Writes {@code report.html} (self-contained: inline SVG charts and CSS, no scripts or network references) and
 * one PNG per chart into a run directory. Reads only the run's files: {@code metrics.csv} and
 * {@code provenance.json}, whose per-sub-run records hold the outcome, the edge-of-stability verdict (computed
 * once by the runner) and the data each sub-run trained on.
 */
public final class ReportWriter {
    /** The report file name. */
    public static final String HTML = "report.html";
    /** The reports' style sheet (inline: reports are offline, one file). */
    static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:1000px}"
            + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
            + ".warn{background:#fdd;border:3px solid #c00;padding:1em;font-size:1.2em;font-weight:bold}"
            + ".meta{color:#555;font-size:0.9em}svg.chart{display:block;margin:1em 0}";

    static {
        System.setProperty("java.awt.headless", "true"); // PNG rendering on machines without a display
    }

    private ReportWriter() {}

    /** Writes the report and PNGs; returns the HTML path. */
    public static Path write(Path dir) {
        if (Files.exists(dir.resolve(StudyReport.STUDY_JSON))) {
            return StudyReport.write(dir);
        }
        Path csv = dir.resolve("metrics.csv");
        if (!Files.exists(csv)) {
            throw new DriftlabException(dir + " has no metrics.csv: not a run directory, or the run has not logged yet");
        }
        Metrics t = Metrics.read(csv);
        Map<String, Object> prov = readProvenance(dir.resolve("provenance.json"));
        List<Long> runs = new ArrayList<>();
        for (double r : t.col("run")) {
            if (!runs.contains((long) r)) {
                runs.add((long) r);
            }
        }
        List<Chart> charts = charts(t, runs);

        StringBuilder html = new StringBuilder();
        String name = String.valueOf(prov.getOrDefault("experiment", dir.getFileName()));
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>driftlab report: ")
            .append(Chart.esc(name)).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>").append(Chart.esc(name)).append("</h1>\n");
        html.append("<p class=\"meta\">data: ").append(Chart.esc(dataOf(prov)))
            .append("<br>git commit: ").append(Chart.esc(String.valueOf(prov.getOrDefault("git_commit", "?"))))
            .append("; driftlab ").append(Chart.esc(String.valueOf(prov.getOrDefault("driftlab_version", "?"))))
            .append("; threads ").append(Chart.esc(String.valueOf(prov.getOrDefault("threads", "?"))))
            .append("; start ").append(Chart.esc(String.valueOf(prov.getOrDefault("start", "?"))))
            .append("; end ").append(Chart.esc(String.valueOf(prov.getOrDefault("end", "(running)")))).append("</p>\n");
        html.append(summaryTable(t, runs, prov));
        for (Chart c : charts) {
            html.append("<h2>").append(Chart.esc(c.title())).append("</h2>\n").append(c.toSvg(900, 380));
            writePng(c, dir.resolve("chart-" + c.id() + ".png"));
        }
        html.append("</body></html>\n");
        Path out = dir.resolve(HTML);
        AtomicFiles.writeString(out, html.toString());
        return out;
    }

    /** The data of the run's sub-runs as recorded per sub-run (one line when they agree), or the older single record. */
    private static String dataOf(Map<String, Object> prov) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        if (prov.get("outcomes") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && m.get("data") instanceof Map<?, ?> d) {
                    seen.add(String.valueOf(d.get("description")));
                }
            }
        }
        if (seen.isEmpty()) {
            return String.valueOf(prov.getOrDefault("data", "?"));
        }
        return String.join("; ", seen);
    }

    private static List<Chart> charts(Metrics t, List<Long> runs) {
        List<Chart.Series> loss = new ArrayList<>();
        List<Chart.Series> sharp = new ArrayList<>();
        List<Chart.Series> sharpTime = new ArrayList<>();
        List<Chart.Series> eigs = new ArrayList<>();
        List<Chart.Series> acc = new ArrayList<>();
        for (long index : runs) {
            Metrics r = t.where("run", index);
            String run = "r" + index;
            String label = run + " h=" + r.col("lr")[0];
            loss.add(new Chart.Series(label + " train", r.col("step"), r.col("train_loss"), false));
            if (r.has("test_loss")) {
                loss.add(new Chart.Series(label + " test", r.col("step"), r.col("test_loss"), true));
            }
            Metrics s = r.nonEmpty("sharpness");
            double[] edge = s.col("h").clone();
            for (int i = 0; i < edge.length; i++) {
                edge[i] = 2 / edge[i];
            }
            sharp.add(new Chart.Series(label, s.col("step"), s.col("sharpness"), false));
            sharp.add(new Chart.Series("2/h " + run, s.col("step"), edge, true));
            sharpTime.add(new Chart.Series(label, s.col("time"), s.col("sharpness"), false));
            sharpTime.add(new Chart.Series("2/h " + run, s.col("time"), edge, true));
            for (String c : t.columns()) {
                if (c.startsWith("eig_")) {
                    eigs.add(new Chart.Series(run + " λ" + c.substring(4), s.col("step"), s.col(c), false));
                }
            }
            acc.add(new Chart.Series(label + " train", r.col("step"), r.col("train_accuracy"), false));
            if (r.has("test_accuracy")) {
                acc.add(new Chart.Series(label + " test", r.col("step"), r.col("test_accuracy"), true));
            }
        }
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("loss", "Training loss E vs step", "step", "E", true, loss));
        charts.add(new Chart("sharpness", "Sharpness λ1 vs step (dashed: 2/h)", "step", "λ1", false, sharp));
        charts.add(new Chart("sharpness-time", "Sharpness λ1 vs time t = Σh", "time", "λ1", false, sharpTime));
        charts.add(new Chart("eigenvalues", "Top Hessian eigenvalues vs step", "step", "λ", false, eigs));
        charts.add(new Chart("accuracy", "Accuracy vs step", "step", "accuracy", false, acc));
        return charts;
    }

    private static String summaryTable(Metrics t, List<Long> runs, Map<String, Object> prov) {
        Map<String, Map<?, ?>> outcomes = new LinkedHashMap<>();
        if (prov.get("outcomes") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    outcomes.put(String.valueOf(m.get("run")), m);
                }
            }
        }
        StringBuilder sb = new StringBuilder("<table><tr><th>run</th><th>h</th><th>seed</th><th>2/h</th>"
                + "<th>edge of stability</th><th>step λ1 ≥ 2/h</th><th>within ±" + Math.round(100 * EdgeOfStability.TOLERANCE)
                + "% of 2/h after the first drop</th><th>median offset above 2/h</th><th>final loss</th>"
                + "<th>outcome</th></tr>\n");
        for (long index : runs) {
            String run = "r" + index;
            Metrics r = t.where("run", index);
            EdgeOfStability.Result e = EdgeOfStability.stored(prov, run); // the runner's verdict, never recomputed
            double lr = r.col("lr")[0];
            Metrics l = r.nonEmpty("train_loss");
            double finalLoss = l.size() == 0 ? Double.NaN : l.col("train_loss")[l.size() - 1];
            Map<?, ?> o = outcomes.get(run);
            String outcome = o == null ? "(running)" : o.get("outcome") + " at step " + o.get("step");
            sb.append("<tr><td>").append(run).append("</td><td>").append(Chart.fmt(lr)).append("</td><td>")
              .append((long) r.col("seed")[0]).append("</td><td>").append(Chart.fmt(2 / lr)).append("</td><td>")
              .append(e == null ? "not recorded" : Chart.esc(e.verdict())).append("</td><td>")
              .append(e == null ? "–" : e.reached() ? Long.toString(e.firstStep()) : "never").append("</td><td>")
              .append(e != null && e.probes() > 0 ? String.format(java.util.Locale.ROOT, "%.0f%% of %d", 100 * e.shareAtEdge(), e.probes()) : "–")
              .append("</td><td>")
              .append(e != null && e.probes() > 0 ? String.format(java.util.Locale.ROOT, "%+.1f%%", 100 * e.medianOffset()) : "–")
              .append("</td><td>").append(Chart.fmt(finalLoss)).append("</td><td>").append(Chart.esc(outcome))
              .append("</td></tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** Renders one chart to a PNG (XChart), written atomically. */
    static void writePng(Chart c, Path file) {
        XYChart x = new XYChartBuilder().width(900).height(420).title(c.title()).xAxisTitle(c.xLabel())
                .yAxisTitle(c.yLabel()).build();
        x.getStyler().setYAxisLogarithmic(c.logY());
        x.getStyler().setXAxisLogarithmic(c.logX());
        x.getStyler().setMarkerSize(5);
        int[] colours = c.colourIndices();
        int added = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int si = 0; si < c.series().size(); si++) {
            Chart.Series s = c.series().get(si);
            java.awt.Color colour = java.awt.Color.decode(Chart.colour(colours[si]));
            double[][] edges = s.style() == Chart.Style.BAND ? new double[][] {s.y(), s.y2()} : new double[][] {s.y()};
            for (int e = 0; e < edges.length; e++) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int i = 0; i < s.x().length; i++) {
                    if (c.plottable(s, i)) {
                        xs.add(s.x()[i]);
                        ys.add(edges[e][i]);
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                String name = s.name() + (edges.length > 1 ? (e == 0 ? " (lower)" : " (upper)") : "");
                while (!names.add(name)) {
                    name = name + " ";
                }
                XYSeries xy = x.addSeries(name, xs, ys);
                if (s.style() == Chart.Style.POINTS) {
                    xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    xy.setMarker(SeriesMarkers.CIRCLE);
                    xy.setMarkerColor(colour);
                } else {
                    xy.setMarker(SeriesMarkers.NONE);
                    xy.setLineColor(s.style() == Chart.Style.BAND
                            ? new java.awt.Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 110) : colour);
                    if (s.dashed()) {
                        xy.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                    } else if (s.style() == Chart.Style.BAND) {
                        xy.setLineStyle(new BasicStroke(1f));
                    }
                }
                added++;
            }
        }
        if (added == 0) {
            x.getStyler().setYAxisLogarithmic(false);
            x.getStyler().setXAxisLogarithmic(false);
            x.addSeries("no data", new double[] {0}, new double[] {0});
        }
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(x, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(file, os -> os.write(png));
        } catch (IOException e) {
            throw new DriftlabException("cannot render " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readProvenance(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            return o instanceof Map ? (Map<String, Object>) o : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }
}
