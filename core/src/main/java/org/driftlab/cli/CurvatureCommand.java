package org.driftlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.driftlab.DriftlabException;
import org.driftlab.chart.Chart;
import org.driftlab.chart.ChartRenderer;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.curvature.Drift;
import org.driftlab.curvature.EffectiveParameters;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.curvature.HessianOperator;
import org.driftlab.curvature.Hutchinson;
import org.driftlab.curvature.Lanczos;
import org.driftlab.curvature.LayerSpectra;
import org.driftlab.curvature.SpectralDensity;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.Dataset;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.objective.NetObjective;
import org.driftlab.tensor.Parallel;
import org.driftlab.experiment.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftlab curvature}: the curvature report of a network at θ — loss, ‖∇E‖, sharpness λ_max and the top-k
 * Hessian eigenvalues (Lanczos), λ_min, Tr H (Hutchinson deflated by the top eigenvectors, with as many probes as
 * its standard error needs to fall below 5% of the trace, or the relative error it reached), the gradient covariance
 * Tr K and λ_K¹, Tr F of the empirical and the true Fisher, N_eff from the SLQ density (with the number of negative
 * eigenvalues and what N_eff means when H is indefinite), the drift ‖∇²E∇E‖ with the DAL learning rate, and, given a
 * learning rate h, the Principal Flow's stability coefficients c(hλ_i).
 *
 * <p>{@code --per-layer} adds the curvature of each diagonal block of H, one per layer or sub-module
 * ({@link Network#groups()}): top eigenvalues, trace and the share of the top eigenvector's mass. {@code --exact}
 * builds the dense Hessian (D ≤ {@value #EXACT_MAX_D}) and reports its exact spectrum, trace and N_eff beside the
 * estimates (and exact per-layer blocks).
 */
@Command(name = "curvature", mixinStandardHelpOptions = true,
        description = "Hessian spectrum, trace, gradient noise, Fisher, N_eff and drift of a network at θ.")
final class CurvatureCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ProblemOptions problem;

    @Option(names = "--topk", paramLabel = "K", description = "Number of top Hessian eigenvalues (default ${DEFAULT-VALUE}).")
    int topk = 3;

    @Option(names = "--lr", paramLabel = "h", description = "Learning rate h for the stability coefficients c(hλ_i).")
    Double lr;

    @Option(names = "--lanczos-iters", paramLabel = "N", description = "Maximal Lanczos steps (default ${DEFAULT-VALUE}).")
    int lanczosIters = 100;

    @Option(names = "--hutchinson", paramLabel = "N", description = "Rademacher probes for Tr H (default: as many as bring the standard error "
            + "below 5%% of the trace, at most " + HUTCHINSON_MAX + ").")
    Integer hutchinson;

    @Option(names = "--per-layer", description = "Also the curvature of each layer's diagonal Hessian block.")
    boolean perLayer;

    @Option(names = "--exact", description = "Also the dense Hessian's exact spectrum (D <= " + EXACT_MAX_D + ").")
    boolean exact;

    @Option(names = "--slq-steps", paramLabel = "N", description = "Lanczos steps of the SLQ density (default ${DEFAULT-VALUE}).")
    int slqSteps = 80;

    @Option(names = "--alpha", paramLabel = "α", description = "Prior precision α of N_eff = Σ λ/(λ+α) (default ${DEFAULT-VALUE}).")
    double alpha = 1e-3;

    @Option(names = "--fisher-samples", paramLabel = "N", description = "Label draws for the true-Fisher trace (default ${DEFAULT-VALUE}).")
    int fisherSamples = 1;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores, at most 8).")
    Integer threads;

    @Option(names = "--density", paramLabel = "FILE.png", description = "Render the SLQ density to this PNG (semilog y).")
    Path density;

    @Option(names = "--json", description = "Print the JSON object instead of a table.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Also write the JSON object to this file (atomically).")
    Path out;

    /** Largest D for --exact: D products and 8·D² bytes (200 MB at 5000). */
    static final int EXACT_MAX_D = 5000;
    /** Target standard error of the default Hutchinson trace, relative to the trace (#20). */
    static final double TRACE_TARGET = 0.05;
    /** Probe bounds of the default Hutchinson trace. */
    static final int HUTCHINSON_MIN = 10;
    static final int HUTCHINSON_MAX = 400;
    /** Probes shared by the per-layer traces, and Lanczos steps and tolerance of each layer's top eigenvalues. */
    static final int LAYER_PROBES = 30;
    static final int LAYER_LANCZOS_STEPS = 60;
    static final double LAYER_TOLERANCE = 1e-4;

    @Override
    public Integer call() throws IOException {
        if (topk < 1 || lanczosIters < 1 || (hutchinson != null && hutchinson < 2) || slqSteps < 1 || fisherSamples < 1) {
            throw new DriftlabException("curvature: --topk, --lanczos-iters, --slq-steps and --fisher-samples must be positive "
                    + "and --hutchinson at least 2");
        }
        if (topk > lanczosIters) {
            throw new DriftlabException("curvature: --topk " + topk + " eigenvalues need at least as many Lanczos steps; "
                    + "raise --lanczos-iters (now " + lanczosIters + ") to " + topk + " or more");
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

        if (exact && obj.dim() > EXACT_MAX_D) {
            throw new DriftlabException("curvature: --exact needs D <= " + EXACT_MAX_D + " (D products and 8·D² bytes), but "
                    + net.spec() + " has D = " + obj.dim());
        }
        HessianOperator h = HessianOperator.of(obj, theta);
        double value = obj.value(theta);
        Lanczos.Result top = Lanczos.run(h, Lanczos.Config.builder().k(Math.min(topk, obj.dim()))
                .which(Lanczos.Which.LARGEST_ALGEBRAIC).maxIterations(lanczosIters).seed(seed).build());
        Lanczos.Result bottom = Lanczos.run(h, Lanczos.Config.builder().k(1).which(Lanczos.Which.SMALLEST_ALGEBRAIC)
                .maxIterations(lanczosIters).seed(seed + 1).build());
        // Tr H = Σ top Ritz values + Tr(P H P) with P projecting out the top eigenvectors: most of ‖H‖_F, which sets
        // Hutchinson's variance, sits in those outliers
        double ritzSum = 0;
        for (double lambda : top.eigenvalues()) {
            ritzSum += lambda;
        }
        Hutchinson.Result trace = hutchinson == null
                ? Hutchinson.deflatedTrace(h, top.eigenvectors(), ritzSum, TRACE_TARGET, HUTCHINSON_MIN, HUTCHINSON_MAX, seed + 2)
                : Hutchinson.deflatedTrace(h, top.eigenvectors(), ritzSum, 1e-300, hutchinson, hutchinson, seed + 2);
        SpectralDensity.Result slq = SpectralDensity.estimate(h, SpectralDensity.Config.defaults().withSteps(slqSteps).withSeed(seed + 3));
        GradientCovariance cov = GradientCovariance.of(obj, theta, 1);
        double trueFisher = GradientCovariance.trueFisherTrace(obj, theta, fisherSamples, seed + 4);
        Drift drift = Drift.of(obj.gradient(theta), h);
        EffectiveParameters.Summary nEff = EffectiveParameters.summary(slq, alpha);

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
        r.put("trace_rel_stderr", trace.relativeStandardError());
        r.put("trace_probes", trace.probes());
        r.put("trace_deflated", trace.deflated());
        if (!(trace.relativeStandardError() < TRACE_TARGET)) {
            r.put("trace_note", String.format(Locale.ROOT, "the trace's standard error is %.1f%% of it after %d probes "
                    + "(above the %.0f%% target)", 100 * trace.relativeStandardError(), trace.probes(), 100 * TRACE_TARGET));
        }
        r.put("trace_K", cov.traceK());
        r.put("lambda_K", cov.lambdaK());
        r.put("trace_F", trueFisher);
        r.put("trace_F_empirical", cov.traceEmpiricalFisher());
        r.put("fisher_samples", fisherSamples);
        r.put("n_eff", nEff.nEff());
        r.put("n_eff_alpha", alpha);
        r.put("n_eff_negative_eigenvalues", nEff.negativeEigenvalues());
        r.put("n_eff_positive", nEff.nEffPositive());
        r.put("n_eff_note", nEff.note());
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
        DenseHessian dense = null;
        if (exact) {
            dense = DenseHessian.of(h);
            double[] ascending = dense.eigen().values();
            int d = ascending.length;
            double[] exactTop = new double[top.k()];
            double[] lanczosError = new double[top.k()];
            for (int i = 0; i < exactTop.length; i++) {
                exactTop[i] = ascending[d - 1 - i];
                lanczosError[i] = Math.abs(top.eigenvalue(i) - exactTop[i]) / Math.max(1e-300, Math.abs(exactTop[i]));
            }
            EffectiveParameters.Summary exactNEff = EffectiveParameters.summary(ascending, alpha);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("top_eigenvalues", exactTop);
            e.put("lanczos_relative_error", lanczosError);
            e.put("bottom_eigenvalue", ascending[0]);
            e.put("trace", dense.trace());
            e.put("trace_estimate_error_in_stderr", (trace.estimate() - dense.trace()) / trace.standardError());
            e.put("negative_eigenvalues", (int) exactNEff.negativeEigenvalues());
            e.put("n_eff", exactNEff.nEff());
            e.put("n_eff_positive", exactNEff.nEffPositive());
            e.put("n_eff_note", exactNEff.note());
            e.put("relative_asymmetry", dense.relativeAsymmetry());
            e.put("spectrum", ascending);
            r.put("exact", e);
        }
        if (perLayer) {
            List<LayerSpectra.Group> groups = groups(net);
            List<LayerSpectra.Entry> entries = dense != null
                    ? LayerSpectra.exact(dense, groups, topk, top.eigenvector(0))
                    : LayerSpectra.estimate(h, groups, topk, LAYER_LANCZOS_STEPS, LAYER_TOLERANCE, LAYER_PROBES,
                            top.eigenvector(0), seed + 5);
            List<Map<String, Object>> layers = new ArrayList<>();
            for (LayerSpectra.Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", e.name());
                m.put("label", e.label());
                m.put("size", e.size());
                m.put("top_eigenvalues", e.topEigenvalues());
                m.put("trace", e.trace());
                m.put("trace_stderr", e.traceStandardError());
                m.put("top_eigenvector_share", e.topEigenvectorShare());
                m.put("exact", e.exact());
                layers.add(m);
            }
            r.put("per_layer", layers);
        }
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
                if (e.getKey().equals("per_layer") || e.getKey().equals("exact")) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "  %-26s %s%n", e.getKey(), Json.compact(e.getValue()));
            }
            if (r.get("exact") instanceof Map<?, ?> e) {
                System.out.println("  exact (dense Hessian):");
                for (Map.Entry<?, ?> x : e.entrySet()) {
                    if (!x.getKey().equals("spectrum")) {
                        System.out.printf(Locale.ROOT, "    %-30s %s%n", x.getKey(), Json.compact(x.getValue()));
                    }
                }
            }
            if (r.get("per_layer") instanceof List<?> layers) {
                System.out.printf(Locale.ROOT, "  per layer (%s):%n  %-22s %-30s %8s %12s %12s %8s  %s%n",
                        exact ? "exact blocks" : "Lanczos, shared Hutchinson probes", "group", "label", "size", "λ_max",
                        "trace", "±", "share of u1");
                for (Object o : layers) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    double[] ev = (double[]) m.get("top_eigenvalues");
                    System.out.printf(Locale.ROOT, "  %-22s %-30s %8d %12.5g %12.5g %8.2g  %.3f%n", m.get("name"), m.get("label"),
                            m.get("size"), ev[0], m.get("trace"), m.get("trace_stderr"), m.get("top_eigenvector_share"));
                }
            }
        }
        return 0;
    }

    /**
     * The SLQ density on a semilog-y axis, as PyHessian plots it (values floored at 1e-12 for the log axis), drawn by
     * the one chart renderer: FILE.png, and FILE.svg and FILE.pdf beside it.
     */
    static void writeDensity(SpectralDensity.Result slq, Path file) {
        double[] rho = slq.density();
        double[] y = new double[rho.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(rho[i], 1e-12);
        }
        ChartRenderer.writeTo(Chart.of("density", "Hessian spectral density (SLQ)").axes("eigenvalue", "density")
                .scales(Chart.Scale.LINEAR, Chart.Scale.LOG).size(800, 500).line("", slq.grid(), y, null)
                .caption("Stochastic Lanczos quadrature estimate of the Hessian's eigenvalue density, "
                        + slq.convention() + "; floored at 1e-12 for the logarithmic axis.").build(), file);
    }

    /** The network's parameter groups (one per layer or sub-module) as coordinate ranges of θ. */
    static List<LayerSpectra.Group> groups(Network net) {
        List<LayerSpectra.Group> out = new ArrayList<>();
        for (Network.Group g : net.groups()) {
            int[] starts = new int[g.slices().size()];
            int[] lengths = new int[starts.length];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = g.slices().get(i).offset();
                lengths[i] = g.slices().get(i).size();
            }
            out.add(new LayerSpectra.Group(g.name(), g.label(), starts, lengths));
        }
        return out;
    }
}
