package org.driftlab.chart;

import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GraphicsConfiguration;
import java.awt.Image;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.BufferedImageOp;
import java.awt.image.ImageObserver;
import java.awt.image.RenderedImage;
import java.awt.image.renderable.RenderableImage;
import java.text.AttributedCharacterIterator;
import java.util.Map;
import java.util.Objects;

/**
 * A Graphics2D that draws consecutive line segments of one colour and stroke as one path, and forwards everything
 * else unchanged. XChart 3.8.8 draws a series line segment by segment (PlotContent_XY: one {@code draw(Line2D)} per
 * pair of points), so a dash pattern starts afresh at every data point and a dashed or dash-dotted series with
 * points a few pixels apart looks solid; in SVG every segment also becomes its own element. Joined into one path,
 * patterns run on along the whole line, in PNG, SVG and PDF alike. No library offers this (it is a property of how
 * XChart calls Graphics2D), hence this small delegate.
 *
 * <p>Joining is exact: the path visits the same points in the same order; a segment that does not start where the
 * previous one ended starts a new sub-path (a gap). Any other drawing call, or a change of colour, stroke, paint,
 * composite, transform, clip or hints, first draws the pending path.
 */
final class JoiningGraphics extends Graphics2D {
    private final Graphics2D g;
    private Path2D.Double pending;
    private double endX;
    private double endY;

    JoiningGraphics(Graphics2D g) {
        this.g = g;
    }

    /** Draws the pending path, if any. */
    void flush() {
        if (pending != null) {
            Path2D.Double p = pending;
            pending = null;
            g.draw(p);
        }
    }

    @Override
    public void draw(Shape s) {
        if (s instanceof Line2D l) {
            if (pending == null) {
                pending = new Path2D.Double();
                pending.moveTo(l.getX1(), l.getY1());
            } else if (l.getX1() != endX || l.getY1() != endY) {
                pending.moveTo(l.getX1(), l.getY1());
            }
            pending.lineTo(l.getX2(), l.getY2());
            endX = l.getX2();
            endY = l.getY2();
            return;
        }
        flush();
        g.draw(s);
    }

    // Setting the value already in force is dropped: XChart sets colour and stroke again at every point, and the
    // vector formats would record each of them.

    @Override
    public void setColor(Color c) {
        if (Objects.equals(c, g.getColor()) && Objects.equals(c, g.getPaint())) {
            return;
        }
        flush();
        g.setColor(c);
    }

    @Override
    public void setPaint(Paint paint) {
        if (Objects.equals(paint, g.getPaint())) {
            return;
        }
        flush();
        g.setPaint(paint);
    }

    @Override
    public void setStroke(Stroke s) {
        if (Objects.equals(s, g.getStroke())) {
            return;
        }
        flush();
        g.setStroke(s);
    }

    @Override
    public void setRenderingHint(RenderingHints.Key hintKey, Object hintValue) {
        if (Objects.equals(hintValue, g.getRenderingHint(hintKey))) {
            return;
        }
        flush();
        g.setRenderingHint(hintKey, hintValue);
    }

    // ---------------------------------------------------------------- everything else: flush, then forward

    @Override
    public Graphics create() {
        flush();
        return new JoiningGraphics((Graphics2D) g.create());
    }

    @Override
    public void dispose() {
        flush();
        g.dispose();
    }

    @Override
    public boolean drawImage(Image img, AffineTransform xform, ImageObserver obs) {
        flush();
        return g.drawImage(img, xform, obs);
    }

    @Override
    public void drawImage(BufferedImage img, BufferedImageOp op, int x, int y) {
        flush();
        g.drawImage(img, op, x, y);
    }

    @Override
    public void drawRenderedImage(RenderedImage img, AffineTransform xform) {
        flush();
        g.drawRenderedImage(img, xform);
    }

    @Override
    public void drawRenderableImage(RenderableImage img, AffineTransform xform) {
        flush();
        g.drawRenderableImage(img, xform);
    }

    @Override
    public void drawString(String str, int x, int y) {
        flush();
        g.drawString(str, x, y);
    }

    @Override
    public void drawString(String str, float x, float y) {
        flush();
        g.drawString(str, x, y);
    }

    @Override
    public void drawString(AttributedCharacterIterator iterator, int x, int y) {
        flush();
        g.drawString(iterator, x, y);
    }

    @Override
    public void drawString(AttributedCharacterIterator iterator, float x, float y) {
        flush();
        g.drawString(iterator, x, y);
    }

    @Override
    public void drawGlyphVector(GlyphVector gv, float x, float y) {
        flush();
        g.drawGlyphVector(gv, x, y);
    }

    @Override
    public void fill(Shape s) {
        flush();
        g.fill(s);
    }

    @Override
    public boolean hit(Rectangle rect, Shape s, boolean onStroke) {
        return g.hit(rect, s, onStroke);
    }

    @Override
    public GraphicsConfiguration getDeviceConfiguration() {
        return g.getDeviceConfiguration();
    }

    @Override
    public void setComposite(Composite comp) {
        flush();
        g.setComposite(comp);
    }

    @Override
    public Object getRenderingHint(RenderingHints.Key hintKey) {
        return g.getRenderingHint(hintKey);
    }

    @Override
    public void setRenderingHints(Map<?, ?> hints) {
        flush();
        g.setRenderingHints(hints);
    }

    @Override
    public void addRenderingHints(Map<?, ?> hints) {
        flush();
        g.addRenderingHints(hints);
    }

    @Override
    public RenderingHints getRenderingHints() {
        return g.getRenderingHints();
    }

    @Override
    public void translate(int x, int y) {
        flush();
        g.translate(x, y);
    }

    @Override
    public void translate(double tx, double ty) {
        flush();
        g.translate(tx, ty);
    }

    @Override
    public void rotate(double theta) {
        flush();
        g.rotate(theta);
    }

    @Override
    public void rotate(double theta, double x, double y) {
        flush();
        g.rotate(theta, x, y);
    }

    @Override
    public void scale(double sx, double sy) {
        flush();
        g.scale(sx, sy);
    }

    @Override
    public void shear(double shx, double shy) {
        flush();
        g.shear(shx, shy);
    }

    @Override
    public void transform(AffineTransform tx) {
        flush();
        g.transform(tx);
    }

    @Override
    public void setTransform(AffineTransform tx) {
        flush();
        g.setTransform(tx);
    }

    @Override
    public AffineTransform getTransform() {
        return g.getTransform();
    }

    @Override
    public Paint getPaint() {
        return g.getPaint();
    }

    @Override
    public Composite getComposite() {
        return g.getComposite();
    }

    @Override
    public void setBackground(Color color) {
        flush();
        g.setBackground(color);
    }

    @Override
    public Color getBackground() {
        return g.getBackground();
    }

    @Override
    public Stroke getStroke() {
        return g.getStroke();
    }

    @Override
    public void clip(Shape s) {
        flush();
        g.clip(s);
    }

    @Override
    public FontRenderContext getFontRenderContext() {
        return g.getFontRenderContext();
    }

    @Override
    public Color getColor() {
        return g.getColor();
    }

    @Override
    public void setPaintMode() {
        flush();
        g.setPaintMode();
    }

    @Override
    public void setXORMode(Color c1) {
        flush();
        g.setXORMode(c1);
    }

    @Override
    public Font getFont() {
        return g.getFont();
    }

    @Override
    public void setFont(Font font) {
        g.setFont(font); // fonts affect text only, and text flushes
    }

    @Override
    public FontMetrics getFontMetrics(Font f) {
        return g.getFontMetrics(f);
    }

    @Override
    public Rectangle getClipBounds() {
        return g.getClipBounds();
    }

    @Override
    public void clipRect(int x, int y, int width, int height) {
        flush();
        g.clipRect(x, y, width, height);
    }

    @Override
    public void setClip(int x, int y, int width, int height) {
        flush();
        g.setClip(x, y, width, height);
    }

    @Override
    public Shape getClip() {
        return g.getClip();
    }

    @Override
    public void setClip(Shape clip) {
        flush();
        g.setClip(clip);
    }

    @Override
    public void copyArea(int x, int y, int width, int height, int dx, int dy) {
        flush();
        g.copyArea(x, y, width, height, dx, dy);
    }

    @Override
    public void drawLine(int x1, int y1, int x2, int y2) {
        flush();
        g.drawLine(x1, y1, x2, y2);
    }

    @Override
    public void fillRect(int x, int y, int width, int height) {
        flush();
        g.fillRect(x, y, width, height);
    }

    @Override
    public void clearRect(int x, int y, int width, int height) {
        flush();
        g.clearRect(x, y, width, height);
    }

    @Override
    public void drawRoundRect(int x, int y, int width, int height, int arcWidth, int arcHeight) {
        flush();
        g.drawRoundRect(x, y, width, height, arcWidth, arcHeight);
    }

    @Override
    public void fillRoundRect(int x, int y, int width, int height, int arcWidth, int arcHeight) {
        flush();
        g.fillRoundRect(x, y, width, height, arcWidth, arcHeight);
    }

    @Override
    public void drawOval(int x, int y, int width, int height) {
        flush();
        g.drawOval(x, y, width, height);
    }

    @Override
    public void fillOval(int x, int y, int width, int height) {
        flush();
        g.fillOval(x, y, width, height);
    }

    @Override
    public void drawArc(int x, int y, int width, int height, int startAngle, int arcAngle) {
        flush();
        g.drawArc(x, y, width, height, startAngle, arcAngle);
    }

    @Override
    public void fillArc(int x, int y, int width, int height, int startAngle, int arcAngle) {
        flush();
        g.fillArc(x, y, width, height, startAngle, arcAngle);
    }

    @Override
    public void drawPolyline(int[] xPoints, int[] yPoints, int nPoints) {
        flush();
        g.drawPolyline(xPoints, yPoints, nPoints);
    }

    @Override
    public void drawPolygon(int[] xPoints, int[] yPoints, int nPoints) {
        flush();
        g.drawPolygon(xPoints, yPoints, nPoints);
    }

    @Override
    public void fillPolygon(int[] xPoints, int[] yPoints, int nPoints) {
        flush();
        g.fillPolygon(xPoints, yPoints, nPoints);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, ImageObserver observer) {
        flush();
        return g.drawImage(img, x, y, observer);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, int width, int height, ImageObserver observer) {
        flush();
        return g.drawImage(img, x, y, width, height, observer);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, Color bgcolor, ImageObserver observer) {
        flush();
        return g.drawImage(img, x, y, bgcolor, observer);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, int width, int height, Color bgcolor, ImageObserver observer) {
        flush();
        return g.drawImage(img, x, y, width, height, bgcolor, observer);
    }

    @Override
    public boolean drawImage(Image img, int dx1, int dy1, int dx2, int dy2, int sx1, int sy1, int sx2, int sy2,
                             ImageObserver observer) {
        flush();
        return g.drawImage(img, dx1, dy1, dx2, dy2, sx1, sy1, sx2, sy2, observer);
    }

    @Override
    public boolean drawImage(Image img, int dx1, int dy1, int dx2, int dy2, int sx1, int sy1, int sx2, int sy2,
                             Color bgcolor, ImageObserver observer) {
        flush();
        return g.drawImage(img, dx1, dy1, dx2, dy2, sx1, sy1, sx2, sy2, bgcolor, observer);
    }
}
