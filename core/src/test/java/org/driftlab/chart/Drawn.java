package org.driftlab.chart;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;

/**
 * What XChart drew, read back from the chart object after painting: the visible series and the tick labels of each
 * axis. XChart keeps its axes package-private (Chart.getAxisPair, AxisPair.getYAxis), so the tick labels are read by
 * reflection; the test then sees exactly the labels XChart painted, not a recomputation.
 */
public final class Drawn {
    private Drawn() {}

    /** Paints the chart once (XChart lays out its axes while painting). */
    public static void paint(XYChart x) {
        BufferedImage image = new BufferedImage(x.getWidth(), x.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        x.paint(g, x.getWidth(), x.getHeight());
        g.dispose();
    }

    /** The series a reader sees (enabled), in drawing order. */
    public static List<XYSeries> series(XYChart x) {
        return x.getSeriesMap().values().stream().filter(XYSeries::isEnabled).toList();
    }

    /** The drawn series with this legend label. */
    public static XYSeries series(XYChart x, String label) {
        return series(x).stream().filter(s -> s.getLabel().replace("\u2007", "").strip().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no series '" + label + "' among "
                        + series(x).stream().map(XYSeries::getLabel).toList()));
    }

    /** The drawn line (not band, not scatter) with this legend label. */
    public static XYSeries line(XYChart x, String label) {
        return series(x).stream().filter(s -> s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.Line
                && s.getLabel().replace("\u2007", "").strip().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + label + "'"));
    }

    /** The tick labels XChart painted on the x (or y) axis within the axis' range, as numbers, in order. */
    public static List<Double> ticks(XYChart x, boolean xAxis) {
        paint(x);
        try {
            Method pairOf = org.knowm.xchart.internal.chartpart.Chart.class.getDeclaredMethod("getAxisPair");
            pairOf.setAccessible(true);
            Object pair = pairOf.invoke(x);
            Method axisOf = pair.getClass().getDeclaredMethod(xAxis ? "getXAxis" : "getYAxis");
            axisOf.setAccessible(true);
            Axis<?, ?> axis = (Axis<?, ?>) axisOf.invoke(pair);
            AxisTickCalculator t = axis.getAxisTickCalculator();
            double lo = xAxis ? x.getStyler().getXAxisMin() : x.getStyler().getYAxisMin();
            double hi = xAxis ? x.getStyler().getXAxisMax() : x.getStyler().getYAxisMax();
            List<Double> out = new ArrayList<>();
            for (String label : t.getTickLabels()) {
                if (label == null) {
                    continue; // an unlabelled minor tick of a log axis
                }
                double v = Double.parseDouble(label);
                if (v >= lo - 1e-12 * Math.abs(hi - lo) && v <= hi + 1e-12 * Math.abs(hi - lo)) {
                    out.add(v);
                }
            }
            return out;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read XChart's axes: " + e, e);
        }
    }
}
