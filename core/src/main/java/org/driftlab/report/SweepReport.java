package org.driftlab.report;

import java.io.IOException;
import java.io.Reader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.driftlab.DriftlabException;
import org.driftlab.chart.Chart;
import org.driftlab.chart.ChartRenderer;
import org.driftlab.chart.Html;
import org.driftlab.sweep.MemberSummary;
import org.driftlab.sweep.SweepDirectory;

/**
 * The comparison report of several runs: the members of a sweep ({@link #write(Path)}, from its sweep.csv) or any
 * run directories ({@link #compare(List, Path)}, their axes being the spec keys on which they differ). One page,
 * offline, with each chart also as PNG, SVG and PDF:
 * <ul>
 *   <li>sharpness λ1 vs step of every member (each its own colour and line pattern) with the 2/h of each learning
 *       rate (dashed); λ1·h/2 vs step,
 *       where every member at the edge of stability sits at 1; the training loss vs step;</li>
 *   <li>each final or summary metric against each numeric axis, members that differ only in their seed averaged:
 *       mean and a band of ± one standard error (the members as points); against h, sharpness charts add 2/h;</li>
 *   <li>a table of the members: axis values, outcome, wall time, final metrics, a link to each member's own report.</li>
 * </ul>
 * All chart building is here; the drawing is the one renderer's ({@link ChartRenderer}: inline SVG, PNG, SVG, PDF).
 */
public final class SweepReport {
    /** Summary metrics drawn against the axes, in this order, when members have them. */
    static final List<String> AXIS_METRICS = List.of("final_train_loss", "final_sharpness", "max_sharpness",
            "final_test_loss", "final_test_accuracy", "final_train_accuracy", "edge_share");

    private SweepReport() {}

    /** One run in the comparison. */
    record Entry(String id, Path dir, String runTag, Map<String, String> axes, String outcome, String message,
                 double wallSeconds, Map<String, Double> summary) {}

    /** Writes report.html of a sweep directory (and each member's own report); returns its path. */
    public static Path write(Path sweepDir) {
        Members members = read(sweepDir);
        List<String> axes = members.axes();
        List<Entry> entries = members.entries();
        for (Entry e : entries) {
            if (Files.exists(e.dir().resolve("metrics.csv")) || Files.exists(e.dir().resolve(StudyReport.STUDY_JSON))) {
                ReportWriter.write(e.dir());
            }
        }
        Map<String, Object> prov = ReportWriter.readProvenance(sweepDir.resolve(SweepDirectory.PROVENANCE));
        String name = String.valueOf(prov.getOrDefault("experiment", sweepDir.getFileName()));
        String meta = "sweep of " + prov.getOrDefault("members", entries.size()) + " members over "
                + (axes.isEmpty() ? "no axes" : String.join(" × ", axes)) + "; engine "
                + prov.getOrDefault("engine", "?") + "<br>git commit " + prov.getOrDefault("git_commit", "?")
                + "; driftlab " + prov.getOrDefault("driftlab_version", "?") + "; start " + prov.getOrDefault("start", "?")
                + "; end " + prov.getOrDefault("end", "(running)");
        return render(name, meta, axes, entries, sweepDir, true);
    }

    /** The charts of a sweep directory's report, as built (tests read the drawn numbers back from them). */
    static List<Chart> charts(Path sweepDir) {
        Members members = read(sweepDir);
        return charts(members.axes(), members.entries());
    }

    /** A sweep's axes (the columns before member in sweep.csv) and its members. */
    private record Members(List<String> axes, List<Entry> entries) {}

    private static Members read(Path sweepDir) {
        Path csv = sweepDir.resolve(SweepDirectory.CSV);
        if (!Files.exists(csv)) {
            throw new DriftlabException(sweepDir + " has no " + SweepDirectory.CSV + ": not a sweep directory");
        }
        List<String> axes = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            List<String> cols = p.getHeaderNames();
            int member = cols.indexOf("member");
            axes.addAll(cols.subList(0, Math.max(0, member)));
            List<String> metrics = cols.subList(Math.min(cols.size(), member + SweepDirectory.FIXED_COLUMNS.size()),
                    cols.size());
            for (CSVRecord rec : p) {
                Map<String, String> a = new LinkedHashMap<>();
                axes.forEach(k -> a.put(k, rec.get(k)));
                Map<String, Double> summary = new LinkedHashMap<>();
                for (String m : metrics) {
                    if (!rec.get(m).isEmpty()) {
                        summary.put(m, Double.parseDouble(rec.get(m)));
                    }
                }
                String id = rec.get("member");
                entries.add(new Entry(id, sweepDir.resolve(SweepDirectory.MEMBERS).resolve(id), "r0", a,
                        rec.get("outcome"), rec.get("message"), parse(rec.get("wall_seconds")), summary));
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        return new Members(axes, entries);
    }

    /**
     * Writes a comparison report of run directories into out (created if needed); the axes are the resolved spec
     * keys whose values differ between the runs, and a directory of several sub-runs contributes each of them.
     */
    public static Path compare(List<Path> runDirs, Path out) {
        List<Map<String, String>> flat = new ArrayList<>();
        List<Entry> raw = new ArrayList<>();
        for (Path d : runDirs) {
            if (!Files.exists(d.resolve("metrics.csv"))) {
                throw new DriftlabException(d + " has no metrics.csv: 'report A B …' compares training runs");
            }
            Map<String, String> spec = new TreeMap<>();
            flatten("", ReportWriter.readProvenance(d.resolve("spec.yaml")), spec);
            CsvTable t = CsvTable.read(d.resolve("metrics.csv"));
            List<String> tags = t.distinct("run");
            Map<String, Object> prov = ReportWriter.readProvenance(d.resolve("provenance.json"));
            for (String tag : tags) {
                Map<String, String> s = new TreeMap<>(spec);
                s.remove("lrs");
                s.remove("seeds");
                CsvTable rows = t.where("run", tag);
                s.put("optimizer.lr", rows.first("lr"));
                s.put("seed", rows.first("seed"));
                flat.add(s);
                String id = d.getFileName() + (tags.size() > 1 ? ":" + tag : "");
                raw.add(new Entry(id, d, tag, Map.of(), outcomeOf(prov, tag), "", Double.NaN,
                        MemberSummary.training(d, Integer.parseInt(tag.substring(1)))));
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        flat.forEach(m -> keys.addAll(m.keySet()));
        List<String> axes = new ArrayList<>();
        for (String k : keys) {
            if (k.equals("name") || k.equals("description")) {
                continue;
            }
            if (flat.stream().map(m -> m.getOrDefault(k, "")).distinct().count() > 1) {
                axes.add(k);
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Map<String, String> a = new LinkedHashMap<>();
            for (String k : axes) {
                a.put(k, flat.get(i).getOrDefault(k, ""));
            }
            Entry e = raw.get(i);
            entries.add(new Entry(e.id(), e.dir(), e.runTag(), a, e.outcome(), "", Double.NaN, e.summary()));
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new DriftlabException("cannot create " + out + ": " + e.getMessage(), e);
        }
        String meta = "comparison of " + entries.size() + " runs: " + String.join(", ", runDirs.stream()
                .map(Path::toString).toList()) + "<br>they differ in " + (axes.isEmpty() ? "nothing" : String.join(", ", axes));
        return render("comparison", meta, axes, entries, out, false);
    }

    private static String outcomeOf(Map<String, Object> prov, String tag) {
        if (prov.get("outcomes") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && tag.equals(String.valueOf(m.get("run")))) {
                    return String.valueOf(m.get("outcome"));
                }
            }
        }
        return "(running)";
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object v, Map<String, String> out) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                flatten(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, String.valueOf(v));
        }
    }

    private static double parse(String s) {
        return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    // ------------------------------------------------------------------ page

    private static Path render(String name, String meta, List<String> axes, List<Entry> entries, Path dir,
                               boolean memberLinks) {
        List<Chart> charts = charts(axes, entries);
        StringBuilder html = new StringBuilder();
        html.append("<h1>").append(Html.escape(name)).append("</h1>\n<p class=\"meta\">").append(meta).append("</p>\n");
        Map<String, Integer> counts = new TreeMap<>();
        entries.forEach(e -> counts.merge(e.outcome(), 1, Integer::sum));
        html.append("<p>").append(Html.escape(counts.entrySet().stream().map(c -> c.getValue() + " " + c.getKey())
                .reduce((a, b) -> a + ", " + b).orElse("no members finished yet"))).append("</p>\n");
        for (Chart c : charts) {
            html.append(ChartRenderer.writeFigure(c, dir));
        }
        html.append("<h2>Members</h2>\n").append(table(axes, entries, memberLinks));
        return Html.write(dir.resolve(ReportWriter.HTML), "driftlab report: " + name, html.toString());
    }

    private static String table(List<String> axes, List<Entry> entries, boolean memberLinks) {
        Set<String> metrics = new LinkedHashSet<>();
        entries.forEach(e -> metrics.addAll(e.summary().keySet()));
        StringBuilder sb = new StringBuilder("<div class=\"scroll\"><table><tr>");
        axes.forEach(a -> sb.append("<th>").append(Html.escape(a)).append("</th>"));
        sb.append("<th class=\"l\">member</th><th class=\"l\">outcome</th><th>wall s</th>");
        metrics.forEach(m -> sb.append("<th>").append(Html.escape(m)).append("</th>"));
        sb.append("</tr>\n");
        for (Entry e : entries) {
            sb.append("<tr>");
            axes.forEach(a -> sb.append("<td>").append(Html.escape(e.axes().get(a))).append("</td>"));
            String report = memberLinks ? SweepDirectory.MEMBERS + "/" + URLEncoder.encode(e.id(), StandardCharsets.UTF_8)
                    .replace("+", "%20") + "/" + ReportWriter.HTML : e.dir().toAbsolutePath().resolve(ReportWriter.HTML).toUri().toString();
            sb.append("<td class=\"l\"><a href=\"").append(Html.escape(report)).append("\">").append(Html.escape(e.id()))
              .append("</a></td><td class=\"l\">").append(Html.escape(e.outcome()))
              .append(e.message().isEmpty() ? "" : ": " + Html.escape(e.message())).append("</td><td>")
              .append(Double.isNaN(e.wallSeconds()) ? "–" : String.format(Locale.ROOT, "%.1f", e.wallSeconds())).append("</td>");
            metrics.forEach(m -> sb.append("<td>").append(e.summary().containsKey(m) ? Html.number(e.summary().get(m)) : "")
                    .append("</td>"));
            sb.append("</tr>\n");
        }
        return sb.append("</table></div>\n").toString();
    }

    // ------------------------------------------------------------------ charts

    /** The axis whose value colours the trajectories: h when swept, else the first axis that is not a seed. */
    private static String colourAxis(List<String> axes) {
        for (String a : axes) {
            if (isRate(a)) {
                return a;
            }
        }
        return axes.stream().filter(a -> !isSeed(a)).findFirst().orElse(null);
    }

    static boolean isSeed(String axis) {
        return axis.equals("seed") || axis.endsWith(".seed");
    }

    static boolean isRate(String axis) {
        return axis.equals("optimizer.lr") || axis.endsWith(".lr") || axis.equals("lr") || axis.endsWith(".h");
    }

    private static List<Chart> charts(List<String> axes, List<Entry> entries) {
        List<Chart> charts = new ArrayList<>(trajectoryCharts(axes, entries));
        charts.addAll(axisCharts(axes, entries));
        return charts;
    }

    private static List<Chart> trajectoryCharts(List<String> axes, List<Entry> entries) {
        String colourBy = colourAxis(axes);
        List<Chart.Series> sharp = new ArrayList<>();
        List<Chart.Series> ratio = new ArrayList<>();
        List<Chart.Series> loss = new ArrayList<>();
        Set<String> edges = new LinkedHashSet<>();
        for (Entry e : entries) {
            Path csv = e.dir().resolve("metrics.csv");
            if (!Files.exists(csv)) {
                continue;
            }
            CsvTable t = CsvTable.read(csv).where("run", e.runTag());
            if (t.size() == 0) {
                continue;
            }
            String key = e.id(); // one colour and line pattern per member
            CsvTable l = t.nonEmpty("train_loss");
            loss.add(new Chart.Series(e.id(), l.col("step"), l.col("train_loss"), Chart.Style.LINE, key));
            CsvTable s = t.nonEmpty("sharpness");
            if (s.size() == 0) {
                continue;
            }
            double[] lambda = s.col("sharpness");
            double[] h = s.col("h");
            double[] edge = new double[h.length];
            double[] r = new double[h.length];
            for (int i = 0; i < h.length; i++) {
                edge[i] = 2 / h[i];
                r[i] = lambda[i] * h[i] / 2;
            }
            sharp.add(new Chart.Series(e.id(), s.col("step"), lambda, Chart.Style.LINE, key));
            ratio.add(new Chart.Series(e.id(), s.col("step"), r, Chart.Style.LINE, key));
            // one dashed 2/h per distinct schedule of h (members of one h share it)
            String edgeKey = java.util.Arrays.toString(h);
            if (edges.add(edgeKey)) {
                // in the colour of the first member with this h
                String edgeName = "2/h " + (colourBy == null ? e.id() : e.axes().get(colourBy));
                sharp.add(new Chart.Series(edgeName, s.col("step"), edge, Chart.Style.DASHED, key));
            }
        }
        List<Chart> charts = new ArrayList<>();
        if (!sharp.isEmpty()) {
            charts.add(Chart.of("sweep-sharpness", "Sharpness λ1 vs step, every member (dashed: 2/h)").axes("step", "λ1")
                    .addAll(sharp).caption("λ1 of every member, each in its own colour and line pattern; dashed: 2/h of "
                            + "each learning rate, in the colour of the first member with that h.").build());
            ratio.add(Chart.Series.hline("edge of stability: λ1 = 2/h", 1, "edge"));
            charts.add(Chart.of("sweep-sharpness-ratio", "λ1 / (2/h) vs step: 1 is the edge of stability")
                    .axes("step", "λ1·h/2").addAll(ratio).caption("λ1·h/2 of every member: a member at the edge of "
                            + "stability hovers at the dashed line 1, whatever its h.").build());
        }
        if (!loss.isEmpty()) {
            charts.add(Chart.of("sweep-loss", "Training loss E vs step, every member").axes("step", "E")
                    .scales(Chart.Scale.LINEAR, Chart.Scale.AUTO).addAll(loss)
                    .caption("The full-batch training loss of every member.").build());
        }
        return charts;
    }

    /** Each summary metric against each numeric axis; members that differ only by seed give a mean ± s.e. band. */
    private static List<Chart> axisCharts(List<String> axes, List<Entry> entries) {
        List<Chart> charts = new ArrayList<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (String m : AXIS_METRICS) {
            if (entries.stream().anyMatch(e -> e.summary().containsKey(m))) {
                metrics.add(m);
            }
        }
        if (metrics.isEmpty()) { // a sweep of studies: their own numeric summaries
            entries.forEach(e -> e.summary().keySet().stream().limit(6).forEach(metrics::add));
        }
        for (String axis : axes) {
            if (isSeed(axis) || !numeric(entries, axis) || entries.stream().map(e -> e.axes().get(axis)).distinct().count() < 2) {
                continue;
            }
            List<String> others = axes.stream().filter(a -> !a.equals(axis) && !isSeed(a)).toList();
            double[] xr = entries.stream().mapToDouble(e -> Double.parseDouble(e.axes().get(axis))).toArray();
            double min = java.util.Arrays.stream(xr).min().orElse(1);
            double max = java.util.Arrays.stream(xr).max().orElse(1);
            boolean logX = min > 0 && max / min >= 10;
            for (String metric : metrics) {
                List<Chart.Series> series = new ArrayList<>();
                Map<String, List<Entry>> groups = new LinkedHashMap<>();
                for (Entry e : entries) {
                    if (e.summary().containsKey(metric)) {
                        String g = others.stream().map(o -> o + "=" + e.axes().get(o)).reduce((a, b) -> a + ", " + b).orElse("");
                        groups.computeIfAbsent(g, k -> new ArrayList<>()).add(e);
                    }
                }
                boolean positive = true;
                for (Map.Entry<String, List<Entry>> g : groups.entrySet()) {
                    TreeMap<Double, List<Double>> byX = new TreeMap<>();
                    for (Entry e : g.getValue()) {
                        double v = e.summary().get(metric);
                        byX.computeIfAbsent(Double.parseDouble(e.axes().get(axis)), k -> new ArrayList<>()).add(v);
                        positive &= !(v <= 0);
                    }
                    double[] x = new double[byX.size()];
                    double[] mean = new double[x.length];
                    double[] lo = new double[x.length];
                    double[] hi = new double[x.length];
                    List<double[]> points = new ArrayList<>();
                    boolean band = false;
                    int i = 0;
                    for (Map.Entry<Double, List<Double>> p : byX.entrySet()) {
                        x[i] = p.getKey();
                        double[] mse = meanAndStandardError(p.getValue());
                        mean[i] = mse[0];
                        lo[i] = mse[0] - mse[1];
                        hi[i] = mse[0] + mse[1];
                        band |= p.getValue().size() > 1;
                        p.getValue().forEach(v -> points.add(new double[] {p.getKey(), v}));
                        i++;
                    }
                    String label = g.getKey().isEmpty() ? metric : g.getKey();
                    String key = "g:" + g.getKey();
                    if (band) {
                        series.add(Chart.Series.band(label + " ± s.e.", x, lo, hi, key));
                    }
                    series.add(new Chart.Series(label + (band ? " (mean over seeds)" : ""), x, mean, Chart.Style.LINE, key));
                    series.add(new Chart.Series(label + " members", points.stream().mapToDouble(p -> p[0]).toArray(),
                            points.stream().mapToDouble(p -> p[1]).toArray(), Chart.Style.POINTS, key));
                }
                if (isRate(axis) && metric.contains("sharpness")) {
                    int n = 64;
                    double[] x = new double[n];
                    double[] y = new double[n];
                    for (int i = 0; i < n; i++) {
                        x[i] = logX ? min * Math.pow(max / min, (double) i / (n - 1)) : min + (max - min) * i / (n - 1);
                        y[i] = 2 / x[i];
                    }
                    series.add(new Chart.Series("2/h", x, y, Chart.Style.DASHED, "2/h"));
                }
                // the title and caption say what is drawn: a band only where some x has several seeds
                boolean seeds = series.stream().anyMatch(x -> x.style() == Chart.Style.BAND);
                boolean edge = series.stream().anyMatch(x -> x.style() == Chart.Style.DASHED);
                charts.add(Chart.of("axis-" + slug(metric) + "-vs-" + slug(axis), metric + " vs " + axis
                        + (seeds ? " (band: mean ± s.e. over seeds)" : "")).axes(axis, metric)
                        .scales(logX ? Chart.Scale.LOG : Chart.Scale.LINEAR,
                                positive && metric.contains("loss") ? Chart.Scale.AUTO : Chart.Scale.LINEAR)
                        .addAll(series).caption((seeds ? "Members that differ only in their seed: mean (line), ± one "
                                + "standard error of the mean (shaded) and each member (markers)"
                                : "Each member (markers, joined by a line)") + (edge ? "; dashed: 2/h." : ".")).build());
            }
        }
        return charts;
    }

    private static boolean numeric(List<Entry> entries, String axis) {
        for (Entry e : entries) {
            try {
                Double.parseDouble(e.axes().get(axis));
            } catch (NumberFormatException | NullPointerException x) {
                return false;
            }
        }
        return true;
    }

    /** {mean, standard error of the mean} of the finite values (s.e. 0 for one value, NaN for none). */
    static double[] meanAndStandardError(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length == 1) {
            return new double[] {mean, 0};
        }
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (v.length - 1) / v.length)};
    }

    private static String slug(String s) {
        return s.replaceAll("[^A-Za-z0-9]+", "-");
    }
}
