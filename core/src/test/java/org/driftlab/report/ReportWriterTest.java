package org.driftlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.chart.Chart;
import org.driftlab.chart.ChartRenderer;
import org.driftlab.chart.Drawn;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Metrics;
import org.driftlab.experiment.Provenance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The training-run report on a small hand-made run whose every drawn number is known: the numbers the charts draw
 * (λ1, 2/h, the edge band, the loss, the axis ranges) are read back from the chart objects and compared with the
 * literal values below, and the verdict's share in the table with a share counted by hand. Drawing 1/h instead of
 * 2/h, or judging the edge with twice the tolerance, fails here.
 */
class ReportWriterTest {
    @TempDir
    Path dir;

    /**
     * r0: h = 0.1, so 2/h = 20 and the ±10% band is [18, 22]. λ1 crosses 20 at step 30 (21), overshoots to 24, drops
     * at step 50 (20.5); from the drop on: 20.5 (+2.5%), 21.9 (+9.5%), 23.2 (+16%), 19.5 (−2.5%), 17.6 (−12%):
     * 3 of 5 within ±10% (60%), median offset +2.5%. (With ±20% all five would count.)
     * r1: h = 0.05, 2/h = 40, λ1 stays below: not reached.
     */
    private static final double[] LAMBDA_R0 = {10, 14, 18, 21, 24, 20.5, 21.9, 23.2, 19.5, 17.6};
    private static final double[] LAMBDA_R1 = {12, 13, 15, 17, 19, 20, 21, 22, 22.5, 23};
    private static final double[] LOSS_R0 = {2.3, 1.2, 0.6, 0.3, 0.2, 0.12, 0.08, 0.05, 0.04, 0.03};

    @BeforeEach
    void handMadeRun() {
        StringBuilder csv = new StringBuilder("run,lr,seed,step,time,h,train_loss,sharpness,step_loss\n");
        for (int i = 0; i < 10; i++) {
            csv.append(String.format(java.util.Locale.ROOT, "r0,0.1,0,%d,%s,0.1,%s,%s,\n", 10 * i,
                    org.driftlab.data.Decimals.shortest(i), LOSS_R0[i], LAMBDA_R0[i]));
        }
        for (int i = 0; i < 10; i++) {
            csv.append(String.format(java.util.Locale.ROOT, "r1,0.05,0,%d,%s,0.05,%s,%s,\n", 10 * i,
                    org.driftlab.data.Decimals.shortest(0.5 * i), 0.5 - 0.02 * i, LAMBDA_R1[i]));
        }
        org.driftlab.data.AtomicFiles.writeString(dir.resolve("metrics.csv"), csv.toString());
        // the verdicts as the runner stores them: computed once from the metrics, read by the report
        Metrics m = Metrics.read(dir.resolve("metrics.csv"));
        Map<String, Object> prov = Provenance.start("hand-made");
        List<Object> outcomes = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("run", "r" + r);
            o.put("outcome", "completed");
            o.put("step", 90);
            o.put("edge", EdgeOfStability.of(m.where("run", r)).toMap());
            outcomes.add(o);
        }
        prov.put("outcomes", outcomes);
        Provenance.write(dir, prov);
    }

    private static Chart chart(List<Chart> charts, String id) {
        return charts.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    @Test
    void theSharpnessChartDrawsLambdaTwoOverHAndTheEdgeBandOfTheData() {
        XYChart x = ChartRenderer.toXChart(chart(ReportWriter.charts(dir), "sharpness"));
        assertArrayEquals(LAMBDA_R0, Drawn.series(x, "r0 h=0.1").getYData());
        assertArrayEquals(new double[] {0, 10, 20, 30, 40, 50, 60, 70, 80, 90}, Drawn.series(x, "r0 h=0.1").getXData());
        assertArrayEquals(LAMBDA_R1, Drawn.series(x, "r1 h=0.05").getYData());
        for (double y : Drawn.series(x, "2/h r0").getYData()) {
            assertEquals(20.0, y, 1e-12, "2/h at h = 0.1");
        }
        for (double y : Drawn.series(x, "2/h r1").getYData()) {
            assertEquals(40.0, y, 1e-12, "2/h at h = 0.05");
        }
        // the band is a closed polygon: the lower edge forward, the upper edge back
        XYSeries band = Drawn.series(x).stream().filter(b -> b.getXYSeriesRenderStyle()
                == XYSeries.XYSeriesRenderStyle.PolygonArea && b.getLabel().endsWith(" r0")).findFirst().orElseThrow();
        double[] y = band.getYData();
        assertEquals(20, y.length);
        for (int i = 0; i < 10; i++) {
            assertEquals(18.0, y[i], 1e-12, "lower edge of the band");
            assertEquals(22.0, y[10 + i], 1e-12, "upper edge of the band");
        }
        // the y axis holds every drawn value and ends on round numbers: values in [10, 44] (r1's band reaches
        // 40·1.1), 34/6 → step 10 → [10, 50]; the x axis: [0, 90], 90/6 → step 20 → [0, 100]
        assertEquals(10.0, x.getStyler().getYAxisMin());
        assertEquals(50.0, x.getStyler().getYAxisMax());
        assertEquals(0.0, x.getStyler().getXAxisMin());
        assertEquals(100.0, x.getStyler().getXAxisMax());
        List<Double> ticks = Drawn.ticks(x, false);
        assertTrue(ticks.contains(20.0) && ticks.contains(40.0), "round ticks on the two 2/h: " + ticks);
        // the same numbers against time: t = Σh
        XYChart t = ChartRenderer.toXChart(chart(ReportWriter.charts(dir), "sharpness-time"));
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5}, Drawn.series(t, "r1 h=0.05").getXData());
    }

    @Test
    void theLossChartIsLogarithmicBecauseTheLossSpansDecades() {
        Chart c = chart(ReportWriter.charts(dir), "loss");
        XYChart x = ChartRenderer.toXChart(c);
        assertArrayEquals(LOSS_R0, Drawn.series(x, "r0 h=0.1").getYData());
        // 2.3 → 0.03 is 1.9 decades: a log axis of whole decades [0.01, 10]
        assertTrue(x.getStyler().isYAxisLogarithmic());
        assertEquals(0.01, x.getStyler().getYAxisMin());
        assertEquals(10.0, x.getStyler().getYAxisMax());
        assertTrue(c.caption().contains("Logarithmic axis"), "the caption says what is drawn: " + c.caption());
        assertFalse(chart(ReportWriter.charts(dir), "sharpness").caption().contains("Logarithmic"));
    }

    @Test
    void theTableShowsTheStoredVerdictAndThePageInlinesEveryChart() throws Exception {
        String html = Files.readString(ReportWriter.write(dir), StandardCharsets.UTF_8);
        // r0: 3 of the 5 probes from the drop on are within ±10% of 2/h; median offset +2.5%
        assertTrue(html.contains("<td>" + EdgeOfStability.AT_EDGE + "</td><td>30</td><td>60% of 5</td><td>+2.5%</td>"),
                html.substring(html.indexOf("<table"), html.indexOf("</table>")));
        assertTrue(html.contains("<td>" + EdgeOfStability.NOT_REACHED + "</td><td>never</td>"));
        assertTrue(html.contains("within ±10% of 2/h"), "the table states the tolerance it counted with");
        for (String id : List.of("loss", "sharpness", "sharpness-time")) {
            assertTrue(html.contains("<figure id=\"" + id + "\">"), id);
            for (String ext : List.of(".png", ".svg", ".pdf")) {
                assertTrue(Files.size(dir.resolve("chart-" + id + ext)) > 1000, id + ext);
            }
        }
        assertFalse(html.contains("id=\"accuracy\""), "no accuracy logged, no accuracy chart");
        assertTrue(html.contains("dashed: 2/h of the sub-run of the same colour; shaded: 2/h ± 10%"),
                "the caption names what is dashed and what is shaded");
        assertFalse(html.contains("http"), "offline");
        assertFalse(html.contains("<script"), "no scripts");
    }
}
