package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.curvature.EffectiveParameters;
import org.driftlab.curvature.GaussNewtonOperator;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Quadratic;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Tr F and N_eff probes against dense oracles on a small network. */
class SgdProbesTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> spec(String loss) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "probes");
        m.put("model", "fc-tanh:6");
        m.put("data", "synthetic:blobs:n=40,d=5,k=3,seed=3");
        m.put("loss", loss);
        m.put("optimizer", new LinkedHashMap<>(Map.of("name", "gd", "lr", 0.1)));
        m.put("stop", new LinkedHashMap<>(Map.of("steps", 2)));
        return m;
    }

    /** For MSE (unit-variance Gaussian likelihood) E_ŷ Tr F = Tr G, the Gauss-Newton trace, computed densely. */
    @Test
    void fisherProbeMatchesTheGaussNewtonTraceForMse() {
        Map<String, Object> m = spec("mse");
        m.put("probes", new LinkedHashMap<>(Map.of("fisher", 1, "fisher_samples", 400)));
        Spec spec = Spec.fromMap(m);
        Runner.start(spec, tmp.resolve("f"), Runner.Options.defaults());
        CsvTable t = CsvTable.read(tmp.resolve("f").resolve(Metrics.CSV));
        double measured = t.col("trace_F")[0];
        ObjectiveFactory.Problem p = ObjectiveFactories.DEFAULT.create(spec, 0);
        NetObjective net = (NetObjective) p.train();
        double exact = DenseHessian.of(new GaussNewtonOperator(net, p.initialTheta())).trace();
        // 400 draws of a χ²-like quantity: a few percent of Monte Carlo error
        assertEquals(exact, measured, 0.05 * exact, "Tr F (400 label draws) vs Tr GGN");
        assertEquals(3, t.nonEmpty("trace_F").size(), "measured at steps 0, 1, 2");
    }

    /**
     * The deflated-SLQ N_eff(α) agrees with Σ λ/(λ + α) over a known spectrum shaped like a trained network's: ten
     * outliers over a bulk of 190 small eigenvalues, in a random orthogonal basis. Plain single-probe SLQ would be
     * off by several units here; deflating the top ten leaves only the bulk to sample.
     */
    @Test
    void effectiveParametersMatchAKnownSpectrum() {
        int dim = 200;
        double[] eig = new double[dim];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int i = 0; i < dim; i++) {
            eig[i] = i < 10 ? 5 + 10 * i : 0.02 * rng.nextDouble();
        }
        Quadratic q = new Quadratic(eig, Quadratic.randomOrthogonal(dim, 11), new double[dim], "spectrum");
        double[] alphas = {0.01, 0.1, 1, 10};
        double[] est = Probes.effectiveParameters(q.hessian(new double[dim]), alphas, 10, 30, 7);
        for (int a = 0; a < alphas.length; a++) {
            double exact = EffectiveParameters.nEff(eig, alphas[a]);
            assertEquals(exact, est[a], 0.03 * exact + 0.05, "N_eff(α=" + alphas[a] + ")");
        }
        assertTrue(est[1] > est[2] && est[2] > est[3], "N_eff decreases with α");
    }

    /**
     * On a small trained network, where the bulk is not negligible (N_eff ≈ 28 of D = 57 with ten eigenvalues
     * deflated), one SLQ probe is noisy, but unbiased: the mean over 24 seeds is within 3.5 standard errors of the
     * dense value.
     */
    @Test
    void effectiveParametersOfANetworkMatchTheDenseHessian() {
        Map<String, Object> m = spec("mse");
        m.put("optimizer", new LinkedHashMap<>(Map.of("name", "gd", "lr", 0.5)));
        m.put("stop", new LinkedHashMap<>(Map.of("steps", 300)));
        Spec spec = Spec.fromMap(m);
        Runner.start(spec, tmp.resolve("t"), Runner.Options.defaults());
        double[] theta = org.driftlab.data.Npy.read(tmp.resolve("t").resolve("theta_final_r0.npy")).values();
        ObjectiveFactory.Problem p = ObjectiveFactories.DEFAULT.create(spec, 0);
        double[] eig = DenseHessian.of(p.train().hessian(theta)).eigen().values();
        double alpha = Math.max(0.05, -4 * eig[0]); // α well above |λ_min|: no pole in λ/(λ + α)
        int seeds = 24;
        double sum = 0;
        double sumSq = 0;
        for (int s = 0; s < seeds; s++) {
            double est = Probes.effectiveParameters(p.train().hessian(theta), new double[] {alpha}, 10, 30, 100 + s)[0];
            sum += est;
            sumSq += est * est;
        }
        double mean = sum / seeds;
        double se = Math.sqrt((sumSq / seeds - mean * mean) / (seeds - 1));
        double exact = EffectiveParameters.nEff(eig, alpha);
        assertTrue(se < 0.2 * exact, "spread " + se);
        assertEquals(exact, mean, 3.5 * se + 1e-6, "N_eff(α=" + alpha + "), λ_min = " + eig[0] + ", se " + se);
    }

    @Test
    void badNeffAlphaIsAUserError() {
        Map<String, Object> m = spec("ce");
        m.put("probes", new LinkedHashMap<>(Map.of("neff", 1, "neff_alpha", -1)));
        DriftlabException e = assertThrows(DriftlabException.class, () -> Spec.fromMap(m));
        assertTrue(e.getMessage().contains("probes.neff_alpha"), e.getMessage());
    }
}
