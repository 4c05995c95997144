package org.driftlab.chart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.driftlab.data.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The one chart renderer: what it draws, read back from the XChart object, the SVG and the PNG. */
class ChartRendererTest {
    @TempDir
    Path tmp;

    private static double[] range(int n, double step) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * step;
        }
        return x;
    }

    /** Nine wavy lines, far apart, and a reference line. */
    private static Chart nine() {
        Chart.Builder b = Chart.of("nine", "Nine series").axes("step", "value");
        double[] x = range(201, 5);
        for (int k = 0; k < 9; k++) {
            double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = 3 * k + Math.sin(i / 15.0 + k);
            }
            b.line("series " + k, x, y, null);
        }
        return b.add(Chart.Series.hline("2/h", 13.5, null)).build();
    }

    private static final Pattern SVG_STROKE = Pattern.compile("<path[^>]*?d=\"([^\"]*)\"[^>]*?style=\"([^\"]*)\"");

    /** {stroke colour, dash array, path data} of every stroked path in an SVG. */
    private static List<String[]> strokes(String svg) {
        List<String[]> out = new ArrayList<>();
        Matcher m = SVG_STROKE.matcher(svg);
        while (m.find()) {
            String style = m.group(2);
            Matcher c = Pattern.compile("stroke:(rgb\\([^)]*\\))").matcher(style);
            Matcher d = Pattern.compile("stroke-dasharray:([^;]*)").matcher(style);
            if (c.find()) {
                out.add(new String[] {c.group(1), d.find() ? d.group(1) : "", m.group(1)});
            }
        }
        return out;
    }

    @Test
    void nineSeriesDifferInColourAndInLinePatternAndFromTheReference() throws Exception {
        Chart c = nine();
        XYChart x = ChartRenderer.toXChart(c);
        List<XYSeries> lines = new ArrayList<>();
        XYSeries reference = Drawn.series(x, "2/h");
        for (int k = 0; k < 9; k++) {
            lines.add(Drawn.series(x, "series " + k));
        }
        Set<Color> colours = new HashSet<>();
        Set<String> dashes = new HashSet<>();
        for (XYSeries s : lines) {
            colours.add(s.getLineColor());
            dashes.add(Arrays.toString(s.getLineStyle().getDashArray()));
        }
        assertEquals(9, colours.size(), "nine colours");
        assertEquals(9, dashes.size(), "nine line patterns: " + dashes);
        assertTrue(dashes.contains("null"), "one solid line");
        String referenceDash = Arrays.toString(reference.getLineStyle().getDashArray());
        assertFalse(dashes.contains(referenceDash), "no data line is dashed like a reference: " + referenceDash);
        assertTrue(reference.getLineStyle().getLineWidth() < lines.get(0).getLineStyle().getLineWidth(),
                "references are thinner");

        // the same in the SVG a reader opens: one path per series (so a pattern runs on along the whole line, instead
        // of restarting at each of the 201 points), nine distinct colours and nine distinct patterns
        String svg = Files.readString(ChartRenderer.write(c, tmp).svg(), StandardCharsets.UTF_8);
        Set<String> lineColours = new HashSet<>();
        Set<String> linePatterns = new HashSet<>();
        for (String[] s : strokes(svg)) {
            long vertices = s[2].chars().filter(ch -> ch == 'L').count();
            if (vertices >= 200) { // a data line (axes, ticks and legend samples have a few vertices)
                lineColours.add(s[0]);
                linePatterns.add(s[1]);
            }
        }
        assertEquals(9, lineColours.size(), "nine joined data paths in nine colours: " + lineColours);
        assertEquals(9, linePatterns.size(), "nine patterns in the SVG: " + linePatterns);

        // and the PNG: every series' colour is painted (antialiased: pixels within a small RGB distance of it)
        BufferedImage png = ImageIO.read(Files.newInputStream(tmp.resolve("chart-nine.png")));
        for (XYSeries s : lines) {
            Color want = s.getLineColor();
            int count = 0;
            for (int i = 0; i < png.getWidth(); i++) {
                for (int j = 0; j < png.getHeight(); j++) {
                    Color got = new Color(png.getRGB(i, j));
                    double d = Math.hypot(Math.hypot(got.getRed() - want.getRed(), got.getGreen() - want.getGreen()),
                            got.getBlue() - want.getBlue());
                    count += d < 40 ? 1 : 0;
                }
            }
            assertTrue(count > 100, s.getLabel() + ": " + count + " pixels of its colour");
        }
    }

    @Test
    void patternsAndColoursStayDistinctBeyondNineAndAKeySharesOneStyle() {
        Set<String> pairs = new HashSet<>();
        for (int slot = 0; slot < 90; slot++) {
            pairs.add(Palette.colour(slot) + Arrays.toString(Palette.line(slot).getDashArray()));
        }
        assertEquals(90, pairs.size(), "colour and pattern pairs repeat only after 90 series");
        double[] x = {0, 1, 2};
        Chart c = Chart.of("keys", "keys").line("a", x, x, "run0").add(Chart.Series.band("a band", x, x, x, "run0"))
                .dashed("a 2/h", x, x, "run0").line("b", x, x, "run1").build();
        XYChart xc = ChartRenderer.toXChart(c);
        assertEquals(Drawn.series(xc, "a").getLineColor(), Drawn.series(xc, "a 2/h").getLineColor());
        assertEquals(Drawn.series(xc, "a").getLineColor().getRGB() & 0xffffff,
                Drawn.series(xc, "a band").getFillColor().getRGB() & 0xffffff);
        assertFalse(Drawn.series(xc, "a").getLineColor().equals(Drawn.series(xc, "b").getLineColor()));
    }

    /** True when every value is an integer multiple of one round step (1, 2, 2.5 or 5 times a power of ten). */
    private static void assertRound(List<Double> ticks, String what) {
        assertTrue(ticks.size() >= 3, what + ": at least three labelled ticks: " + ticks);
        double step = ticks.get(1) - ticks.get(0);
        double unit = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        double mantissa = step / unit;
        assertTrue(Stream.of(1.0, 2.0, 2.5, 5.0).anyMatch(m -> Math.abs(m - mantissa) < 1e-9), what + ": step " + step);
        for (int i = 0; i < ticks.size(); i++) {
            double k = ticks.get(i) / step;
            assertEquals(Math.rint(k), k, 1e-9, what + ": " + ticks);
            if (i > 0) {
                assertEquals(step, ticks.get(i) - ticks.get(i - 1), 1e-9 * step, what + ": evenly spaced " + ticks);
            }
        }
    }

    @Test
    void axesEndOnRoundNumbersAroundTheDataAndTicksAreRound() {
        // data in [0.37, 9.81] at probes every 7 steps: XChart alone would put its ticks on the data (0, 14, 28, ...)
        double[] x = range(101, 7);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.37 + (9.81 - 0.37) * i / 100.0;
        }
        XYChart c = ChartRenderer.toXChart(Chart.of("lin", "linear").line("y", x, y, null).build());
        // 700/6 = 117 → step 200 → [0, 800]; 9.44/6 = 1.57 → step 2 → [0, 10]
        assertEquals(0.0, c.getStyler().getXAxisMin());
        assertEquals(800.0, c.getStyler().getXAxisMax());
        assertEquals(0.0, c.getStyler().getYAxisMin());
        assertEquals(10.0, c.getStyler().getYAxisMax());
        assertRound(Drawn.ticks(c, true), "x");
        assertRound(Drawn.ticks(c, false), "y");
        assertTrue(Drawn.ticks(c, true).stream().noneMatch(t -> t == 14 || t == 70 || t == 140), "ticks off the data");

        // negative, small and offset values keep round ends: [-0.0123, 0.0456] → step 0.01 → [-0.02, 0.05]
        Axes.Range r = Axes.range(-0.0123, 0.0456, false);
        assertEquals(-0.02, r.min());
        assertEquals(0.05, r.max());
        r = Axes.range(1000.3, 1000.9, false); // 0.1 step: [1000.3, 1000.9]
        assertEquals(1000.3, r.min());
        assertEquals(1000.9, r.max());
        r = Axes.range(5, 5, false); // a constant: ±10%, then round
        assertTrue(r.min() < 5 && r.max() > 5 && r.max() - r.min() <= 2, r.toString());
    }

    @Test
    void aQuantitySpanningDecadesGetsALogAxisOfWholeDecades() {
        double[] x = range(50, 1);
        double[] loss = new double[x.length];
        double[] flat = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            loss[i] = 2.3 * Math.exp(-i / 12.0); // 2.3 → 0.039: 1.8 decades
            flat[i] = 0.5 - 0.008 * i; // 0.5 → 0.108: 0.7 decades
        }
        Chart spans = Chart.of("l", "loss").scales(Chart.Scale.LINEAR, Chart.Scale.AUTO).line("E", x, loss, null).build();
        assertTrue(spans.drawnLogY());
        XYChart c = ChartRenderer.toXChart(spans);
        assertTrue(c.getStyler().isYAxisLogarithmic());
        assertEquals(0.01, c.getStyler().getYAxisMin());
        assertEquals(10.0, c.getStyler().getYAxisMax());
        assertEquals(List.of(0.01, 0.1, 1.0, 10.0), Drawn.ticks(c, false), "labels on the decades");
        Chart narrow = Chart.of("f", "flat").scales(Chart.Scale.LINEAR, Chart.Scale.AUTO).line("E", x, flat, null).build();
        assertFalse(narrow.drawnLogY());
        // a log axis asked for drops values that are not positive instead of failing
        double[] withZero = {0, 1e-3, 1e-1};
        Chart log = Chart.of("z", "zero").scales(Chart.Scale.LINEAR, Chart.Scale.LOG).line("E", new double[] {1, 2, 3},
                withZero, null).build();
        assertArrayEquals(new double[] {2, 3}, Drawn.series(ChartRenderer.toXChart(log), "E").getXData());
        assertEquals(List.of(1e-3, 1e-2, 1e-1), Drawn.ticks(ChartRenderer.toXChart(log), false));
    }

    @Test
    void aPhasePortraitHasEqualUnitsOnBothAxes() {
        double[] px = new double[120];
        double[] py = new double[120];
        for (int i = 0; i < px.length; i++) {
            double t = i / 10.0;
            px[i] = 4 * Math.cos(t) * Math.exp(-t / 9);
            py[i] = Math.sin(t) * Math.exp(-t / 9);
        }
        for (int[] size : new int[][] {{900, 420}, {500, 700}}) {
            XYChart c = ChartRenderer.toXChart(Chart.of("p", "portrait").axes("x", "y").equalAspect(true)
                    .size(size[0], size[1]).add(new Chart.Series("GD", px, py, Chart.Style.PATH, null)).build());
            Drawn.paint(c);
            double sx = Math.abs(c.getScreenXFromChart(1) - c.getScreenXFromChart(0));
            double sy = Math.abs(c.getScreenYFromChart(1) - c.getScreenYFromChart(0));
            // pixels per unit agree to the layout's rounding (XChart lays out in whole pixels: < 1 px over the plot)
            assertEquals(1.0, sx / sy, 5e-3, "pixels per unit, x " + sx + " y " + sy + " at " + Arrays.toString(size));
            assertTrue(c.getStyler().getXAxisMin() <= -4 * 0.85 && c.getStyler().getYAxisMax() >= 1.0 * 0.8,
                    "the data stay inside");
        }
    }

    @Test
    void linesBreakAtGapsAndBandsAreClosedPolygons() {
        double[] x = {0, 1, 2, 3, 4};
        double[] y = {1, 2, Double.NaN, 4, 5};
        double[] lo = {0, 1, 2, 3, 4};
        double[] hi = {2, 3, 4, 5, 6};
        XYChart c = ChartRenderer.toXChart(Chart.of("g", "gaps").line("y", x, y, null)
                .add(Chart.Series.band("band", x, lo, hi, null)).build());
        XYSeries line = Drawn.series(c, "y");
        assertArrayEquals(new double[] {0, 1, 1, 3, 4}, line.getXData());
        assertArrayEquals(new double[] {1, 2, Double.NaN, 4, 5}, line.getYData());
        XYSeries band = Drawn.series(c, "band");
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 4, 3, 2, 1, 0}, band.getXData());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 6, 5, 4, 3, 2}, band.getYData());
        // a horizontal reference spans the drawn x axis
        XYChart h = ChartRenderer.toXChart(Chart.of("h", "h").line("y", x, lo, null).add(Chart.Series.hline("r", 2.5, null))
                .build());
        assertArrayEquals(new double[] {h.getStyler().getXAxisMin(), h.getStyler().getXAxisMax()},
                Drawn.series(h, "r").getXData());
        assertArrayEquals(new double[] {2.5, 2.5}, Drawn.series(h, "r").getYData());
    }

    @Test
    void everyChartIsWrittenAsPngSvgAndPdfAtomically() throws Exception {
        Chart c = nine();
        ChartRenderer.Files f = ChartRenderer.write(c, tmp);
        assertEquals(tmp.resolve("chart-nine.png"), f.png());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(f.png())));
        assertNotNull(png);
        assertEquals(900, png.getWidth());
        byte[] pdf = Files.readAllBytes(f.pdf());
        assertEquals("%PDF", new String(pdf, 0, 4, StandardCharsets.US_ASCII));
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
        assertNotNull(xml.newDocumentBuilder().parse(f.svg().toFile()));
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(AtomicFiles.TMP_PREFIX)), "no temporaries");
        }
        // the inline SVG names no address and its clip paths carry the chart's id, so two charts on a page never share one
        assertFalse(f.inlineSvg().contains("http"), f.inlineSvg().substring(0, 300));
        assertTrue(f.inlineSvg().startsWith("<svg class=\"chart\""));
        Matcher ids = Pattern.compile("id=\"([^\"]+)\"").matcher(f.inlineSvg());
        while (ids.find()) {
            assertTrue(ids.group(1).startsWith("nine-clip"), ids.group(1));
        }
        // the same chart twice gives the same SVG (no hash codes in it)
        assertEquals(Files.readString(f.svg()), Files.readString(ChartRenderer.write(c, tmp).svg()));
        // --density FILE.png style: the vector files go beside a PNG of any name
        ChartRenderer.Files named = ChartRenderer.writeTo(c, tmp.resolve("density.png"));
        assertEquals(tmp.resolve("density.svg"), named.svg());
        assertTrue(Files.size(tmp.resolve("density.pdf")) > 1000);
        String html = ChartRenderer.figure(Chart.of("cap", "t").line("a", new double[] {0, 1}, new double[] {0, 1}, null)
                .caption("x < y & z").build(), f);
        assertTrue(html.contains("<figcaption><b>t.</b> x &lt; y &amp; z</figcaption>"), html.substring(html.length() - 200));
    }

    @Test
    void tickLabelsAreLocaleFreeShortestDecimals() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // a decimal comma must not leak into the charts
            TickFormat plain = TickFormat.forRange(0, 1500);
            assertEquals("0.25", plain.apply(0.25));
            assertEquals("1500", plain.apply(1500.0));
            assertEquals("-40", plain.apply(-40.0));
            assertEquals("0", plain.apply(0.0));
            assertEquals("0.3", plain.apply(0.1 + 0.2 - 5.551115123125783e-17)); // the double nearest 0.3
            TickFormat sci = TickFormat.forRange(0, 4e-5);
            assertEquals("2.5e-5", sci.apply(2.5e-5));
            assertEquals("1e-5", sci.apply(1e-5));
            assertEquals("0", sci.apply(0.0));
            assertEquals("1.5e5", TickFormat.forRange(0, 2e5).apply(1.5e5));
            XYChart c = ChartRenderer.toXChart(Chart.of("de", "de").line("y", new double[] {0, 1}, new double[] {0.1, 0.35},
                    null).build());
            List<Double> ticks = Drawn.ticks(c, false);
            assertTrue(ticks.contains(0.2), "labels parse as dotted decimals: " + ticks);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void anEmptyChartSaysSo() throws Exception {
        Chart c = Chart.of("empty", "Nothing").line("y", new double[] {1}, new double[] {Double.NaN}, null).build();
        assertTrue(c.isEmpty());
        XYChart x = ChartRenderer.toXChart(c);
        assertTrue(x.getTitle().contains("no data"));
        assertTrue(Files.size(ChartRenderer.write(c, tmp).png()) > 0);
        BasicStroke solid = Palette.line(0);
        assertEquals(null, solid.getDashArray());
    }
}
