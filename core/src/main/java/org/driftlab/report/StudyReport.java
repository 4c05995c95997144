package org.driftlab.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;

/**
 * The report of a study run: {@code report.html} (self-contained: inline SVG, no scripts or network references)
 * and one PNG per figure, rendered from {@code study.json} (figures, findings, notes, summary), the study's CSV
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
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>driftlab study: ")
            .append(Chart.esc(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1000px}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}"
                + "td.num{text-align:right}.holds{color:#070;font-weight:bold}.fails{color:#b00;font-weight:bold}"
                + ".warn{background:#fdd;border:3px solid #c00;padding:1em;font-size:1.2em;font-weight:bold}"
                + ".meta{color:#555;font-size:0.9em}.caption{color:#333;max-width:900px}svg.chart{display:block;margin:1em 0}"
                + "</style></head><body>\n");
        html.append("<h1>").append(Chart.esc(title)).append("</h1>\n");
        html.append("<p>").append(Chart.esc(str(study.get("description")))).append("</p>\n");
        Map<?, ?> summary = study.get("summary") instanceof Map<?, ?> m ? m : Map.of();
        html.append("<p class=\"meta\">study ").append(Chart.esc(str(study.get("kind"))))
            .append(Boolean.TRUE.equals(study.get("quick")) ? " (quick size)" : "")
            .append("; seeds ").append(Chart.esc(str(study.get("seeds"))))
            .append("<br>git commit: ").append(Chart.esc(str(prov.getOrDefault("git_commit", "?"))))
            .append("; driftlab ").append(Chart.esc(str(prov.getOrDefault("driftlab_version", "?"))))
            .append("; threads ").append(Chart.esc(str(prov.getOrDefault("threads", "?"))))
            .append("; start ").append(Chart.esc(str(prov.getOrDefault("start", "?"))))
            .append("; end ").append(Chart.esc(str(prov.getOrDefault("end", "(running)")))).append("</p>\n");

        List<?> findings = list(study.get("findings"));
        if (!findings.isEmpty()) {
            html.append("<h2>Findings</h2>\n<table><tr><th>verdict</th><th>claim</th><th>numbers</th></tr>\n");
            for (Object o : findings) {
                Map<?, ?> f = (Map<?, ?>) o;
                boolean holds = Boolean.TRUE.equals(f.get("holds"));
                html.append("<tr><td class=\"").append(holds ? "holds\">holds" : "fails\">does not hold").append("</td><td>")
                    .append(Chart.esc(str(f.get("claim")))).append("</td><td>").append(Chart.esc(str(f.get("detail"))))
                    .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        for (Object n : list(study.get("notes"))) {
            html.append("<p>").append(Chart.esc(str(n))).append("</p>\n");
        }
        Map<String, CsvTable> tables = new HashMap<>();
        for (Object o : list(study.get("figures"))) {
            Map<?, ?> f = (Map<?, ?>) o;
            Chart c = chart(dir, f, tables);
            html.append("<h2>").append(Chart.esc(c.title())).append("</h2>\n").append(c.toSvg(900, 400));
            String caption = str(f.get("caption"));
            if (!caption.isEmpty()) {
                html.append("<p class=\"caption\">").append(Chart.esc(caption)).append("</p>\n");
            }
            ReportWriter.writePng(c, dir.resolve("chart-" + c.id() + ".png"));
        }
        if (!summary.isEmpty()) {
            html.append("<h2>Summary values</h2>\n<table>\n");
            for (Map.Entry<?, ?> e : summary.entrySet()) {
                html.append("<tr><th>").append(Chart.esc(str(e.getKey()))).append("</th><td class=\"num\">")
                    .append(Chart.esc(value(e.getValue()))).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        if (study.get("params") instanceof Map<?, ?> params && !params.isEmpty()) {
            html.append("<h2>Parameters</h2>\n<table>\n");
            for (Map.Entry<?, ?> e : params.entrySet()) {
                html.append("<tr><th>").append(Chart.esc(str(e.getKey()))).append("</th><td>")
                    .append(Chart.esc(value(e.getValue()))).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        List<?> names = list(study.get("tables"));
        if (!names.isEmpty()) {
            html.append("<p class=\"meta\">data: ");
            for (Object t : names) {
                html.append(Chart.esc(str(t))).append(".csv ");
            }
            html.append("(in this directory)</p>\n");
        }
        html.append("</body></html>\n");
        Path out = dir.resolve(ReportWriter.HTML);
        org.driftlab.data.AtomicFiles.writeString(out, html.toString());
        return out;
    }

    /** The chart of one declared figure: its layers' series, then its reference lines across the x range. */
    static Chart chart(Path dir, Map<?, ?> f, Map<String, CsvTable> tables) {
        List<Chart.Series> series = new ArrayList<>();
        boolean logX = Boolean.TRUE.equals(f.get("log_x"));
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
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
                CsvTable part = g == null ? t : t.where(str(group), g);
                double[] x = part.col(str(l.get("x")));
                double[] y = part.col(str(l.get("y")));
                double[] y2 = style == Chart.Style.BAND ? part.col(str(l.get("y2"))) : null;
                String seriesName = g == null ? (label.isEmpty() ? str(l.get("y")) : label)
                        : (label.isEmpty() ? g : label + " " + g);
                // an ungrouped layer filtered by a where value shares that value's colour (a band and its line)
                String colourKey = g != null ? g : whereCol != null ? str(l.get("where_value")) : null;
                series.add(new Chart.Series(seriesName, x, y, y2, style, colourKey));
                for (double v : x) {
                    if (Double.isFinite(v) && (!logX || v > 0)) {
                        xmin = Math.min(xmin, v);
                        xmax = Math.max(xmax, v);
                    }
                }
            }
        }
        for (Object o : list(f.get("refs"))) {
            Map<?, ?> r = (Map<?, ?>) o;
            if (!(r.get("value") instanceof Number v) || !Double.isFinite(xmin)) {
                continue;
            }
            double y = v.doubleValue();
            series.add(new Chart.Series(str(r.get("label")), new double[] {xmin, xmax}, new double[] {y, y}, null,
                    Chart.Style.DASHED, "ref:" + r.get("label")));
        }
        return new Chart(str(f.get("id")), str(f.get("title")), str(f.get("x_label")), str(f.get("y_label")), logX,
                Boolean.TRUE.equals(f.get("log_y")), series);
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static String value(Object o) {
        if (o instanceof Double d) {
            return Chart.fmt(d);
        }
        if (o instanceof Number n) {
            return Chart.fmt(n.doubleValue());
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
