package org.driftlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.chart.Chart;
import org.driftlab.chart.ChartRenderer;
import org.driftlab.chart.Drawn;
import org.driftlab.data.AtomicFiles;
import org.driftlab.experiment.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** A study's declared figure is drawn from its table's cells: read back from the chart object. */
class StudyReportTest {
    @TempDir
    Path dir;

    private static Map<String, Object> layer(String style, String x, String y, String y2, String group) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("table", "t");
        l.put("x", x);
        l.put("y", y);
        l.put("y2", y2);
        l.put("group_by", group);
        l.put("where_column", null);
        l.put("where_value", null);
        l.put("style", style);
        l.put("label", "");
        return l;
    }

    private Map<String, Object> figure(boolean equalAspect) {
        AtomicFiles.writeString(dir.resolve("t.csv"), """
                h,x,y,lo,hi
                0.5,1,0.25,0.2,0.3
                0.5,2,,0.1,0.2
                0.5,3,0.0625,0.05,0.08
                1,1,2,1,3
                1,2,4,3,5
                1,3,8,7,9
                """);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", "fig");
        f.put("title", "A figure");
        f.put("x_label", "x");
        f.put("y_label", "y");
        f.put("log_x", false);
        f.put("log_y", true);
        f.put("equal_aspect", equalAspect);
        f.put("caption", "Lines per h; dashed: the threshold.");
        f.put("layers", List.of(layer("band", "x", "lo", "hi", "h"), layer("line", "x", "y", null, "h")));
        f.put("refs", List.of(Map.of("value", 4.0, "label", "threshold")));
        return f;
    }

    @Test
    void aFigureDrawsItsTableCellsAndReferences() throws Exception {
        Chart c = StudyReport.chart(dir, figure(false), new HashMap<>());
        XYChart x = ChartRenderer.toXChart(c);
        // the empty cell (h = 0.5, x = 2) is skipped: the line joins x = 1 and x = 3
        assertArrayEquals(new double[] {1, 3}, Drawn.line(x, "0.5").getXData());
        assertArrayEquals(new double[] {0.25, 0.0625}, Drawn.line(x, "0.5").getYData());
        assertArrayEquals(new double[] {2, 4, 8}, Drawn.line(x, "1").getYData());
        assertArrayEquals(new double[] {4, 4}, Drawn.series(x, "threshold").getYData());
        XYSeries line = Drawn.line(x, "1"); // its band shares the group's colour
        assertEquals(line.getLineColor().getRGB() & 0xffffff, Drawn.series(x).stream()
                .filter(s -> s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.PolygonArea)
                .skip(1).findFirst().orElseThrow().getFillColor().getRGB() & 0xffffff);
        // log y as declared, whole decades around [0.05, 9]
        assertTrue(x.getStyler().isYAxisLogarithmic());
        assertEquals(0.01, x.getStyler().getYAxisMin());
        assertEquals(10.0, x.getStyler().getYAxisMax());
        assertEquals("Lines per h; dashed: the threshold.", c.caption());

        Map<String, Object> study = new LinkedHashMap<>();
        study.put("title", "A study");
        study.put("kind", "toy");
        study.put("figures", List.of(figure(false)));
        study.put("findings", List.of());
        AtomicFiles.writeString(dir.resolve(StudyReport.STUDY_JSON), Json.write(study));
        String html = Files.readString(ReportWriter.write(dir));
        assertTrue(html.contains("<figure id=\"fig\">"));
        assertTrue(html.contains("<figcaption><b>A figure.</b> Lines per h; dashed: the threshold.</figcaption>"));
        for (String ext : List.of(".png", ".svg", ".pdf")) {
            assertTrue(Files.isRegularFile(dir.resolve("chart-fig" + ext)), ext);
        }
        assertFalse(html.contains("http"));
    }

    @Test
    void aPhasePortraitFigureKeepsEqualUnits() {
        Map<String, Object> f = figure(true);
        f.put("log_y", false);
        XYChart x = ChartRenderer.toXChart(StudyReport.chart(dir, f, new HashMap<>()));
        Drawn.paint(x);
        double sx = Math.abs(x.getScreenXFromChart(1) - x.getScreenXFromChart(0));
        double sy = Math.abs(x.getScreenYFromChart(1) - x.getScreenYFromChart(0));
        assertEquals(1.0, sx / sy, 5e-3, "pixels per unit: x " + sx + ", y " + sy);
    }
}
