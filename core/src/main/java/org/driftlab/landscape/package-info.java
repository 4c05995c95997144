/**
 * Loss landscapes (Li, Xu, Taylor, Studer, Goldstein, NeurIPS 2018): E along a line or over a plane through θ, in
 * filter-normalised random directions, along the top Hessian eigenvectors, or in the plane of a run's trajectory.
 *
 * <ul>
 *   <li>{@link org.driftlab.landscape.LandscapeSpec}: what a landscape is (θ and E, directions, grid), saved with it;</li>
 *   <li>{@link org.driftlab.landscape.Directions}: the three kinds of directions and the projection of iterates;</li>
 *   <li>{@link org.driftlab.landscape.Landscape}: the point-by-point, parallel, resumable computation, its point
 *       evaluation a pure function of the spec and the point index, and {@code landscape.npz}.</li>
 * </ul>
 * The grid is not a sweep of {@code org.driftlab.sweep} members (a member is a run directory; a point is one
 * evaluation of E): its points are plain work items of a sweep engine ({@link org.driftlab.sweep.WorkJob}), in this
 * JVM or on Spark, and the driver keeps the point log. It sits above {@code experiment} (a run directory is read
 * through the same factory that trained it), {@code flow} (eigenvectors) and {@code sweep} (the engines).
 */
package org.driftlab.landscape;
