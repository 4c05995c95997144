package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.driftlab.data.Npy;
import org.driftlab.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curvature command end to end on a small synthetic problem. */
class CurvatureCommandTest {
    private static final String DATA = "synthetic:blobs:n=200,d=10,k=3,seed=1";

    @Test
    void smallRunWritesEveryKey(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("c.json");
        Path png = dir.resolve("density.png");
        int code = Main.execute("curvature", "--model", "fc-tanh:8", "--data", DATA, "--loss", "ce", "--topk", "3",
                "--lr", "0.5", "--hutchinson", "5", "--slq-steps", "30", "--density", png.toString(), "--json",
                "--out", out.toString());
        assertEquals(0, code);
        String json = Files.readString(out);
        for (String key : new String[] {"loss", "grad_norm", "sharpness", "top_eigenvalues", "bottom_eigenvalue", "trace",
            "trace_stderr", "trace_K", "lambda_K", "trace_F", "n_eff", "n_eff_alpha", "drift_norm", "dal_lr",
            "stability_coefficients", "residuals", "density_convention"}) {
            assertTrue(json.contains("\"" + key + "\": "), "missing " + key + " in " + json);
        }
        assertTrue(json.contains("\"re\": "));
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void wrongParameterCountIsOneLineError(@TempDir Path dir) {
        Path theta = dir.resolve("theta.npy");
        Npy.write(theta, new double[7]);
        String msg = Cli.userError("curvature", "--model", "fc-tanh:8", "--data", DATA, "--loss", "mse", "--params",
                theta.toString());
        assertTrue(msg.contains("7 values") && msg.contains("D = 115"), msg);
        // issue 17: more eigenvalues than Lanczos steps was a Java message ("maxIterations = 100 < k = 143")
        assertEquals("curvature: --topk 143 eigenvalues need at least as many Lanczos steps; raise --lanczos-iters "
                + "(now 100) to 143 or more", Cli.userError("curvature", "--model", "fc-tanh:50", "--data", DATA,
                "--loss", "mse", "--topk", "143"));
    }

    /**
     * --per-layer and --exact on a tiny net: the per-layer list (one entry per dense layer, exact blocks), the exact
     * spectrum beside Lanczos (which, with D = 115 < its step budget, is exact too), N_eff's negative-eigenvalue
     * count, and the adaptive Hutchinson's stated relative error.
     */
    @Test
    void perLayerAndExact(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("c.json");
        int code = Main.execute("curvature", "--model", "fc-tanh:8", "--data", DATA, "--loss", "ce", "--topk", "2",
                "--slq-steps", "30", "--per-layer", "--exact", "--json", "--out", out.toString());
        assertEquals(0, code);
        String json = Files.readString(out);
        for (String key : new String[] {"per_layer", "exact", "spectrum", "lanczos_relative_error", "negative_eigenvalues",
            "n_eff_negative_eigenvalues", "n_eff_positive", "n_eff_note", "trace_rel_stderr", "trace_probes",
            "top_eigenvector_share"}) {
            assertTrue(json.contains("\"" + key + "\": "), "missing " + key + " in " + json);
        }
        assertTrue(json.contains("\"name\": \"0\"") && json.contains("\"name\": \"2\""), json);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"lanczos_relative_error\": \\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find());
        for (String e : m.group(1).split(",")) {
            assertTrue(Double.parseDouble(e.strip()) < 1e-8, "Lanczos against the dense spectrum: " + m.group(1));
        }
        // the default Hutchinson trace: its standard error below 5% of the trace, or a note that states it (#20);
        // and the estimate within 4 of its standard errors of the exact trace (a 4σ miss has probability < 1e-4)
        double rel = number(json, "trace_rel_stderr");
        assertTrue(rel < 0.05 || json.contains("\"trace_note\": "), "relative standard error " + rel + " without a note");
        assertTrue(Math.abs(number(json, "trace_estimate_error_in_stderr")) < 4, json);
    }

    private static double number(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\": ([-+0-9.eE]+)").matcher(json);
        assertTrue(m.find(), "no " + key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void exactRefusesLargeModelsBeforeComputing() {
        String msg = CliRun.run(2, "curvature", "--model", "fc-tanh:600", "--data", DATA, "--loss", "ce", "--exact")[1]
                .strip();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("--exact needs D <= 5000"), msg);
    }
}
