package org.driftlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.driftlab.chart.Chart;
import org.driftlab.chart.ChartRenderer;
import org.driftlab.chart.Drawn;
import org.driftlab.sweep.SweepDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The sweep report (the main job's report) on a hand-made sweep directory whose every drawn number is known: four
 * members, h ∈ {0.1, 0.05} × seed ∈ {0, 1}, λ1 at steps 0, 10, 20. The numbers the charts draw are read back from
 * the chart objects and compared with the literal values below: λ1 per member, one 2/h per learning rate (20 and 40),
 * λ1·h/2 and its line at 1, and the final sharpness against h as the mean over seeds ± the standard error with 2/h.
 * Drawing 1/h, h/2, or a band of one standard deviation instead of the standard error fails here.
 */
class SweepChartsTest {
    @TempDir
    static Path dir;

    /** λ1 at steps 0, 10, 20 of each member, in the order of ids. */
    private static final String[] IDS = {"lr=0.1_seed=0", "lr=0.1_seed=1", "lr=0.05_seed=0", "lr=0.05_seed=1"};
    private static final double[] H = {0.1, 0.1, 0.05, 0.05};
    private static final double[][] LAMBDA = {{12, 19, 21}, {14, 20, 23}, {12, 30, 38}, {14, 33, 44}};

    @BeforeAll
    static void handMadeSweep() throws Exception {
        StringBuilder table = new StringBuilder("optimizer.lr,seed,member,outcome,message,wall_seconds,final_sharpness\n");
        for (int m = 0; m < IDS.length; m++) {
            Path member = dir.resolve(SweepDirectory.MEMBERS).resolve(IDS[m]);
            Files.createDirectories(member);
            StringBuilder csv = new StringBuilder("run,lr,seed,step,time,h,train_loss,sharpness\n");
            for (int i = 0; i < 3; i++) {
                csv.append("r0,").append(H[m]).append(',').append(m % 2).append(',').append(10 * i).append(',')
                        .append(10 * i * H[m]).append(',').append(H[m]).append(',').append(1.0 / (1 + i)).append(',')
                        .append(LAMBDA[m][i]).append('\n');
            }
            Files.writeString(member.resolve("metrics.csv"), csv);
            table.append(H[m]).append(',').append(m % 2).append(',').append(IDS[m]).append(",completed,,1.5,")
                    .append(LAMBDA[m][2]).append('\n');
        }
        Files.writeString(dir.resolve(SweepDirectory.CSV), table);
    }

    private static XYChart chart(String id) {
        Chart c = SweepReport.charts(dir).stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no chart " + id));
        return ChartRenderer.toXChart(c);
    }

    @Test
    void theSharpnessChartDrawsEachMembersLambdaAndOneTwoOverHPerLearningRate() {
        XYChart x = chart("sweep-sharpness");
        for (int m = 0; m < IDS.length; m++) {
            assertArrayEquals(LAMBDA[m], Drawn.series(x, IDS[m]).getYData(), IDS[m]);
            assertArrayEquals(new double[] {0, 10, 20}, Drawn.series(x, IDS[m]).getXData(), IDS[m]);
        }
        assertArrayEquals(new double[] {20, 20, 20}, Drawn.series(x, "2/h 0.1").getYData(), 1e-12, "2/h at h = 0.1");
        assertArrayEquals(new double[] {40, 40, 40}, Drawn.series(x, "2/h 0.05").getYData(), 1e-12, "2/h at h = 0.05");
        long edges = Drawn.series(x).stream().filter(s -> s.getLabel().strip().startsWith("2/h")).count();
        assertEquals(2, edges, "one 2/h per learning rate, not per member");
        // every drawn value (12 … 44) inside the y axis, which ends on round numbers: 32/6 → step 10 → [10, 50]
        assertEquals(10.0, x.getStyler().getYAxisMin());
        assertEquals(50.0, x.getStyler().getYAxisMax());
        assertEquals(0.0, x.getStyler().getXAxisMin());
        assertEquals(20.0, x.getStyler().getXAxisMax());
    }

    @Test
    void theRatioChartDrawsLambdaTimesHOverTwoAndTheLineAtOne() {
        XYChart x = chart("sweep-sharpness-ratio");
        for (int m = 0; m < IDS.length; m++) {
            double[] y = Drawn.series(x, IDS[m]).getYData();
            for (int i = 0; i < 3; i++) {
                assertEquals(LAMBDA[m][i] * H[m] / 2, y[i], 1e-15, IDS[m] + " step " + 10 * i);
            }
        }
        for (double y : Drawn.series(x, "edge of stability: λ1 = 2/h").getYData()) {
            assertEquals(1.0, y, 0.0);
        }
    }

    /**
     * Final sharpness against h: at h = 0.1 the seeds end at 21 and 23 (mean 22, s.e. = sd/√2 = √2/√2 = 1), at
     * h = 0.05 at 38 and 44 (mean 41, s.e. 3); the band is mean ± s.e.; the members are points; 2/h is drawn.
     */
    @Test
    void theAxisChartDrawsTheMeanOverSeedsWithItsStandardErrorAndTwoOverH() {
        XYChart x = chart("axis-final-sharpness-vs-optimizer-lr");
        XYSeries mean = Drawn.line(x, "final_sharpness (mean over seeds)");
        assertArrayEquals(new double[] {0.05, 0.1}, mean.getXData());
        assertArrayEquals(new double[] {41, 22}, mean.getYData(), 1e-12);
        XYSeries band = Drawn.series(x).stream()
                .filter(s -> s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.PolygonArea).findFirst()
                .orElseThrow();
        List<Double> ys = java.util.Arrays.stream(band.getYData()).boxed().toList();
        for (double edge : new double[] {38, 44, 21, 23}) { // 41 ± 3, 22 ± 1
            assertTrue(ys.stream().anyMatch(y -> Math.abs(y - edge) < 1e-12), edge + " not on the band " + ys);
        }
        XYSeries points = Drawn.series(x, "final_sharpness members");
        assertEquals(List.of(38.0, 44.0, 21.0, 23.0), java.util.Arrays.stream(points.getYData()).boxed().toList());
        XYSeries edge = Drawn.series(x, "2/h");
        for (int i = 0; i < edge.getXData().length; i++) {
            assertEquals(2 / edge.getXData()[i], edge.getYData()[i], 1e-12);
        }
        assertEquals(0.05, edge.getXData()[0], 1e-15);
        assertEquals(0.1, edge.getXData()[edge.getXData().length - 1], 1e-15);
    }
}
