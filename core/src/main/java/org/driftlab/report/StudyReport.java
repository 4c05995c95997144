package org.driftlab.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.chart.Chart;
import org.driftlab.chart.ChartRenderer;
import org.driftlab.chart.Html;

/**
 * The report of a study run: {@code report.html} (self-contained: inline SVG, no scripts or network references)
 * and each figure as PNG, SVG and PDF (drawn by {@link ChartRenderer}), rendered from {@code study.json} (figures, findings, notes, summary), the study's CSV
 * tables and {@code provenance.json}. Nothing is recomputed, so {@code driftlab report DIR} re-renders any study.
 */
final class StudyReport {
    static final String STUDY_JSON = "study.json";

    private StudyReport() {}

    static Path write(Path dir) {
        Map<String, Object> study = ReportWriter.readProvenance(dir.resolve(STUDY_JSON));
        if (study.isEmpty()) {
            throw new DriftlabException(dir.resolve(STUDY_JSON) + " is empty or unreadable");
        }
        Map<String, Object> prov = ReportWriter.readProvenance(dir.resolve("provenance.json"));
        String title = str(study.get("title"));
        StringBuilder html = new StringBuilder();
        html.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        html.append("<p>").append(Html.escape(str(study.get("description")))).append("</p>\n");
        Map<?, ?> summary = study.get("summary") instanceof Map<?, ?> m ? m : Map.of();
        html.append("<p class=\"meta\">study ").append(Html.escape(str(study.get("kind"))))
            .append(Boolean.TRUE.equals(study.get("quick")) ? " (quick size)" : "")
            .append("; seeds ").append(Html.escape(str(study.get("seeds"))))
            .append("<br>git commit: ").append(Html.escape(str(prov.getOrDefault("git_commit", "?"))))
            .append("; driftlab ").append(Html.escape(str(prov.getOrDefault("driftlab_version", "?"))))
            .append("; threads ").append(Html.escape(str(prov.getOrDefault("threads", "?"))))
            .append("; start ").append(Html.escape(str(prov.getOrDefault("start", "?"))))
            .append("; end ").append(Html.escape(str(prov.getOrDefault("end", "(running)")))).append("</p>\n");

        List<?> findings = list(study.get("findings"));
        if (!findings.isEmpty()) {
            html.append("<h2>Findings</h2>\n<table><tr><th class=\"l\">verdict</th><th class=\"l\">claim</th><th class=\"l\">numbers</th></tr>\n");
            for (Object o : findings) {
                Map<?, ?> f = (Map<?, ?>) o;
                boolean holds = Boolean.TRUE.equals(f.get("holds"));
                html.append("<tr><td class=\"l ").append(holds ? "holds\">holds" : "fails\">does not hold").append("</td><td class=\"l\">")
                    .append(Html.escape(str(f.get("claim")))).append("</td><td class=\"l\">").append(Html.escape(str(f.get("detail"))))
                    .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        for (Object n : list(study.get("notes"))) {
            html.append("<p>").append(Html.escape(str(n))).append("</p>\n");
        }
        Map<String, CsvTable> tables = new HashMap<>();
        for (Object o : list(study.get("figures"))) {
            html.append(ChartRenderer.writeFigure(chart(dir, (Map<?, ?>) o, tables), dir));
        }
        if (!summary.isEmpty()) {
            html.append("<h2>Summary values</h2>\n<table>\n");
            for (Map.Entry<?, ?> e : summary.entrySet()) {
                html.append("<tr><th class=\"l\">").append(Html.escape(str(e.getKey()))).append("</th><td>")
                    .append(Html.escape(value(e.getValue()))).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        if (study.get("params") instanceof Map<?, ?> params && !params.isEmpty()) {
            html.append("<h2>Parameters</h2>\n<table>\n");
            for (Map.Entry<?, ?> e : params.entrySet()) {
                html.append("<tr><th class=\"l\">").append(Html.escape(str(e.getKey()))).append("</th><td class=\"l\">")
                    .append(Html.escape(value(e.getValue()))).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        List<?> names = list(study.get("tables"));
        if (!names.isEmpty()) {
            html.append("<p class=\"meta\">data: ");
            for (Object t : names) {
                html.append(Html.escape(str(t))).append(".csv ");
            }
            html.append("(in this directory)</p>\n");
        }
        return Html.write(dir.resolve(ReportWriter.HTML), "driftlab study: " + title, html.toString());
    }

    /**
     * The chart of one declared figure: its layers' series (rows with an empty x or y cell are skipped), then its
     * reference lines across the x axis.
     */
    static Chart chart(Path dir, Map<?, ?> f, Map<String, CsvTable> tables) {
        Chart.Builder chart = Chart.of(str(f.get("id")), str(f.get("title"))).axes(str(f.get("x_label")), str(f.get("y_label")))
                .scales(Boolean.TRUE.equals(f.get("log_x")) ? Chart.Scale.LOG : Chart.Scale.LINEAR,
                        Boolean.TRUE.equals(f.get("log_y")) ? Chart.Scale.LOG : Chart.Scale.LINEAR)
                .equalAspect(Boolean.TRUE.equals(f.get("equal_aspect"))).caption(str(f.get("caption")));
        for (Object o : list(f.get("layers"))) {
            Map<?, ?> l = (Map<?, ?>) o;
            String name = str(l.get("table"));
            CsvTable t = tables.computeIfAbsent(name, k -> {
                Path csv = dir.resolve(k + ".csv");
                if (!Files.exists(csv)) {
                    throw new DriftlabException("figure " + f.get("id") + " reads table " + k + " but " + csv + " is missing");
                }
                return CsvTable.read(csv);
            });
            Object whereCol = l.get("where_column");
            if (whereCol != null) {
                t = t.where(str(whereCol), str(l.get("where_value")));
            }
            Chart.Style style = Chart.Style.valueOf(str(l.get("style")).toUpperCase(java.util.Locale.ROOT));
            String label = str(l.get("label"));
            Object group = l.get("group_by");
            List<String> groups = group == null ? java.util.Collections.singletonList(null) : t.distinct(str(group));
            for (String g : groups) {
                CsvTable part = (g == null ? t : t.where(str(group), g)).nonEmpty(str(l.get("x"))).nonEmpty(str(l.get("y")));
                if (style == Chart.Style.BAND) {
                    part = part.nonEmpty(str(l.get("y2")));
                }
                double[] x = part.col(str(l.get("x")));
                double[] y = part.col(str(l.get("y")));
                String seriesName = g == null ? (label.isEmpty() ? str(l.get("y")) : label)
                        : (label.isEmpty() ? g : label + " " + g);
                // an ungrouped layer filtered by a where value shares that value's style (a band and its line)
                String key = g != null ? g : whereCol != null ? str(l.get("where_value")) : null;
                chart.add(style == Chart.Style.BAND ? Chart.Series.band(seriesName, x, y, part.col(str(l.get("y2"))), key)
                        : new Chart.Series(seriesName, x, y, style, key));
            }
        }
        for (Object o : list(f.get("refs"))) {
            Map<?, ?> r = (Map<?, ?>) o;
            if (r.get("value") instanceof Number v) {
                chart.add(Chart.Series.hline(str(r.get("label")), v.doubleValue(), "ref:" + r.get("label")));
            }
        }
        return chart.build();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static String value(Object o) {
        if (o instanceof Double d) {
            return Html.number(d);
        }
        if (o instanceof Number n) {
            return Html.number(n.doubleValue());
        }
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object e : l) {
                parts.add(value(e));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                parts.add(str(e.getKey()) + ": " + value(e.getValue()));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        return str(o);
    }
}
