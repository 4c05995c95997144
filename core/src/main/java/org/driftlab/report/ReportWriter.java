package org.driftlab.report;

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
import org.driftlab.chart.Chart;
import org.driftlab.chart.ChartRenderer;
import org.driftlab.chart.Html;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Metrics;

/**
 * Writes {@code report.html} (self-contained: inline SVG charts and CSS, no scripts or network references) and each
 * chart as PNG, SVG and PDF into a run directory, all drawn by the one renderer ({@link ChartRenderer}). Reads only
 * the run's files: {@code metrics.csv} and {@code provenance.json}, whose per-sub-run records hold the outcome, the
 * edge-of-stability verdict (computed once by the runner) and the data each sub-run trained on.
 */
public final class ReportWriter {
    /** The report file name. */
    public static final String HTML = "report.html";

    private ReportWriter() {}

    /** Writes the report and its charts; returns the HTML path. */
    public static Path write(Path dir) {
        if (Files.exists(dir.resolve(StudyReport.STUDY_JSON))) {
            return StudyReport.write(dir);
        }
        Metrics t = metrics(dir);
        Map<String, Object> prov = readProvenance(dir.resolve("provenance.json"));
        List<Long> runs = runs(t);
        StringBuilder html = new StringBuilder();
        String name = String.valueOf(prov.getOrDefault("experiment", dir.getFileName()));
        html.append("<h1>").append(Html.escape(name)).append("</h1>\n");
        html.append("<p class=\"meta\">data: ").append(Html.escape(dataOf(prov)))
            .append("<br>git commit: ").append(Html.escape(String.valueOf(prov.getOrDefault("git_commit", "?"))))
            .append("; driftlab ").append(Html.escape(String.valueOf(prov.getOrDefault("driftlab_version", "?"))))
            .append("; threads ").append(Html.escape(String.valueOf(prov.getOrDefault("threads", "?"))))
            .append("; start ").append(Html.escape(String.valueOf(prov.getOrDefault("start", "?"))))
            .append("; end ").append(Html.escape(String.valueOf(prov.getOrDefault("end", "(running)")))).append("</p>\n");
        html.append(summaryTable(t, runs, prov));
        for (Chart c : charts(t, runs)) {
            html.append(ChartRenderer.writeFigure(c, dir));
        }
        return Html.write(dir.resolve(HTML), "driftlab report: " + name, html.toString());
    }

    /** The charts of a run directory, as {@link #write} draws them. */
    static List<Chart> charts(Path dir) {
        Metrics t = metrics(dir);
        return charts(t, runs(t));
    }

    private static Metrics metrics(Path dir) {
        Path csv = dir.resolve("metrics.csv");
        if (!Files.exists(csv)) {
            throw new DriftlabException(dir + " has no metrics.csv: not a run directory, or the run has not logged yet");
        }
        return Metrics.read(csv);
    }

    private static List<Long> runs(Metrics t) {
        List<Long> runs = new ArrayList<>();
        for (double r : t.col("run")) {
            if (!runs.contains((long) r)) {
                runs.add((long) r);
            }
        }
        return runs;
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

    /**
     * One chart per quantity, one series per sub-run in every chart (a sub-run keeps its colour and line pattern
     * across the charts): training loss, test loss, λ1 against step and against t = Σh with each sub-run's 2/h and
     * its edge band, the top eigenvalues, accuracies. Quantities the run did not log give no chart.
     */
    static List<Chart> charts(Metrics t, List<Long> runs) {
        List<Chart.Series> loss = new ArrayList<>();
        List<Chart.Series> testLoss = new ArrayList<>();
        List<Chart.Series> sharp = new ArrayList<>();
        List<Chart.Series> sharpTime = new ArrayList<>();
        List<Chart.Series> eigs = new ArrayList<>();
        List<Chart.Series> acc = new ArrayList<>();
        List<Chart.Series> testAcc = new ArrayList<>();
        int percent = (int) Math.round(100 * EdgeOfStability.TOLERANCE);
        for (long index : runs) {
            Metrics r = t.where("run", index);
            String run = "r" + index;
            String label = run + " h=" + Html.number(r.col("lr")[0]);
            Metrics l = r.nonEmpty("train_loss");
            loss.add(new Chart.Series(label, l.col("step"), l.col("train_loss"), Chart.Style.LINE, run));
            if (r.has("test_loss")) {
                Metrics tl = r.nonEmpty("test_loss");
                testLoss.add(new Chart.Series(label, tl.col("step"), tl.col("test_loss"), Chart.Style.LINE, run));
            }
            Metrics s = r.nonEmpty("sharpness");
            if (s.size() > 0) {
                double[] h = s.col("h");
                double[] edge = new double[h.length];
                double[] below = new double[h.length];
                double[] above = new double[h.length];
                for (int i = 0; i < h.length; i++) {
                    edge[i] = 2 / h[i];
                    below[i] = edge[i] * (1 - EdgeOfStability.TOLERANCE);
                    above[i] = edge[i] * (1 + EdgeOfStability.TOLERANCE);
                }
                for (String x : new String[] {"step", "time"}) {
                    List<Chart.Series> to = x.equals("step") ? sharp : sharpTime;
                    to.add(Chart.Series.band("2/h ± " + percent + "% " + run, s.col(x), below, above, run));
                    to.add(new Chart.Series(label, s.col(x), s.col("sharpness"), Chart.Style.LINE, run));
                    to.add(new Chart.Series("2/h " + run, s.col(x), edge, Chart.Style.DASHED, run));
                }
                for (String c : t.columns()) {
                    if (c.startsWith("eig_")) {
                        eigs.add(new Chart.Series(run + " λ" + c.substring(4), s.col("step"), s.col(c), Chart.Style.LINE,
                                run + c));
                    }
                }
            }
            if (r.has("train_accuracy")) {
                Metrics a = r.nonEmpty("train_accuracy");
                acc.add(new Chart.Series(label, a.col("step"), a.col("train_accuracy"), Chart.Style.LINE, run));
            }
            if (r.has("test_accuracy")) {
                Metrics a = r.nonEmpty("test_accuracy");
                testAcc.add(new Chart.Series(label, a.col("step"), a.col("test_accuracy"), Chart.Style.LINE, run));
            }
        }
        String edgeWords = "dashed: 2/h of the sub-run of the same colour; shaded: 2/h ± " + percent + "%, the band in "
                + "which a probe counts as at the edge of stability (the verdict in the table)";
        List<Chart> charts = new ArrayList<>();
        add(charts, Chart.of("loss", "Training loss E vs step").axes("step", "E").scales(Chart.Scale.LINEAR, Chart.Scale.AUTO)
                .addAll(loss).caption("The full-batch training loss at each probe of every sub-run."));
        add(charts, Chart.of("test-loss", "Test loss vs step").axes("step", "E (test)")
                .scales(Chart.Scale.LINEAR, Chart.Scale.AUTO).addAll(testLoss)
                .caption("The loss on the held-out set at each probe."));
        add(charts, Chart.of("sharpness", "Sharpness λ1 vs step").axes("step", "λ1").addAll(sharp)
                .caption("λ1, the top Hessian eigenvalue (Lanczos), of every sub-run; " + edgeWords + "."));
        add(charts, Chart.of("sharpness-time", "Sharpness λ1 vs time t = Σh").axes("t = Σh", "λ1").addAll(sharpTime)
                .caption("λ1 against the time of gradient flow that the steps cover (runs with different h align at "
                        + "equal t); " + edgeWords + "."));
        add(charts, Chart.of("eigenvalues", "Top Hessian eigenvalues vs step").axes("step", "λ").addAll(eigs)
                .caption("The top eigenvalues λ1 ≥ λ2 ≥ … of the Hessian at each probe."));
        add(charts, Chart.of("accuracy", "Training accuracy vs step").axes("step", "accuracy").addAll(acc)
                .caption("The share of training examples classified correctly."));
        add(charts, Chart.of("test-accuracy", "Test accuracy vs step").axes("step", "accuracy (test)").addAll(testAcc)
                .caption("The share of held-out examples classified correctly."));
        return charts;
    }

    /** Adds the chart unless it has nothing to draw; a caption says when an automatic axis came out logarithmic. */
    private static void add(List<Chart> charts, Chart.Builder b) {
        Chart c = b.build();
        if (c.isEmpty()) {
            return;
        }
        if (c.yScale() == Chart.Scale.AUTO && c.drawnLogY()) {
            c = c.withCaption(c.caption() + " Logarithmic axis: the values span more than " + Html.number(Chart.AUTO_LOG_DECADES)
                    + " decades.");
        }
        charts.add(c);
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
            EdgeOfStability.Verdict v = EdgeOfStability.stored(prov, run); // the runner's verdict, never recomputed
            double lr = r.col("lr")[0];
            Metrics l = r.nonEmpty("train_loss");
            double finalLoss = l.size() == 0 ? Double.NaN : l.col("train_loss")[l.size() - 1];
            Map<?, ?> o = outcomes.get(run);
            String outcome = o == null ? "(running)" : o.get("outcome") + " at step " + o.get("step");
            // one row per phase of constant h (a step schedule's drops), each against its own 2/h
            List<EdgeOfStability.Phase> phases = v == null ? java.util.Collections.singletonList(null) : v.phases();
            for (EdgeOfStability.Phase p : phases) {
                EdgeOfStability.Result e = p == null ? null : p.result();
                double h = p == null || phases.size() == 1 || Double.isNaN(p.h()) ? lr : p.h();
                String label = phases.size() == 1 ? run : run + " from step " + p.from();
                sb.append("<tr><td>").append(Html.escape(label)).append("</td><td>").append(Html.number(h)).append("</td><td>")
                  .append((long) r.col("seed")[0]).append("</td><td>").append(Html.number(2 / h)).append("</td><td>")
                  .append(e == null ? "not recorded" : Html.escape(e.verdict())).append("</td><td>")
                  .append(e == null ? "–" : e.reached() ? Long.toString(e.firstStep()) : "never").append("</td><td>")
                  .append(e != null && e.probes() > 0 ? String.format(java.util.Locale.ROOT, "%.0f%% of %d", 100 * e.shareAtEdge(), e.probes()) : "–")
                  .append("</td><td>")
                  .append(e != null && e.probes() > 0 ? String.format(java.util.Locale.ROOT, "%+.1f%%", 100 * e.medianOffset()) : "–")
                  .append("</td><td>").append(Html.number(finalLoss)).append("</td><td>").append(Html.escape(outcome))
                  .append("</td></tr>\n");
            }
        }
        return sb.append("</table>\n").toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readProvenance(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object o = org.driftlab.experiment.SpecLoader.yaml().load(r);
            return o instanceof Map ? (Map<String, Object>) o : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }
}
