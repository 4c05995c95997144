/**
 * The one chart renderer of driftlab: a chart is described once ({@link org.driftlab.chart.Chart}: series, axes,
 * caption) and drawn by XChart into a PNG, an SVG and a PDF beside each other, and into the HTML reports as the same
 * SVG. Every producer of charts (training-run, study, sweep and landscape reports, {@code driftlab curvature
 * --density}) goes through {@link org.driftlab.chart.ChartRenderer}, so all charts share one look: round tick values,
 * log axes where a quantity spans decades, a distinct colour and line pattern per series, equal aspect for phase
 * portraits.
 *
 * <p>Sits low in the layers (it knows XChart and {@code data}'s atomic files, nothing of experiments), so that both
 * {@code report} and {@code landscape} can draw with it.
 */
package org.driftlab.chart;
