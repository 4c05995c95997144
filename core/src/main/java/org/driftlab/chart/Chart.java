package org.driftlab.chart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a chart shows, independent of how it is drawn: a title, axis labels and scales, series and a caption.
 * {@link ChartRenderer} draws it. Immutable; build one with {@link #of(String, String)}.
 *
 * @param id file-safe identifier: the files are {@code chart-ID.png}, {@code .svg} and {@code .pdf}
 * @param equalAspect one unit of x takes as many pixels as one unit of y (phase portraits, planes); ignored when an
 *     axis is logarithmic
 * @param caption what the drawing shows, in words (may be empty); shown under the chart in HTML reports
 * @param width the image width in pixels
 * @param height the image height in pixels (grown when the legend needs more)
 * @param yTickLabels false hides the y axis' ticks and labels (a projection's height has no unit of its own)
 */
public record Chart(String id, String title, String xLabel, String yLabel, Scale xScale, Scale yScale,
                    boolean equalAspect, List<Series> series, String caption, int width, int height,
                    boolean yTickLabels) {
    /** Checks and immutable copies. */
    public Chart {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("chart id must be file-safe: " + id);
        }
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("chart " + id + " is too small: " + width + "x" + height);
        }
        series = List.copyOf(series);
        caption = caption == null ? "" : caption;
    }

    /**
     * {@link Scale#AUTO} draws an axis logarithmically when its positive values span at least this many decades
     * (max/min ≥ 10^1.5 ≈ 32): a loss falling from 2.3 to 0.05 is drawn on a log axis, one from 0.5 to 0.1 is not.
     */
    public static final double AUTO_LOG_DECADES = 1.5;

    /** How an axis maps values to positions. */
    public enum Scale {
        /** Linear. */
        LINEAR,
        /** Logarithmic; values that are not positive are not drawn. */
        LOG,
        /**
         * Logarithmic when every drawn value is positive and they span at least {@link #AUTO_LOG_DECADES}
         * decades, linear otherwise.
         */
        AUTO
    }

    /** How a series is drawn. */
    public enum Style {
        /** A line through the points in order, in the slot's colour and line pattern; NaN breaks the line. */
        LINE,
        /** A reference line (threshold, prediction, law): thin, regularly dashed, in the slot's colour. */
        DASHED,
        /** Markers only, in the slot's colour and marker shape. */
        POINTS,
        /** A line with a marker at every point (a trajectory of few points). */
        PATH,
        /** The translucent region between {@code y} (lower edge) and {@code y2} (upper edge). */
        BAND
    }

    /**
     * One series.
     *
     * @param name the legend entry ("" keeps it out of the legend)
     * @param x abscissae; in a {@link Style#DASHED} line, ±∞ stand for the ends of the x axis (a horizontal line
     *     across the chart)
     * @param y ordinates (the lower edge of a band)
     * @param y2 the upper edge of a {@link Style#BAND}, otherwise null
     * @param key series with the same key share a style slot (a run's line, its band and its 2/h); null gives the
     *     series a slot of its own
     * @param colour a fixed colour instead of the slot's (colour-coded families such as contour levels: those are
     *     drawn solid and told apart by colour alone; a path's markers are circles, scattered points diamonds), or
     *     null
     */
    public record Series(String name, double[] x, double[] y, double[] y2, Style style, String key, Color colour) {
        /** Checks the arrays. */
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(style, "style");
            if (x.length != y.length || (style == Style.BAND) != (y2 != null) || (y2 != null && y2.length != x.length)) {
                throw new IllegalArgumentException("series " + name + ": x, y" + (style == Style.BAND ? " and y2" : "")
                        + " must have one length" + (style == Style.BAND ? "" : ", and only a band has y2"));
            }
        }

        /** A series in the style of its key's slot. */
        public Series(String name, double[] x, double[] y, Style style, String key) {
            this(name, x, y, null, style, key, null);
        }

        /** A band between lower and upper. */
        public static Series band(String name, double[] x, double[] lower, double[] upper, String key) {
            return new Series(name, x, lower, upper, Style.BAND, key, null);
        }

        /** A horizontal reference line at y = value across the whole x axis. */
        public static Series hline(String name, double value, String key) {
            return new Series(name, new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY},
                    new double[] {value, value}, Style.DASHED, key);
        }

        /** True when the series spans the x axis (a horizontal reference). */
        boolean spansAxis() {
            return style == Style.DASHED && x.length == 2 && x[0] == Double.NEGATIVE_INFINITY
                    && x[1] == Double.POSITIVE_INFINITY;
        }
    }

    /** A builder for a chart with the given id and title. */
    public static Builder of(String id, String title) {
        return new Builder(id, title);
    }

    /** The series with the given legend name (tests and producers that refine a chart), or null. */
    public Series series(String name) {
        return series.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** True when the x axis is drawn logarithmically (as asked, or as {@link Scale#AUTO} decided). */
    public boolean drawnLogX() {
        return Axes.of(this).x().log();
    }

    /** True when the y axis is drawn logarithmically (as asked, or as {@link Scale#AUTO} decided). */
    public boolean drawnLogY() {
        return Axes.of(this).y().log();
    }

    /** This chart with another caption (a caption that states what the renderer decided, such as a log axis). */
    public Chart withCaption(String text) {
        return new Chart(id, title, xLabel, yLabel, xScale, yScale, equalAspect, series, text, width, height, yTickLabels);
    }

    /** True when no series has a point that can be drawn on these axes. */
    public boolean isEmpty() {
        return Axes.of(this).empty();
    }

    /** Fluent builder; defaults: linear axes, 900×420 pixels, no caption. */
    public static final class Builder {
        private final String id;
        private final String title;
        private String xLabel = "";
        private String yLabel = "";
        private Scale xScale = Scale.LINEAR;
        private Scale yScale = Scale.LINEAR;
        private boolean equalAspect;
        private String caption = "";
        private int width = 900;
        private int height = 420;
        private boolean yTickLabels = true;
        private final List<Series> series = new ArrayList<>();

        private Builder(String id, String title) {
            this.id = id;
            this.title = title;
        }

        /** Axis labels. */
        public Builder axes(String x, String y) {
            this.xLabel = x;
            this.yLabel = y;
            return this;
        }

        /** The scales of the axes. */
        public Builder scales(Scale x, Scale y) {
            this.xScale = x;
            this.yScale = y;
            return this;
        }

        /** Equal units on both axes (a phase portrait, a plane). */
        public Builder equalAspect(boolean on) {
            this.equalAspect = on;
            return this;
        }

        /** What the drawing shows. */
        public Builder caption(String text) {
            this.caption = text;
            return this;
        }

        /** The image size in pixels. */
        public Builder size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        /** Shows or hides the y axis' ticks and labels. */
        public Builder yTickLabels(boolean on) {
            this.yTickLabels = on;
            return this;
        }

        /** Adds a series. */
        public Builder add(Series s) {
            series.add(s);
            return this;
        }

        /** Adds series. */
        public Builder addAll(List<Series> s) {
            series.addAll(s);
            return this;
        }

        /** A line in the style of key's slot. */
        public Builder line(String name, double[] x, double[] y, String key) {
            return add(new Series(name, x, y, Style.LINE, key));
        }

        /** A reference line (dashed) in the colour of key's slot. */
        public Builder dashed(String name, double[] x, double[] y, String key) {
            return add(new Series(name, x, y, Style.DASHED, key));
        }

        /** The chart. */
        public Chart build() {
            return new Chart(id, title, xLabel, yLabel, xScale, yScale, equalAspect, series, caption, width, height,
                    yTickLabels);
        }
    }
}
