/**
 * Continuous-time models of gradient descent as vector fields on an {@link org.driftlab.objective.Objective}, their
 * integration, and their comparison with the discrete iterates.
 *
 * <ul>
 *   <li>{@link org.driftlab.flow.VectorField}: θ̇ = f(θ). {@link org.driftlab.flow.GradientFlow} (NGF, θ̇ = −∇E),
 *       {@link org.driftlab.flow.IgrFlow} (θ̇ = −∇E − (h/2)∇²E∇E), {@link org.driftlab.flow.ThirdOrderFlow},
 *       {@link org.driftlab.flow.PrincipalFlow} (complex, exact or eigen-truncated), {@link org.driftlab.flow.CentralFlow}
 *       (one eigenvalue at the edge of stability); those of an Objective share {@link org.driftlab.flow.ObjectiveField}
 *       (objective, h, D, the state check) and one recorded third-derivative graph for ∇³E[u, v].</li>
 *   <li>{@link org.driftlab.flow.FlowIntegrator}: adaptive Dormand–Prince (Hipparchus) with dense output at
 *       t = n·h, giving a {@link org.driftlab.flow.Trajectory}.</li>
 *   <li>{@link org.driftlab.flow.Comparison}: GD iterate n against the flow at t = n·h (distance, losses,
 *       projections on fixed directions).</li>
 *   <li>{@link org.driftlab.flow.LangevinSde} and {@link org.driftlab.flow.EulerMaruyama}: dθ = −P∇E dt + √(h PΣP) dW.</li>
 * </ul>
 */
package org.driftlab.flow;
