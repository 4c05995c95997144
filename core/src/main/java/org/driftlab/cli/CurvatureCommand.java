package org.driftlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.driftlab.DriftlabException;
import org.driftlab.curvature.Drift;
import org.driftlab.curvature.EffectiveParameters;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.curvature.HessianOperator;
import org.driftlab.curvature.Hutchinson;
import org.driftlab.curvature.Lanczos;
import org.driftlab.curvature.SpectralDensity;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.Dataset;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.objective.NetObjective;
import org.driftlab.tensor.Parallel;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.driftlab.experiment.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftlab curvature}: the curvature report of a network at θ — loss, ‖∇E‖, sharpness λ_max and the top-k
 * Hessian eigenvalues (Lanczos), λ_min, Tr H (Hutchinson), the gradient covariance Tr K and λ_K¹, Tr F of the
 * empirical and the true Fisher, N_eff from the SLQ density, the drift ‖∇²E∇E‖ with the DAL learning rate, and,
 * given a learning rate h, the Principal Flow's stability coefficients c(hλ_i).
 */
@Command(name = "curvature", mixinStandardHelpOptions = true,
        description = "Hessian spectrum, trace, gradient noise, Fisher, N_eff and drift of a network at θ.")
final class CurvatureCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ProblemOptions problem;

    @Option(names = "--topk", description = "Number of top Hessian eigenvalues (default ${DEFAULT-VALUE}).")
    int topk = 3;

    @Option(names = "--lr", description = "Learning rate h for the stability coefficients c(hλ_i).")
    Double lr;

    @Option(names = "--lanczos-iters", description = "Maximal Lanczos steps (default ${DEFAULT-VALUE}).")
    int lanczosIters = 100;

    @Option(names = "--hutchinson", description = "Rademacher probes for Tr H (default ${DEFAULT-VALUE}).")
    int hutchinson = 20;

    @Option(names = "--slq-steps", description = "Lanczos steps of the SLQ density (default ${DEFAULT-VALUE}).")
    int slqSteps = 80;

    @Option(names = "--alpha", description = "Prior precision α of N_eff = Σ λ/(λ+α) (default ${DEFAULT-VALUE}).")
    double alpha = 1e-3;

    @Option(names = "--fisher-samples", description = "Label draws for the true-Fisher trace (default ${DEFAULT-VALUE}).")
    int fisherSamples = 1;

    @Option(names = "--threads", description = "Worker threads (default: all cores, at most 8).")
    Integer threads;

    @Option(names = "--density", description = "Render the SLQ density to this PNG (semilog y).")
    Path density;

    @Option(names = "--json", description = "Print the JSON object instead of a table.")
    boolean json;

    @Option(names = "--out", description = "Also write the JSON object to this file (atomically).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (topk < 1 || lanczosIters < 1 || hutchinson < 1 || slqSteps < 1 || fisherSamples < 1) {
            throw new DriftlabException("curvature: --topk, --lanczos-iters, --hutchinson, --slq-steps and --fisher-samples must be positive");
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        ProblemOptions.Problem p = problem.load();
        Dataset ds = p.data();
        Network net = p.network();
        Loss lossKind = p.loss();
        NetObjective obj = p.objective();
        double[] theta = p.theta();
        long seed = problem.seed;

        HessianOperator h = HessianOperator.of(obj, theta);
        double value = obj.value(theta);
        Lanczos.Result top = Lanczos.run(h, Lanczos.Config.builder().k(Math.min(topk, obj.dim()))
                .which(Lanczos.Which.LARGEST_ALGEBRAIC).maxIterations(lanczosIters).seed(seed).build());
        Lanczos.Result bottom = Lanczos.run(h, Lanczos.Config.builder().k(1).which(Lanczos.Which.SMALLEST_ALGEBRAIC)
                .maxIterations(lanczosIters).seed(seed + 1).build());
        Hutchinson.Result trace = Hutchinson.trace(h, hutchinson, seed + 2);
        SpectralDensity.Result slq = SpectralDensity.estimate(h, SpectralDensity.Config.defaults().withSteps(slqSteps).withSeed(seed + 3));
        GradientCovariance cov = GradientCovariance.of(obj, theta, 1);
        double trueFisher = GradientCovariance.trueFisherTrace(obj, theta, fisherSamples, seed + 4);
        Drift drift = Drift.of(obj.gradient(theta), h);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", net.spec());
        r.put("data", ds.name());
        r.put("loss_kind", lossKind.name().toLowerCase(Locale.ROOT));
        r.put("n", obj.numExamples());
        r.put("params", obj.dim());
        r.put("loss", value);
        r.put("grad_norm", drift.gradNorm());
        r.put("sharpness", top.eigenvalue(0));
        r.put("top_eigenvalues", top.eigenvalues());
        r.put("bottom_eigenvalue", bottom.eigenvalue(0));
        r.put("trace", trace.estimate());
        r.put("trace_stderr", trace.standardError());
        r.put("trace_K", cov.traceK());
        r.put("lambda_K", cov.lambdaK());
        r.put("trace_F", trueFisher);
        r.put("trace_F_empirical", cov.traceEmpiricalFisher());
        r.put("fisher_samples", fisherSamples);
        r.put("n_eff", EffectiveParameters.nEff(slq, alpha));
        r.put("n_eff_alpha", alpha);
        r.put("drift_norm", drift.driftNorm());
        r.put("normalized_drift_norm", drift.normalizedDriftNorm());
        r.put("dal_lr", drift.dalLearningRate());
        r.put("gradient_projections", drift.projections(top.eigenvectors()));
        if (lr != null) {
            r.put("lr", lr);
            r.put("stability_coefficients", Drift.stabilityCoefficients(lr, top.eigenvalues()));
        }
        r.put("residuals", top.residuals());
        r.put("bottom_residual", bottom.residuals()[0]);
        r.put("hessian_products", h.products());
        r.put("density_convention", slq.convention());
        String text = Json.compact(r);
        if (out != null) {
            AtomicFiles.writeString(out, text + "\n");
        }
        if (density != null) {
            writeDensity(slq, density);
        }
        if (json) {
            System.out.println(text);
        } else {
            for (Map.Entry<String, Object> e : r.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-22s %s%n", e.getKey(), Json.compact(e.getValue()));
            }
        }
        return 0;
    }


    /** The SLQ density on a semilog-y axis, as PyHessian plots it; values are floored at 1e-12 for the log axis. */
    static void writeDensity(SpectralDensity.Result slq, Path file) throws IOException {
        double[] grid = slq.grid();
        double[] rho = slq.density();
        double[] y = new double[rho.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(rho[i], 1e-12);
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Hessian spectral density (SLQ)")
                .xAxisTitle("eigenvalue").yAxisTitle("density").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setMarkerSize(0);
        chart.addSeries("density", grid, y).setMarker(SeriesMarkers.NONE);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, png);
    }
}
