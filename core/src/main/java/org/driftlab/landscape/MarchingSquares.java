package org.driftlab.landscape;

import java.util.ArrayList;
import java.util.List;

/**
 * Iso-lines of a function sampled on a rectangular grid by marching squares: in each cell the level crosses the
 * edges whose corner values straddle it, at the linearly interpolated points, and the crossings are joined into
 * segments (a saddle cell, two opposite corners above, is resolved by the mean of its four corners). Hand-written
 * because XChart draws no contours and a contour library would be a dependency for forty lines.
 */
final class MarchingSquares {
    private MarchingSquares() {}

    /**
     * The segments {x₀, y₀, x₁, y₁} of the level set z = level, with z[i][j] at (x[i], y[j]); cells with a
     * non-finite corner are skipped.
     */
    static List<double[]> isoLines(double[] x, double[] y, double[][] z, double level) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < x.length; i++) {
            for (int j = 0; j + 1 < y.length; j++) {
                // corners counter-clockwise: (i, j), (i+1, j), (i+1, j+1), (i, j+1)
                double[] v = {z[i][j], z[i + 1][j], z[i + 1][j + 1], z[i][j + 1]};
                double[] cx = {x[i], x[i + 1], x[i + 1], x[i]};
                double[] cy = {y[j], y[j], y[j + 1], y[j + 1]};
                boolean finite = true;
                int mask = 0;
                for (int k = 0; k < 4; k++) {
                    finite &= Double.isFinite(v[k]);
                    if (v[k] > level) {
                        mask |= 1 << k;
                    }
                }
                if (!finite || mask == 0 || mask == 15) {
                    continue;
                }
                // crossing points on the edges k → k+1 that straddle the level
                List<double[]> pts = new ArrayList<>(4);
                for (int k = 0; k < 4; k++) {
                    int m = (k + 1) % 4;
                    if ((v[k] > level) != (v[m] > level)) {
                        double t = (level - v[k]) / (v[m] - v[k]);
                        pts.add(new double[] {cx[k] + t * (cx[m] - cx[k]), cy[k] + t * (cy[m] - cy[k])});
                    }
                }
                if (pts.size() == 2) {
                    out.add(new double[] {pts.get(0)[0], pts.get(0)[1], pts.get(1)[0], pts.get(1)[1]});
                } else if (pts.size() == 4) {
                    // saddle: the crossings on edges 0-1, 1-2, 2-3, 3-0; pair them so the segments separate the
                    // corners on the side the centre value falls on
                    double centre = (v[0] + v[1] + v[2] + v[3]) / 4;
                    boolean joinAroundCorner0 = (centre > level) != (v[0] > level);
                    if (joinAroundCorner0) {
                        out.add(seg(pts.get(3), pts.get(0)));
                        out.add(seg(pts.get(1), pts.get(2)));
                    } else {
                        out.add(seg(pts.get(0), pts.get(1)));
                        out.add(seg(pts.get(2), pts.get(3)));
                    }
                }
            }
        }
        return out;
    }

    private static double[] seg(double[] p, double[] q) {
        return new double[] {p[0], p[1], q[0], q[1]};
    }
}
