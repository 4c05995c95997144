package org.driftlab.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.List;
import org.driftlab.nn.Activation;
import org.driftlab.nn.EncoderBlock;
import org.driftlab.nn.Layer;
import org.driftlab.nn.LayerNorm;
import org.driftlab.nn.MeanPool;
import org.driftlab.nn.MultiHeadAttention;
import org.driftlab.nn.PatchEmbedding;
import org.driftlab.nn.ResidualConvBlock;
import org.driftlab.nn.ResidualMlpBlock;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every primitive's first, second and third derivatives against central finite differences, on seeded random
 * inputs and shapes. Each case maps a flat θ to a scalar through the primitive and a fixed random weighting
 * of its output, so every output entry's derivative is exercised. The layers built from primitives (LayerNorm,
 * attention, patch embedding, the residual and encoder blocks) are in the table too, with θ holding their input
 * and their parameters: third derivatives through them are what the central flow needs.
 */
class PrimitiveDerivativeTest {
    /** Domain of the random inputs. */
    enum Domain { ANY, POSITIVE, AWAY_FROM_ZERO }

    record Case(String name, int n, Domain domain, UnaryOperator<Var> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int[] LABELS = {2, 0, 1};

    /** Weighted sum of the output with fixed pseudo-random weights (makes a scalar from any shape). */
    static Var project(Var y) {
        Random r = new Random(y.size() * 31L + 7);
        double[] w = new double[y.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextGaussian();
        }
        return F.sum(F.mul(y, Var.constant(Tensor.of(w, y.shape()))));
    }

    static Var m(Var x, int r, int c) {
        return F.reshape(x, r, c);
    }

    /** A layer applied to an input of shape in (batch first) and its parameter blocks, all sliced out of x in turn. */
    static Var layer(Layer l, int[] in, Var x) {
        int at = (int) Tensor.numel(in);
        Var input = F.reshape(F.slice(x, 0, 0, at), in);
        List<Layer.Param> ps = l.params();
        Var[] blocks = new Var[ps.size()];
        for (int i = 0; i < blocks.length; i++) {
            int size = ps.get(i).size();
            blocks[i] = F.reshape(F.slice(x, 0, at, at + size), ps.get(i).shape());
            at += size;
        }
        if (at != x.size()) {
            throw new IllegalStateException(l.describe() + ": case has " + x.size() + " inputs but uses " + at);
        }
        return l.forward(blocks, input);
    }

    /** Size of θ for {@link #layer}: the input's and the parameters'. */
    static int layerSize(Layer l, int... in) {
        int n = (int) Tensor.numel(in);
        for (Layer.Param p : l.params()) {
            n += p.size();
        }
        return n;
    }

    private static Case layerCase(String name, Layer l, int... in) {
        return new Case(name, layerSize(l, in), Domain.ANY, x -> project(F.tanh(layer(l, in, x))));
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("add", 12, Domain.ANY, x -> project(F.add(m(F.slice(x, 0, 0, 6), 2, 3), m(F.slice(x, 0, 6, 12), 2, 3)))),
                new Case("add-broadcast-row", 9, Domain.ANY, x -> project(F.add(m(F.slice(x, 0, 0, 6), 2, 3), F.slice(x, 0, 6, 9)))),
                new Case("sub-broadcast-col", 8, Domain.ANY, x -> project(F.sub(m(F.slice(x, 0, 0, 6), 2, 3), m(F.slice(x, 0, 6, 8), 2, 1)))),
                new Case("mul", 12, Domain.ANY, x -> project(F.mul(m(F.slice(x, 0, 0, 6), 2, 3), m(F.slice(x, 0, 6, 12), 2, 3)))),
                new Case("mul-self", 6, Domain.ANY, x -> project(F.mul(x, x))),
                new Case("div", 12, Domain.POSITIVE, x -> project(F.div(m(F.slice(x, 0, 0, 6), 2, 3), m(F.slice(x, 0, 6, 12), 2, 3)))),
                new Case("neg", 5, Domain.ANY, x -> project(F.neg(F.mul(x, x)))),
                new Case("scale-addScalar", 5, Domain.ANY, x -> project(F.square(F.addScalar(F.scale(x, -1.7), 0.3)))),
                new Case("matmul", 14, Domain.ANY, x -> project(F.matmul(m(F.slice(x, 0, 0, 6), 2, 3), m(F.slice(x, 0, 6, 12), 3, 2)))),
                new Case("matmul-tA", 12, Domain.ANY, x -> project(F.matmul(m(F.slice(x, 0, 0, 6), 3, 2), true, m(F.slice(x, 0, 6, 12), 3, 2), false))),
                new Case("matmul-tB", 12, Domain.ANY, x -> project(F.matmul(m(F.slice(x, 0, 0, 6), 2, 3), false, m(F.slice(x, 0, 6, 12), 2, 3), true))),
                new Case("matmul-tAtB", 12, Domain.ANY, x -> project(F.matmul(m(F.slice(x, 0, 0, 6), 3, 2), true, m(F.slice(x, 0, 6, 12), 2, 3), true))),
                new Case("linear", 20, Domain.ANY, x -> project(F.tanh(F.linear(m(F.slice(x, 0, 0, 9), 3, 3),
                        m(F.slice(x, 0, 9, 15), 2, 3), F.slice(x, 0, 15, 17))))),
                new Case("linear-tiny", 7, Domain.ANY, x -> project(F.square(F.linear(m(F.slice(x, 0, 0, 2), 1, 2),
                        m(F.slice(x, 0, 2, 6), 2, 2), F.slice(x, 0, 5, 7))))),
                new Case("addN", 9, Domain.ANY, x -> project(F.tanh(F.addN(java.util.List.of(F.slice(x, 0, 0, 3),
                        F.square(F.slice(x, 0, 3, 6)), F.slice(x, 0, 6, 9), F.slice(x, 0, 0, 3)))))),
                new Case("transpose", 6, Domain.ANY, x -> project(F.square(F.transpose(m(x, 2, 3))))),
                new Case("permute", 24, Domain.ANY, x -> project(F.square(F.permute(F.reshape(x, 2, 3, 4), 2, 0, 1)))),
                new Case("sum-all", 6, Domain.ANY, x -> F.square(F.sum(F.square(x)))),
                new Case("sum-axis0", 6, Domain.ANY, x -> project(F.square(F.sum(m(x, 2, 3), 0, false)))),
                new Case("sum-axis1-keep", 6, Domain.ANY, x -> project(F.square(F.sum(m(x, 2, 3), 1, true)))),
                new Case("mean-axis", 6, Domain.ANY, x -> project(F.square(F.mean(m(x, 3, 2), 0, false)))),
                new Case("mean", 6, Domain.ANY, x -> F.square(F.mean(F.mul(x, x)))),
                new Case("broadcastTo", 3, Domain.ANY, x -> project(F.square(F.broadcastTo(x, new int[] {4, 3})))),
                new Case("sumTo", 6, Domain.ANY, x -> project(F.square(F.sumTo(m(x, 2, 3), new int[] {3})))),
                new Case("reshape", 6, Domain.ANY, x -> project(F.square(F.reshape(x, 3, 2)))),
                new Case("slice-pad", 8, Domain.ANY, x -> project(F.square(F.pad(F.slice(m(x, 2, 4), 1, 1, 3), 0, 1, new int[] {3, 2})))),
                new Case("concat", 10, Domain.ANY, x -> project(F.square(F.concat(1, m(F.slice(x, 0, 0, 4), 2, 2), m(F.slice(x, 0, 4, 10), 2, 3))))),
                new Case("exp", 6, Domain.ANY, x -> project(F.exp(x))),
                new Case("log", 6, Domain.POSITIVE, x -> project(F.log(x))),
                new Case("tanh", 6, Domain.ANY, x -> project(F.tanh(F.scale(x, 1.5)))),
                new Case("tanh-of-tanh", 6, Domain.ANY, x -> project(F.tanh(F.mul(F.tanh(x), x)))),
                new Case("relu", 6, Domain.AWAY_FROM_ZERO, x -> project(F.mul(F.relu(x), x))),
                new Case("elu", 6, Domain.AWAY_FROM_ZERO, x -> project(F.elu(F.scale(x, 2)))),
                new Case("gelu", 6, Domain.ANY, x -> project(F.gelu(F.scale(x, 2)))),
                new Case("normalCdf", 6, Domain.ANY, x -> project(F.normalCdf(F.scale(x, 1.5)))),
                new Case("softplus", 6, Domain.ANY, x -> project(F.softplus(F.scale(x, 2)))),
                new Case("sigmoid", 6, Domain.ANY, x -> project(F.sigmoid(F.scale(x, 2)))),
                new Case("square", 6, Domain.ANY, x -> project(F.square(x))),
                new Case("sqrt", 6, Domain.POSITIVE, x -> project(F.sqrt(x))),
                new Case("pow", 6, Domain.POSITIVE, x -> project(F.pow(x, 2.5))),
                new Case("abs", 6, Domain.AWAY_FROM_ZERO, x -> project(F.mul(F.abs(x), x))),
                new Case("logSoftmax", 12, Domain.ANY, x -> project(F.logSoftmax(m(x, 3, 4)))),
                new Case("softmax", 12, Domain.ANY, x -> project(F.softmax(m(x, 3, 4)))),
                new Case("gatherByLabel", 9, Domain.ANY, x -> project(F.square(F.gatherByLabel(m(x, 3, 3), LABELS)))),
                new Case("scatterByLabel", 3, Domain.ANY, x -> project(F.square(F.scatterByLabel(x, LABELS, 4)))),
                new Case("softmaxCrossEntropy", 12, Domain.ANY, x -> F.softmaxCrossEntropy(F.scale(m(x, 3, 4), 2), LABELS)),
                new Case("dot", 6, Domain.ANY, x -> F.dot(F.tanh(x), F.square(x))),
                new Case("unfold-pad", 24, Domain.ANY, x -> project(F.square(F.unfold(F.reshape(x, 1, 2, 4, 3), 2, 2, 1, 1)))),
                new Case("unfold-stride", 50, Domain.ANY, x -> project(F.square(F.unfold(F.reshape(x, 2, 1, 5, 5), 3, 2, 2, 0)))),
                new Case("fold", 16, Domain.ANY, x -> project(F.square(F.fold(F.reshape(x, 1, 2, 2, 4), new int[] {1, 1, 3, 3}, 2, 2, 1, 0)))),
                new Case("conv2d", 121, Domain.ANY, x -> project(F.tanh(F.conv2d(F.reshape(F.slice(x, 0, 0, 64), 2, 2, 4, 4),
                        F.reshape(F.slice(x, 0, 64, 118), 3, 2, 3, 3), F.slice(x, 0, 118, 121), 1, 1)))),
                new Case("conv2d-stride-nobias", 58, Domain.ANY, x -> project(F.square(F.conv2d(F.reshape(F.slice(x, 0, 0, 50), 1, 2, 5, 5),
                        F.reshape(F.slice(x, 0, 50, 58), 2, 2, 1, 2), null, 2, 0)))),
                new Case("maxPool2d", 32, Domain.ANY, x -> project(F.square(F.maxPool2d(F.reshape(x, 1, 2, 4, 4), 2, 2, 2)))),
                new Case("maxPool2d-overlap", 20, Domain.ANY, x -> project(F.tanh(F.maxPool2d(F.reshape(x, 1, 1, 4, 5), 3, 3, 1)))),
                new Case("avgPool2d", 32, Domain.ANY, x -> project(F.square(F.avgPool2d(F.reshape(x, 2, 1, 4, 4), 2, 2, 2)))),
                new Case("gatherFlat", 5, Domain.ANY, x -> project(F.square(F.gatherFlat(x, new int[] {4, 0, 0, 2, 3, 4}, new int[] {2, 3})))),
                new Case("scatterAddFlat", 4, Domain.ANY, x -> project(F.square(F.scatterAddFlat(x, new int[] {2, 0, 2, 5}, new int[] {6})))),
                new Case("minimum", 12, Domain.ANY, x -> project(F.square(F.minimum(m(F.slice(x, 0, 0, 6), 2, 3), m(F.slice(x, 0, 6, 12), 2, 3))))),
                new Case("minimum-broadcast", 9, Domain.ANY, x -> project(F.mul(F.minimum(m(F.slice(x, 0, 0, 6), 2, 3), F.slice(x, 0, 6, 9)), F.slice(x, 0, 6, 9)))),
                new Case("bmm", 24, Domain.ANY, x -> project(F.bmm(b3(x, 0, 2, 2, 3), false, b3(x, 12, 2, 3, 2), false))),
                new Case("bmm-tA", 24, Domain.ANY, x -> project(F.bmm(b3(x, 0, 2, 3, 2), true, b3(x, 12, 2, 3, 2), false))),
                new Case("bmm-tB", 24, Domain.ANY, x -> project(F.bmm(b3(x, 0, 2, 2, 3), false, b3(x, 12, 2, 2, 3), true))),
                new Case("bmm-tAtB", 24, Domain.ANY, x -> project(F.bmm(b3(x, 0, 2, 3, 2), true, b3(x, 12, 2, 2, 3), true))),
                new Case("bmm-self", 12, Domain.ANY, x -> project(F.bmm(b3(x, 0, 2, 2, 3), false, b3(x, 0, 2, 2, 3), true))),
                new Case("softmax-3d", 24, Domain.ANY, x -> project(F.softmax(F.reshape(x, 2, 3, 4)))),
                new Case("normalizeRows", 12, Domain.ANY, x -> project(F.normalizeRows(F.reshape(x, 3, 4), 1e-5))),
                new Case("rowInverseStd", 12, Domain.ANY, x -> project(F.rowInverseStd(F.reshape(x, 2, 2, 3), 1e-5))),
                layerCase("layerNorm", new LayerNorm(4), 3, 4),
                layerCase("layerNorm-tokens", new LayerNorm(3), 2, 2, 3),
                layerCase("attention", new MultiHeadAttention(4, 2), 2, 3, 4),
                layerCase("patchEmbedding", new PatchEmbedding(1, 4, 4, 2, 3), 2, 1, 4, 4),
                layerCase("meanPool-tokens", MeanPool.INSTANCE, 2, 3, 4),
                layerCase("meanPool-spatial", MeanPool.INSTANCE, 2, 2, 3, 3),
                layerCase("encoderBlock", new EncoderBlock(4, 2, 3), 1, 3, 4),
                layerCase("residualMlpBlock", new ResidualMlpBlock(3, Activation.GELU, true), 2, 3),
                layerCase("residualConvBlock", new ResidualConvBlock(2, Activation.TANH), 1, 2, 3, 3));
    }

    /** x[from, from + b·r·c) as a [b, r, c] batch of matrices. */
    static Var b3(Var x, int from, int b, int r, int c) {
        return F.reshape(F.slice(x, 0, from, from + b * r * c), b, r, c);
    }

    static double[] sample(Random r, int n, Domain d) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double v = r.nextGaussian();
            switch (d) {
                case POSITIVE: v = 0.5 + Math.abs(v); break;
                case AWAY_FROM_ZERO: v = Math.copySign(0.2 + Math.abs(v), v); break;
                default: break;
            }
            x[i] = v;
        }
        return x;
    }

    static Stream<Arguments> casesWithSeeds() {
        return cases().flatMap(c -> Stream.of(1L, 2L).map(s -> Arguments.of(c, s)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("casesWithSeeds")
    void gradientMatchesFiniteDifferences(Case c, long seed) {
        Random r = new Random(seed * 1000 + c.name.hashCode());
        double[] x = sample(r, c.n, c.domain);
        double[] exact = Autodiff.valueAndGrad(c.f, x).gradient();
        // central differences: truncation ε²/6·|∂³E| plus rounding u·|E|/ε, about 1e-13 + 1e-10 at ε = 1e-6 for O(1)
        // losses; of a gradient at ε = 1e-5 (the HVP): ε²/6·|∂⁴E| + u·|∇E|/ε ≈ 1e-11. The bounds keep a factor ≥ 100.
        double[] fd = FiniteDifferences.gradient(c.f, x, 1e-6);
        double err = FiniteDifferences.maxRelError(exact, fd);
        assertTrue(err < 1e-7, c.name + ": gradient relative error " + err);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("casesWithSeeds")
    void hessianVectorProductMatchesFiniteDifferences(Case c, long seed) {
        Random r = new Random(seed * 7777 + c.name.hashCode());
        double[] x = sample(r, c.n, c.domain);
        double[] v = sample(r, c.n, Domain.ANY);
        double[] exact = Autodiff.hvp(c.f, x, v);
        double[] fd = FiniteDifferences.hvp(c.f, x, v, 1e-5);
        double err = FiniteDifferences.maxRelError(exact, fd);
        assertTrue(err < 1e-6, c.name + ": HVP relative error " + err);
    }

    /**
     * ∇³f[u, w, v] from autodiff (the gradient of the exact wᵀH(θ)u, a graph differentiated three times) against
     * central differences of exact HVPs, wᵀ(H(θ + εv) − H(θ − εv))u/2ε, extrapolated from ε = 2e-4 and 1e-4
     * (Richardson): truncation O(ε⁴·f⁽⁷⁾) ≈ 1e-13 and rounding ≈ 1e-16·|Hu|/ε ≈ 1e-12, relative to the scale of
     * the terms: asserted at 1e-7. Cases whose third derivative is zero almost everywhere (relu, abs, minimum:
     * piecewise linear) check that zero.
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("casesWithSeeds")
    void thirdDerivativeMatchesFiniteDifferences(Case c, long seed) {
        Random r = new Random(seed * 4242 + c.name.hashCode());
        double[] x = sample(r, c.n, c.domain);
        double[] u = sample(r, c.n, Domain.ANY);
        double[] w = sample(r, c.n, Domain.ANY);
        double[] v = sample(r, c.n, Domain.ANY);
        Var theta = Var.param(Tensor.vector(x.clone()));
        Var g = Autodiff.grad(c.f.apply(theta), theta, true);
        Var hu = Autodiff.vjp(new Var[] {g}, new Var[] {Var.constant(Tensor.vector(u))}, new Var[] {theta}, true)[0];
        double[] third = Autodiff.grad(F.dot(hu, Var.constant(Tensor.vector(w))), theta, false).value().data();
        double exact = 0;
        double scale = 1e-3;
        for (int i = 0; i < c.n; i++) {
            exact += third[i] * v[i];
            scale = Math.max(scale, Math.abs(third[i] * v[i]));
        }
        // Richardson: D(ε) = D + c·ε² + O(ε⁴), so (4·D(ε/2) − D(ε))/3 = D + O(ε⁴)
        double eps = 2e-4;
        double fd = (4 * hvpDifference(c, x, u, w, v, eps / 2) - hvpDifference(c, x, u, w, v, eps)) / 3;
        double err = Math.abs(exact - fd) / scale;
        assertTrue(err < 1e-7, c.name + ": third derivative " + exact + " vs finite differences " + fd + " (relative error " + err + ")");
    }

    /** wᵀ(H(x + εv) − H(x − εv))u/2ε from exact HVPs. */
    private static double hvpDifference(Case c, double[] x, double[] u, double[] w, double[] v, double eps) {
        double[] p = x.clone();
        double[] m = x.clone();
        for (int i = 0; i < x.length; i++) {
            p[i] += eps * v[i];
            m[i] -= eps * v[i];
        }
        double[] hp = Autodiff.hvp(c.f, p, u);
        double[] hm = Autodiff.hvp(c.f, m, u);
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d += w[i] * (hp[i] - hm[i]) / (2 * eps);
        }
        return d;
    }
}
