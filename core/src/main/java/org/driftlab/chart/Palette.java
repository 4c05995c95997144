package org.driftlab.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How series are told apart: style slot i has its own colour, its own line pattern and its own marker, so that nine
 * series differ in colour and in pattern at once (a reader without colour, or a greyscale print, still tells them
 * apart). Colours are matplotlib's default cycle ("tab10"), in its order. Reference lines (thresholds such as 2/h,
 * predictions) are the only regularly dashed lines: no data pattern is a plain dash, so "dashed" in a caption always
 * means a reference.
 */
public final class Palette {
    private Palette() {}

    /** matplotlib's tab10, in matplotlib's order. */
    private static final Color[] COLOURS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    /**
     * Dash arrays of the data patterns in pixels (on, off, ...); null is solid. Nine patterns, none a plain regular
     * dash (that is {@link #REFERENCE_DASH}): solid, dotted, dash-dot, dash-dot-dot, long-short, long dash-dot,
     * long-short-short, dash-dot-dot-dot, long dash-dot-dot.
     */
    private static final float[][] PATTERNS = {
        null,
        {1.5f, 2.5f},
        {8, 3, 1.5f, 3},
        {8, 3, 1.5f, 3, 1.5f, 3},
        {14, 3, 5, 3},
        {18, 4, 1.5f, 4},
        {14, 3, 4, 3, 4, 3},
        {8, 3, 1.5f, 3, 1.5f, 3, 1.5f, 3},
        {18, 4, 1.5f, 3, 1.5f, 4},
    };

    /** The dash array of reference lines: regular dashes. */
    static final float[] REFERENCE_DASH = {6, 4};

    /** Line width of data lines and of reference lines, in pixels. */
    static final float LINE_WIDTH = 1.6f;
    static final float REFERENCE_WIDTH = 1.2f;

    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS,
        SeriesMarkers.OVAL, SeriesMarkers.TRAPEZOID, SeriesMarkers.RECTANGLE};

    /** The colour of slot i; colours repeat after ten slots, when the pattern has moved on (pairs repeat after 90). */
    public static Color colour(int slot) {
        return COLOURS[Math.floorMod(slot, COLOURS.length)];
    }

    /** The number of distinct data line patterns. */
    public static int patterns() {
        return PATTERNS.length;
    }

    /** The stroke of a data line in slot i. */
    public static BasicStroke line(int slot) {
        float[] dash = PATTERNS[Math.floorMod(slot, PATTERNS.length)];
        return dash == null ? new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND)
                : new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash.clone(), 0f);
    }

    /** The stroke of a reference line (a threshold or a prediction). */
    public static BasicStroke reference() {
        return new BasicStroke(REFERENCE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, REFERENCE_DASH.clone(), 0f);
    }

    /** The marker of scattered points in slot i. */
    public static Marker marker(int slot) {
        return MARKERS[Math.floorMod(slot, MARKERS.length)];
    }

    /** A translucent version of a colour, for bands. */
    static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
