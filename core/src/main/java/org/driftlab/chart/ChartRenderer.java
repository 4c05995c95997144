package org.driftlab.chart;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link Chart} with XChart: {@link #toXChart} builds the XChart object (what every format draws; tests
 * read the drawn numbers back from it), {@link #write} saves {@code chart-ID.png}, {@code .svg} and {@code .pdf}
 * into a directory ({@link #writeTo}: beside a PNG file of any name), each atomically, and returns the SVG for
 * inlining into an HTML report.
 */
public final class ChartRenderer {
    static {
        System.setProperty("java.awt.headless", "true"); // rendering on machines without a display
    }

    /** The file name prefix of every chart. */
    public static final String PREFIX = "chart-";

    private static final Color INK = new Color(0x222222);
    private static final Color GRID = new Color(0xe4e4e4);
    /** Opacity (of 255) of bands. */
    private static final int BAND_ALPHA = 56;
    /** Pixels per legend entry, to grow a chart whose legend would not fit. */
    private static final int LEGEND_ENTRY = 19;
    /** Length of a legend's line sample in pixels: a whole period of the longest pattern. */
    private static final int LEGEND_LINE = 42;
    /**
     * Appended to line and marker entries of a legend that also holds a band: XChart 3.8.8 sizes a legend holding a
     * box entry for boxes (20 pixels) instead of line samples (Legend_.getBoundsHintVertical), which cuts off the
     * text of the line entries; four figure spaces (about 6 pixels each at 11 points) restore the missing width.
     */
    private static final String BOX_LEGEND_PAD = "\u2007\u2007\u2007\u2007";

    private ChartRenderer() {}

    /** The files one chart is written to. */
    public record Files(Path png, Path svg, Path pdf, String inlineSvg) {}

    /**
     * Writes chart-ID.png, chart-ID.svg and chart-ID.pdf into dir (each atomically: a reader sees the old file or the
     * new one) and returns their paths and the SVG to inline into HTML.
     */
    public static Files write(Chart c, Path dir) {
        return writeTo(c, dir.resolve(PREFIX + c.id() + ".png"));
    }

    /**
     * Writes the chart to the given PNG file and, beside it, to an SVG and a PDF file of the same name (for
     * {@code --density FILE.png}: FILE.svg and FILE.pdf), each atomically.
     */
    public static Files writeTo(Chart c, Path png) {
        XYChart x = toXChart(c);
        String name = png.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        Path svg = png.resolveSibling(stem + ".svg");
        Path pdf = png.resolveSibling(stem + ".pdf");
        try {
            AtomicFiles.write(png, png(x));
            String text = svg(x, c.id());
            AtomicFiles.writeString(svg, text);
            AtomicFiles.write(pdf, pdf(x));
            return new Files(png, svg, pdf, inline(text));
        } catch (IOException e) {
            throw new DriftlabException("cannot render chart " + c.id() + " to " + png + ": " + e.getMessage(), e);
        }
    }

    /** Paints the chart through {@link JoiningGraphics}, so line patterns run on along each series. */
    private static void paint(XYChart x, Graphics2D g) {
        JoiningGraphics j = new JoiningGraphics(g);
        x.paint(j, x.getWidth(), x.getHeight());
        j.flush();
    }

    /** The PNG bytes. */
    static byte[] png(XYChart x) throws IOException {
        BufferedImage image = new BufferedImage(x.getWidth(), x.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        paint(x, g);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** The PDF bytes: one page of the chart's size, vector graphics (pdfbox-graphics2d, as XChart's own encoder). */
    static byte[] pdf(XYChart x) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(x.getWidth(), x.getHeight()));
            document.addPage(page);
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(document, x.getWidth(), x.getHeight());
            paint(x, g);
            g.dispose();
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.drawForm(g.getXFormObject());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    /**
     * The chart as an HTML figure: the inline SVG (labelled with the title for screen readers), then a caption of the
     * title in bold and the chart's caption (texts escaped), so the page's text says what each chart shows.
     */
    public static String figure(Chart c, Files f) {
        StringBuilder sb = new StringBuilder("<figure id=\"").append(Html.escape(c.id())).append("\">\n");
        sb.append(f.inlineSvg().replaceFirst("<svg ", "<svg role=\"img\" aria-label=\"" + Html.escape(c.title()) + "\" "));
        sb.append("<figcaption><b>").append(Html.escape(c.title())).append(".</b>");
        if (!c.caption().isEmpty()) {
            sb.append(' ').append(Html.escape(c.caption()));
        }
        return sb.append("</figcaption>\n</figure>\n").toString();
    }

    /** Writes the files and returns {@link #figure}. */
    public static String writeFigure(Chart c, Path dir) {
        return figure(c, write(c, dir));
    }

    /**
     * The XChart object of a chart: axes as {@link Axes} decides them, one XChart series per drawn series (bands
     * first so lines stay visible on them), each in its slot's colour, line pattern and marker.
     */
    public static XYChart toXChart(Chart c) {
        Axes axes = Axes.of(c);
        int legendEntries = (int) c.series().stream().filter(s -> !s.name().isEmpty()).count();
        int height = Math.max(c.height(), 90 + LEGEND_ENTRY * legendEntries);
        XYChart x = new XYChart(c.width(), height);
        x.setTitle(c.title());
        x.setXAxisTitle(c.xLabel());
        x.setYAxisTitle(c.yLabel());
        style(x.getStyler(), legendEntries > 0);
        x.getStyler().setYAxisTicksVisible(c.yTickLabels());
        if (axes.empty()) {
            XYSeries s = x.addSeries("no data", new double[] {0, 1}, new double[] {0, 1});
            s.setEnabled(false);
            x.getStyler().setLegendVisible(false);
            x.setTitle(c.title() + " (no data)");
            return x;
        }
        setRange(x.getStyler(), axes);
        // XChart 3.8.8 places ticks only at data values when the union of all x (or y) values is equally spaced
        // (AxisTickCalculator_.calculateForEquallySpacedAxisValues; knowm/XChart#731), which gives ticks such as
        // 0, 70, 140 for probes every 7 steps, or only the two ends for two points. That union starts with the axis
        // minimum, then holds the series' values in order without repeats; a hidden first series holding the axis
        // maximum and then a value 38.2% of the way up makes the second difference negative while the first is
        // positive, so the union is never equally spaced and XChart always uses its round-step ticks.
        XYSeries anchor = x.addSeries(" anchor", new double[] {axes.x().max(), inside(axes.x())},
                new double[] {axes.y().max(), inside(axes.y())});
        anchor.setEnabled(false);
        anchor.setShowInLegend(false);

        Map<String, Integer> slots = slots(c);
        boolean bandInLegend = c.series().stream().anyMatch(s -> s.style() == Chart.Style.BAND && !s.name().isEmpty());
        int index = 0;
        for (boolean bands : new boolean[] {true, false}) {
            for (int si = 0; si < c.series().size(); si++) {
                Chart.Series s = c.series().get(si);
                if ((s.style() == Chart.Style.BAND) == bands) {
                    XYSeries xy = add(x, s, slotOf(s, si, slots), axes, "s" + index++);
                    if (xy != null && bandInLegend && !bands) {
                        xy.setLabel(s.name() + BOX_LEGEND_PAD);
                    }
                }
            }
        }
        if (c.equalAspect() && !axes.x().log() && !axes.y().log()) {
            equalAspect(x, axes);
        }
        return x;
    }

    /** A value 38.2% of the way up an axis (in log units on a log axis). */
    private static double inside(Axes.Range r) {
        double f = 0.381966;
        return r.log() ? r.min() * Math.pow(r.max() / r.min(), f) : r.min() + f * (r.max() - r.min());
    }

    /** Style slots: one per distinct key in order of first appearance, one per series without a key. */
    private static Map<String, Integer> slots(Chart c) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        for (int si = 0; si < c.series().size(); si++) {
            Chart.Series s = c.series().get(si);
            if (s.colour() == null) {
                slots.putIfAbsent(s.key() != null ? "k:" + s.key() : "i:" + si, slots.size());
            }
        }
        return slots;
    }

    private static int slotOf(Chart.Series s, int index, Map<String, Integer> slots) {
        return s.colour() != null ? -1 : slots.get(s.key() != null ? "k:" + s.key() : "i:" + index);
    }

    private static void style(XYStyler st, boolean legend) {
        st.setLocale(Locale.ROOT);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(INK);
        st.setPlotGridLinesColor(GRID);
        st.setPlotGridLinesStroke(new java.awt.BasicStroke(0.8f));
        st.setChartFontColor(INK);
        st.setAxisTickLabelsColor(INK);
        st.setAxisTickMarksColor(INK);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setChartTitleBoxVisible(false);
        st.setLegendVisible(legend);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setLegendBorderColor(new Color(0xbbbbbb));
        st.setLegendSeriesLineLength(LEGEND_LINE); // long enough to show a whole line pattern
        st.setMarkerSize(6);
        st.setAntiAlias(true);
        st.setXAxisLogarithmicDecadeOnly(true);
        st.setYAxisLogarithmicDecadeOnly(true);
    }

    private static void setRange(XYStyler st, Axes axes) {
        Axes.Range xr = axes.x();
        Axes.Range yr = axes.y();
        st.setXAxisLogarithmic(xr.log());
        st.setYAxisLogarithmic(yr.log());
        st.setXAxisMin(xr.min());
        st.setXAxisMax(xr.max());
        st.setYAxisMin(yr.min());
        st.setYAxisMax(yr.max());
        // a tick formatter would replace XChart's logarithmic ticks, so log axes get a decimal pattern instead
        if (xr.log()) {
            st.setXAxisDecimalPattern(logPattern(xr));
        } else {
            st.setxAxisTickLabelsFormattingFunction(TickFormat.forRange(xr.min(), xr.max()));
        }
        if (yr.log()) {
            st.setYAxisDecimalPattern(logPattern(yr));
        } else {
            st.setyAxisTickLabelsFormattingFunction(TickFormat.forRange(yr.min(), yr.max()));
        }
    }

    /** Decades as 0.001 … 10000 when they all fit in plain notation, else 1E-5 style. */
    private static String logPattern(Axes.Range r) {
        return r.min() >= 1e-3 && r.max() <= 1e4 ? "0.###" : "0E0";
    }

    /** Adds one series; null when it has no point to draw. */
    private static XYSeries add(XYChart x, Chart.Series s, int slot, Axes axes, String key) {
        boolean logX = axes.x().log();
        boolean logY = axes.y().log();
        Color colour = s.colour() != null ? s.colour() : Palette.colour(slot);
        XYSeries xy;
        if (s.style() == Chart.Style.BAND) {
            double[][] polygon = bandPolygons(s, logX, logY);
            if (polygon[0].length == 0) {
                return null;
            }
            xy = x.addSeries(key, polygon[0], polygon[1]);
            xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            xy.setFillColor(Palette.translucent(colour, BAND_ALPHA));
            xy.setLineStyle(SeriesLines.NONE);
            xy.setLineColor(Palette.translucent(colour, BAND_ALPHA));
            xy.setMarker(SeriesMarkers.NONE);
        } else if (s.style() == Chart.Style.POINTS) {
            double[][] pts = points(s, logX, logY);
            if (pts[0].length == 0) {
                return null;
            }
            xy = x.addSeries(key, pts[0], pts[1]);
            xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            xy.setMarker(s.colour() != null ? SeriesMarkers.DIAMOND : Palette.marker(slot));
            xy.setMarkerColor(colour);
        } else {
            double[][] line = line(s, axes);
            if (line[0].length == 0) {
                return null;
            }
            xy = x.addSeries(key, line[0], line[1]);
            xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            xy.setLineColor(colour);
            xy.setLineStyle(s.style() == Chart.Style.DASHED ? Palette.reference()
                    : s.colour() != null ? Palette.line(0) : Palette.line(slot));
            if (s.style() == Chart.Style.PATH) {
                xy.setMarker(s.colour() != null ? SeriesMarkers.CIRCLE : Palette.marker(slot));
                xy.setMarkerColor(colour);
            } else {
                xy.setMarker(SeriesMarkers.NONE);
                xy.setMarkerColor(colour); // XChart sets the marker colour at every point even without markers
            }
        }
        xy.setLabel(s.name());
        xy.setShowInLegend(!s.name().isEmpty());
        return xy;
    }

    /** The drawable points of a scatter. */
    private static double[][] points(Chart.Series s, boolean logX, boolean logY) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < s.x().length; i++) {
            if (Axes.drawable(s, i, logX, logY)) {
                out.add(new double[] {s.x()[i], s.y()[i]});
            }
        }
        return columns(out);
    }

    /**
     * A line's points; a point that cannot be drawn breaks the line there (NaN y, as matplotlib does), and ±∞ of a
     * horizontal reference become the ends of the x axis.
     */
    private static double[][] line(Chart.Series s, Axes axes) {
        boolean logX = axes.x().log();
        boolean logY = axes.y().log();
        if (s.spansAxis()) {
            if (!Axes.drawable(s, 0, logX, logY)) {
                return new double[2][0];
            }
            return new double[][] {{axes.x().min(), axes.x().max()}, {s.y()[0], s.y()[1]}};
        }
        List<double[]> out = new ArrayList<>();
        double lastX = Double.NaN;
        boolean gap = false;
        for (int i = 0; i < s.x().length; i++) {
            if (Axes.drawable(s, i, logX, logY)) {
                if (gap && !out.isEmpty()) {
                    out.add(new double[] {lastX, Double.NaN});
                }
                gap = false;
                lastX = s.x()[i];
                out.add(new double[] {lastX, s.y()[i]});
            } else {
                gap = true;
            }
        }
        return columns(out);
    }

    /**
     * A band as closed polygons, one per run of drawable points (lower edge forward, upper edge back), separated by
     * NaN, at which XChart closes and fills a polygon and starts the next.
     */
    private static double[][] bandPolygons(Chart.Series s, boolean logX, boolean logY) {
        List<double[]> out = new ArrayList<>();
        int i = 0;
        int n = s.x().length;
        while (i < n) {
            while (i < n && !Axes.drawable(s, i, logX, logY)) {
                i++;
            }
            int start = i;
            while (i < n && Axes.drawable(s, i, logX, logY)) {
                i++;
            }
            if (i > start) {
                if (!out.isEmpty()) {
                    out.add(new double[] {out.get(out.size() - 1)[0], Double.NaN});
                }
                for (int k = start; k < i; k++) {
                    out.add(new double[] {s.x()[k], s.y()[k]});
                }
                for (int k = i - 1; k >= start; k--) {
                    out.add(new double[] {s.x()[k], s.y2()[k]});
                }
            }
        }
        return columns(out);
    }

    private static double[][] columns(List<double[]> pts) {
        double[][] c = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            c[0][i] = pts.get(i)[0];
            c[1][i] = pts.get(i)[1];
        }
        return c;
    }

    /**
     * Widens one axis' range about its centre until a unit of x and a unit of y take the same number of pixels. The
     * plot's pixel size is known only after XChart's layout, so the chart is laid out, measured and adjusted; tick
     * labels can change the layout, hence a few rounds.
     */
    private static void equalAspect(XYChart x, Axes axes) {
        double xmin = axes.x().min();
        double xmax = axes.x().max();
        double ymin = axes.y().min();
        double ymax = axes.y().max();
        BufferedImage scratch = new BufferedImage(x.getWidth(), x.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int round = 0; round < 4; round++) {
            Graphics2D g = scratch.createGraphics();
            x.paint(g, x.getWidth(), x.getHeight());
            g.dispose();
            double sx = Math.abs(x.getScreenXFromChart(xmax) - x.getScreenXFromChart(xmin)) / (xmax - xmin);
            double sy = Math.abs(x.getScreenYFromChart(ymax) - x.getScreenYFromChart(ymin)) / (ymax - ymin);
            if (Math.abs(sx / sy - 1) < 1e-3) {
                return;
            }
            if (sx > sy) { // x is stretched: show more x
                double half = (xmax - xmin) * sx / sy / 2;
                double mid = (xmax + xmin) / 2;
                xmin = mid - half;
                xmax = mid + half;
            } else {
                double half = (ymax - ymin) * sy / sx / 2;
                double mid = (ymax + ymin) / 2;
                ymin = mid - half;
                ymax = mid + half;
            }
            x.getStyler().setXAxisMin(xmin);
            x.getStyler().setXAxisMax(xmax);
            x.getStyler().setYAxisMin(ymin);
            x.getStyler().setYAxisMax(ymax);
            x.getStyler().setxAxisTickLabelsFormattingFunction(TickFormat.forRange(xmin, xmax));
            x.getStyler().setyAxisTickLabelsFormattingFunction(TickFormat.forRange(ymin, ymax));
        }
    }

    private static final Pattern ID = Pattern.compile("id=\"([^\"]+)\"");

    /**
     * The SVG of a chart. VectorGraphics2D names clip paths after object hashes, which differ from run to run and
     * could collide between charts inlined into one page; they are renamed ID-clip1, ID-clip2, ... in order.
     */
    static String svg(XYChart x, String chartId) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        paint(x, g);
        // Disposed now, not by its finalizer: once g is unreachable (after getCommands) the finalizer's dispose()
        // would append a command to the list the SVG processor is iterating (a ConcurrentModificationException
        // whenever a garbage collection falls inside the processing).
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, x.getWidth(), x.getHeight())).writeTo(out);
        String text = out.toString(StandardCharsets.UTF_8);
        Map<String, String> names = new LinkedHashMap<>();
        Matcher m = ID.matcher(text);
        while (m.find()) {
            names.putIfAbsent(m.group(1), chartId + "-clip" + (names.size() + 1));
        }
        for (Map.Entry<String, String> e : names.entrySet()) {
            text = text.replace("\"" + e.getKey() + "\"", "\"" + e.getValue() + "\"")
                    .replace("#" + e.getKey() + ")", "#" + e.getValue() + ")");
        }
        return text;
    }

    /**
     * The SVG element alone for an HTML page: no XML declaration or doctype, and no namespace declarations (HTML
     * knows SVG's; the page then names no address at all).
     */
    static String inline(String svg) {
        int start = svg.indexOf("<svg");
        String element = start < 0 ? svg : svg.substring(start);
        return element.replaceFirst(" xmlns:xlink=\"[^\"]*\"", "").replaceFirst(" xmlns=\"[^\"]*\"", "")
                .replaceFirst("<svg ", "<svg class=\"chart\" ");
    }
}
