package org.driftlab.game;

import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;

/**
 * The calculus of a game on the joint vector z = (φ, θ): the vector field F = (f, g) = (−∇_φL_φ, −∇_θL_θ), its
 * (non-symmetric) Jacobian-vector products J·v and Jᵀ·u, the dense Jacobian, and each player's gradient of its
 * regularised loss L̃ (see {@link Regulariser}), all exact by reverse mode (no finite differences).
 */
public final class GameField {
    private final Game game;
    private final int n;
    private final int p;

    /** The field of a game. */
    public GameField(Game game) {
        this.game = game;
        this.n = game.dimPhi();
        this.p = game.dimTheta();
    }

    /** The game. */
    public Game game() {
        return game;
    }

    /** dim φ + dim θ. */
    public int dim() {
        return n + p;
    }

    /** dim φ: z[0, n) is φ, z[n, n+p) is θ. */
    public int dimPhi() {
        return n;
    }

    /** F(z) = (f, g) = (−∇_φL_φ, −∇_θL_θ). */
    public double[] field(double[] z) {
        double[] grads = gradients(z, Regulariser.none(), null);
        for (int i = 0; i < grads.length; i++) {
            grads[i] = -grads[i];
        }
        return grads;
    }

    /** The modified field −(∇_φL̃_φ, ∇_θL̃_θ) of the regularised losses. */
    public double[] field(double[] z, Regulariser r) {
        double[] grads = gradients(z, r, null);
        for (int i = 0; i < grads.length; i++) {
            grads[i] = -grads[i];
        }
        return grads;
    }

    /**
     * (∇_φL̃_φ, ∇_θL̃_θ) at z: each player's gradient of its own regularised loss.
     *
     * @param anchor null, or the players' gradients (∇_φL_φ, ∇_θL_θ) at an earlier iterate: then the
     *     interaction terms use them as sg(·) instead of the gradients at z (Rosca and Deisenroth 2023's
     *     general-sum form, where the other player's gradient is taken at (φ_{t−1}, θ_{t−1}))
     */
    public double[] gradients(double[] z, Regulariser r, double[] anchor) {
        check(z);
        Var zv = Var.param(Tensor.vector(z.clone()));
        Var[] pt = split(zv);
        Var l1 = game.lossPhi(pt[0], pt[1]);
        Var l2 = game.lossTheta(pt[0], pt[1]);
        if (r.isZero()) {
            Var g1 = Autodiff.grad(l1, zv, false);
            Var g2 = Autodiff.grad(l2, zv, false);
            double[] out = new double[n + p];
            System.arraycopy(g1.value().data(), 0, out, 0, n);
            System.arraycopy(g2.value().data(), n, out, n, p);
            return out;
        }
        Var g1 = Autodiff.grad(l1, zv, true);
        Var g2 = Autodiff.grad(l2, zv, true);
        Var g1phi = F.slice(g1, 0, 0, n);
        Var g1theta = F.slice(g1, 0, n, n + p);
        Var g2phi = F.slice(g2, 0, 0, n);
        Var g2theta = F.slice(g2, 0, n, n + p);
        Var sgPhi = anchor == null ? g1phi.detach() : Var.constant(Tensor.vector(slice(anchor, 0, n)));
        Var sgTheta = anchor == null ? g2theta.detach() : Var.constant(Tensor.vector(slice(anchor, n, n + p)));
        if (anchor != null && anchor.length != n + p) {
            throw new IllegalArgumentException("anchor gradients of length " + anchor.length + " for dim " + (n + p));
        }
        Var r1 = l1;
        r1 = addTerm(r1, r.selfPhi(), () -> F.dot(g1phi, g1phi));
        r1 = addTerm(r1, r.interPhi(), () -> F.dot(g1theta, sgTheta));
        r1 = addTerm(r1, r.otherPhi(), () -> F.dot(g2theta, g2theta));
        Var r2 = l2;
        r2 = addTerm(r2, r.selfTheta(), () -> F.dot(g2theta, g2theta));
        r2 = addTerm(r2, r.interTheta(), () -> F.dot(g2phi, sgPhi));
        r2 = addTerm(r2, r.otherTheta(), () -> F.dot(g1phi, g1phi));
        double[] d1 = Autodiff.grad(r1, zv, false).value().data();
        double[] d2 = Autodiff.grad(r2, zv, false).value().data();
        double[] out = new double[n + p];
        System.arraycopy(d1, 0, out, 0, n);
        System.arraycopy(d2, n, out, n, p);
        return out;
    }

    /**
     * Both losses' full gradients with respect to z = (φ, θ): {∇_z L_φ, ∇_z L_θ}, so also the cross gradients
     * ∇_θL_φ and ∇_φL_θ that the interaction terms are built from.
     */
    public double[][] lossGradients(double[] z) {
        check(z);
        Var zv = Var.param(Tensor.vector(z.clone()));
        Var[] pt = split(zv);
        double[] g1 = Autodiff.grad(game.lossPhi(pt[0], pt[1]), zv, false).value().data();
        double[] g2 = Autodiff.grad(game.lossTheta(pt[0], pt[1]), zv, false).value().data();
        return new double[][] {g1, g2};
    }

    /** The players' own loss values (L_φ, L_θ) at z. */
    public double[] losses(double[] z) {
        check(z);
        Var zv = Var.constant(Tensor.vector(z.clone()));
        Var[] pt = split(zv);
        return new double[] {game.lossPhi(pt[0], pt[1]).item(), game.lossTheta(pt[0], pt[1]).item()};
    }

    /** J·v with J = ∂F/∂z (not symmetric): forward product by the transpose trick. */
    public double[] jvp(double[] z, double[] v) {
        check(z);
        check(v);
        return Autodiff.jvp(this::fieldVar, z, v);
    }

    /** Jᵀ·u: the vector-Jacobian product of the field. */
    public double[] vjp(double[] z, double[] u) {
        check(z);
        check(u);
        return Autodiff.vjp(this::fieldVar, z, u);
    }

    /** The dense Jacobian J[i][j] = ∂F_i/∂z_j, column by column from J·e_j. */
    public double[][] jacobian(double[] z) {
        int d = n + p;
        double[][] j = new double[d][d];
        for (int c = 0; c < d; c++) {
            double[] e = new double[d];
            e[c] = 1;
            double[] col = jvp(z, e);
            for (int i = 0; i < d; i++) {
                j[i][c] = col[i];
            }
        }
        return j;
    }

    /** F(z) as a differentiable expression of z (a flat vector). */
    public Var fieldVar(Var z) {
        Var[] pt = split(z);
        Var l1 = game.lossPhi(pt[0], pt[1]);
        Var l2 = game.lossTheta(pt[0], pt[1]);
        Var g1 = Autodiff.grad(l1, z, true);
        Var g2 = Autodiff.grad(l2, z, true);
        return F.neg(F.concat(0, F.slice(g1, 0, 0, n), F.slice(g2, 0, n, n + p)));
    }

    private Var[] split(Var z) {
        return new Var[] {F.slice(z, 0, 0, n), F.slice(z, 0, n, n + p)};
    }

    private static Var addTerm(Var acc, double coef, java.util.function.Supplier<Var> term) {
        return coef == 0 ? acc : F.add(acc, F.scale(term.get(), coef));
    }

    private static double[] slice(double[] a, int from, int to) {
        double[] out = new double[to - from];
        System.arraycopy(a, from, out, 0, to - from);
        return out;
    }

    private void check(double[] z) {
        if (z.length != n + p) {
            throw new IllegalArgumentException(game.name() + ": vector of length " + z.length + " for dim φ + dim θ = "
                    + (n + p));
        }
    }
}
