package org.driftlab.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A figure a study declares: layers of series read from the study's tables, drawn by the report's one chart
 * renderer (inline SVG in the HTML, and PNG, SVG and PDF files). A figure references columns, never copies data, so the report is reproducible from the CSV
 * files. Build one with {@link #of(String, String)}.
 *
 * @param id file-safe identifier (the PNG is {@code chart-ID.png})
 * @param caption one or two sentences on what to see in the figure (may be empty)
 * @param refs horizontal reference lines, e.g. 2/h
 * @param equalAspect equal units on both axes (a phase portrait, a plane of coordinates)
 */
public record Figure(String id, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                     List<Layer> layers, List<Reference> refs, String caption, boolean equalAspect) {
    /** Immutable copies. */
    public Figure {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("figure id must be file-safe: " + id);
        }
        layers = List.copyOf(layers);
        refs = List.copyOf(refs);
    }

    /** How a layer is drawn. */
    public enum Style {
        /**
         * A line through the rows in table order (so a phase portrait draws as a path), in its group's colour and
         * line pattern (each group has its own pattern: solid, dotted, dash-dot, ...; never a plain dash).
         */
        LINE,
        /** A thin regularly dashed line: predictions, thresholds, reference laws (in its group's colour). */
        DASHED,
        /** Markers only: scatter plots. */
        POINTS,
        /** The shaded region between {@code y} (lower) and {@code y2} (upper): spread over seeds. */
        BAND
    }

    /**
     * One layer: column {@code y} against column {@code x} of {@code table}, one series per distinct value of
     * {@code groupBy} (null: a single series), on the rows where column {@code whereColumn} equals
     * {@code whereValue} (null: all rows). Empty cells are skipped.
     *
     * @param y2 the upper edge for {@link Style#BAND}, otherwise null
     * @param label series name (prefix of the group value when grouped)
     */
    public record Layer(String table, String x, String y, String y2, String groupBy, String whereColumn,
                        String whereValue, Style style, String label) {}

    /** A horizontal line at y = value. */
    public record Reference(double value, String label) {}

    /** A builder for a figure with the given id and title. */
    public static Builder of(String id, String title) {
        return new Builder(id, title);
    }

    /** Fluent builder; every layer method returns this builder. */
    public static final class Builder {
        private final String id;
        private final String title;
        private String xLabel = "";
        private String yLabel = "";
        private boolean logX;
        private boolean logY;
        private boolean equalAspect;
        private String caption = "";
        private final List<Layer> layers = new ArrayList<>();
        private final List<Reference> refs = new ArrayList<>();
        private String where;
        private String whereValue;

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

        /** Logarithmic x axis (non-positive x are skipped). */
        public Builder logX() {
            this.logX = true;
            return this;
        }

        /** Logarithmic y axis (non-positive y are skipped). */
        public Builder logY() {
            this.logY = true;
            return this;
        }

        /** Equal units on both axes: a phase portrait or a plane of coordinates keeps its shapes. */
        public Builder equalAspect() {
            this.equalAspect = true;
            return this;
        }

        /** What to see in the figure. */
        public Builder caption(String text) {
            this.caption = text;
            return this;
        }

        /** Restricts the layers added after this call to rows where column equals value (null clears). */
        public Builder where(String column, Object value) {
            this.where = column;
            this.whereValue = value == null ? null : StudyContext.cell(value);
            return this;
        }

        /**
         * A spread over seeds: the mean as lines with their min–max band, one pair per value of groupBy, from a table
         * whose columns mean, min and max summarise the seeds at each x.
         */
        public Builder spread(String table, String x, String groupBy) {
            return band(table, x, "min", "max", groupBy, "min–max").line(table, x, "mean", groupBy, "");
        }

        /** Lines of y against x, one per value of groupBy (null: one line named label). */
        public Builder line(String table, String x, String y, String groupBy, String label) {
            return add(table, x, y, null, groupBy, Style.LINE, label);
        }

        /** Reference lines (predictions, reference laws): thin, regularly dashed. */
        public Builder dashed(String table, String x, String y, String groupBy, String label) {
            return add(table, x, y, null, groupBy, Style.DASHED, label);
        }

        /** Markers only. */
        public Builder points(String table, String x, String y, String groupBy, String label) {
            return add(table, x, y, null, groupBy, Style.POINTS, label);
        }

        /** A shaded band between columns lower and upper. */
        public Builder band(String table, String x, String lower, String upper, String groupBy, String label) {
            return add(table, x, lower, upper, groupBy, Style.BAND, label);
        }

        /** A horizontal reference line. */
        public Builder hline(double value, String label) {
            refs.add(new Reference(value, label));
            return this;
        }

        private Builder add(String table, String x, String y, String y2, String groupBy, Style style, String label) {
            layers.add(new Layer(table, x, y, y2, groupBy, where, whereValue, style, label == null ? "" : label));
            return this;
        }

        /** The figure. */
        public Figure build() {
            return new Figure(id, title, xLabel, yLabel, logX, logY, layers, refs, caption, equalAspect);
        }
    }
}
