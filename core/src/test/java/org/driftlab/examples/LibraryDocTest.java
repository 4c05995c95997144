package org.driftlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.driftlab.curvature.Lanczos;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.data.FashionMnist;
import org.driftlab.data.HideInstalledData;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.optim.Gd;
import org.driftlab.optim.GradientSource;
import org.driftlab.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/library.md cannot rot: every Java block there is one whole example file of this package, followed by a text
 * block with what its main prints; here each example runs as on a new user's machine (2 threads, the embedded
 * Fashion-MNIST) and must print that ({@link #assertSameOutput}), and what it computes is checked against an
 * independent oracle.
 */
@ExtendWith(HideInstalledData.class)
class LibraryDocTest {
    private static final Path DOC = Path.of("docs/library.md");
    private static final Path SOURCES = Path.of("core/src/test/java/org/driftlab/examples");
    private static final Pattern BLOCK = Pattern.compile("```java\n(.*?)```\n.*?```text\n(.*?)```", Pattern.DOTALL);
    private int threadsBefore;

    @BeforeEach
    void twoThreads() {
        threadsBefore = Parallel.threads();
        Parallel.setThreads(2); // the doc's output was printed with 2 threads; results are deterministic per count
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** example class name → {java source, printed output} as the doc shows them, in order. */
    private static Map<String, String[]> doc() throws IOException {
        Map<String, String[]> m = new LinkedHashMap<>();
        Matcher b = BLOCK.matcher(Files.readString(DOC));
        while (b.find()) {
            Matcher name = Pattern.compile("public final class (\\w+)").matcher(b.group(1));
            assertTrue(name.find(), "a Java block without a public class in " + DOC);
            m.put(name.group(1), new String[] {b.group(1), b.group(2)});
        }
        return m;
    }

    @Test
    void theDocShowsEveryExampleFileVerbatim() throws IOException {
        Map<String, String[]> doc = doc();
        assertEquals(List.of("SharpnessExample", "CustomRuleExample", "PrincipalFlowExample"), List.copyOf(doc.keySet()));
        try (var files = Files.list(SOURCES)) {
            List<String> examples = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith("Example.java"))
                    .map(f -> f.substring(0, f.length() - 5)).sorted().toList();
            assertEquals(doc.keySet().stream().sorted().toList(), examples, "every example file is in the doc");
        }
        for (Map.Entry<String, String[]> e : doc.entrySet()) {
            assertEquals(Files.readString(SOURCES.resolve(e.getKey() + ".java")), e.getValue()[0],
                    DOC + " shows another " + e.getKey() + ": copy the file into the doc");
        }
    }

    /** λ1 from the example's Lanczos is an eigenvalue of ∇²E(θ0): residual by an independent Hessian-vector product. */
    @Test
    void sharpnessExample() throws IOException {
        Lanczos.Result[] top = new Lanczos.Result[1];
        assertPrints("SharpnessExample", out -> top[0] = SharpnessExample.run(out));
        Dataset data = DataSources.parse("fashion-mnist:train:1000:standardize");
        Network net = Networks.parse("fc-tanh:200,200", data.inputShape(), data.outputSize());
        NetObjective e = NetObjective.of(net, Loss.parse("mse"), data);
        double[] u = top[0].eigenvector(0);
        double[] hu = e.hvp(net.initialize(Init.PYTORCH, 0), u); // a fresh graph, not the example's operator
        double lambda = top[0].eigenvalue(0);
        double r = 0;
        for (int i = 0; i < u.length; i++) {
            r += (hu[i] - lambda * u[i]) * (hu[i] - lambda * u[i]);
        }
        // Lanczos stopped at residual 1e-8·|λ|; the two HVP paths agree to rounding (≈1e-12 relative)
        assertTrue(Math.sqrt(r) < 1e-6 * lambda, "‖Hu − λu‖ = " + Math.sqrt(r));
        assertTrue(lambda > top[0].eigenvalue(1) && top[0].eigenvalue(1) > 0, top[0].toString());
    }

    /**
     * The custom rule is the shipped GD when nothing is clipped (bitwise), clipping changes the path, and the probe
     * measures at steps 0, 25, 50.
     */
    @Test
    void customRuleExample() throws IOException {
        assertPrints("CustomRuleExample", out -> CustomRuleExample.run(out, new CustomRuleExample.ClippedGd(5.0), 200));
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<Map<String, Double>> free = CustomRuleExample.run(sink,
                new CustomRuleExample.ClippedGd(Double.POSITIVE_INFINITY), 50);
        List<Map<String, Double>> gd = CustomRuleExample.run(sink, new Gd("gd", GradientSource.fullBatch()), 50);
        assertEquals(gd, free, "ClippedGd without clipping is GD, bitwise");
        List<Map<String, Double>> clipped = CustomRuleExample.run(sink, new CustomRuleExample.ClippedGd(0.5), 50);
        assertEquals(List.of(0.0, 25.0, 50.0), clipped.stream().map(r -> r.get("step")).toList());
        double e0 = (Double) clipped.get(0).get("loss");
        double e50 = (Double) clipped.get(2).get("loss");
        assertTrue(e50 < e0 && e50 != (Double) gd.get(2).get("loss"), "clipped GD descends on its own path");
    }

    /** GD on the quadratic in closed form, θ_n = (1 − hλ)^n θ_0 per coordinate, against the PF the example integrates. */
    @Test
    void principalFlowExample() throws IOException {
        double[] distance = new double[1];
        String out = assertPrints("PrincipalFlowExample", o -> distance[0] = PrincipalFlowExample.run(o));
        // the ODE is integrated at rtol 1e-12 over 10 steps; GD's coordinates are O(1)
        assertTrue(distance[0] < 1e-8, "max ‖PF − GD‖ = " + distance[0]);
        assertTrue(out.contains(String.format("10   %.6f", Math.pow(1 - 0.08 * 20, 10))), out);
    }

    /** Runs the example and checks that it printed the doc's text block; returns the output. */
    private static String assertPrints(String example, Consumer<PrintStream> body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        body.accept(new PrintStream(buf, true, StandardCharsets.UTF_8));
        // as printed on a machine without the data package, whose Fashion-MNIST directory is the default one
        String out = buf.toString(StandardCharsets.UTF_8).replace(FashionMnist.dir().toString(), FashionMnist.DEFAULT_DIR);
        assertSameOutput(doc().get(example)[1], out, DOC + ": the output shown under " + example);
        return out;
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");

    /**
     * The same text, and the same numbers to 1e-3 relative (1e-9 absolute): so that a kernel summing in another
     * order, which moves the last printed digit of a 200-step training run, does not fail the doc, while a changed
     * result does.
     */
    static void assertSameOutput(String expected, String actual, String message) {
        Matcher e = NUMBER.matcher(expected);
        Matcher a = NUMBER.matcher(actual);
        assertEquals(e.replaceAll("#"), a.replaceAll("#"), message);
        e.reset();
        a.reset();
        while (e.find() && a.find()) {
            double x = Double.parseDouble(e.group());
            double y = Double.parseDouble(a.group());
            assertTrue(Math.abs(x - y) <= Math.max(1e-3 * Math.abs(x), 1e-9), message + ": " + y + " instead of " + x
                    + "\n" + actual);
        }
    }
}
