package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.curvature.LayerSpectra;
import org.driftlab.objective.NetObjective;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-layer probe in a run: one lambda_/trace_/share_ column per parameter group of the model (named from the
 * model string), values of the diagonal Hessian blocks at θ_0 against the dense Hessian's, and no columns at all when
 * the probe is off (the metrics of other runs keep their columns).
 */
class PerLayerProbeTest {
    @TempDir
    Path tmp;

    @Test
    void perLayerColumnsMatchTheExactBlocks() throws Exception {
        Map<String, Object> m = RunnerTest.spec("fc-tanh:5,4", "synthetic:blobs:n=30,d=4,k=3,seed=4", "gd", 0.1, 3);
        Map<String, Object> p = RunnerTest.section(m, "probes");
        p.put("per_layer", 2);
        p.put("per_layer_iterations", 40); // more than any group's size: Lanczos on a block is then exact
        p.put("per_layer_probes", 200);
        Spec spec = Spec.fromMap(m);
        assertEquals(List.of("0", "2", "4"), spec.probes().get(Probes.PerLayerParams.class).perLayerGroups());
        Runner.start(spec, tmp.resolve("run"), Runner.Options.defaults());
        List<String> lines = Files.readAllLines(tmp.resolve("run/metrics.csv"));
        List<String> cols = List.of(lines.get(0).split(","));
        String[] row0 = lines.get(1).split(",", -1);
        ObjectiveFactory.Problem problem = ObjectiveFactories.DEFAULT.create(spec, spec.seeds().get(0));
        NetObjective net = (NetObjective) problem.train();
        DenseHessian dense = DenseHessian.of(net.hessian(problem.initialTheta()));
        double shares = 0;
        for (String g : List.of("0", "2", "4")) {
            LayerSpectra.Group group = group(net, g);
            LayerSpectra.Entry exact = LayerSpectra.exact(dense, allGroups(net), 1, null).stream()
                    .filter(e -> e.name().equals(g)).findFirst().orElseThrow();
            double lambda = Double.parseDouble(row0[cols.indexOf("lambda_" + g)]);
            double trace = Double.parseDouble(row0[cols.indexOf("trace_" + g)]);
            assertEquals(exact.topEigenvalues()[0], lambda, 1e-6 * Math.abs(exact.topEigenvalues()[0]), "λ_max of block " + g);
            // 200 shared Rademacher probes: within a generous band of the exact block trace (no standard error column)
            assertEquals(exact.trace(), trace, 0.3 * Math.abs(dense.trace()) + 1e-9, "trace of block " + g);
            shares += Double.parseDouble(row0[cols.indexOf("share_" + g)]);
            assertTrue(group.size() > 0);
        }
        assertEquals(1.0, shares, 1e-9, "the top eigenvector's mass is shared out over the groups");
        assertTrue(lines.get(2).split(",", -1)[cols.indexOf("lambda_0")].isEmpty(), "measured every 2 steps");
    }

    @Test
    void offMeansNoColumns() throws Exception {
        Map<String, Object> m = RunnerTest.spec("fc-tanh:5", "synthetic:blobs:n=20,d=4,k=3,seed=4", "gd", 0.1, 2);
        Spec spec = Spec.fromMap(m);
        Runner.start(spec, tmp.resolve("off"), Runner.Options.defaults());
        List<String> cols = List.of(Files.readAllLines(tmp.resolve("off/metrics.csv")).get(0).split(","));
        assertFalse(cols.contains("lambda_0") || cols.stream().anyMatch(c -> c.startsWith("share_")), cols.toString());
    }

    private static List<LayerSpectra.Group> allGroups(NetObjective net) {
        return net.network().groups().stream().map(g -> group(net, g.name())).toList();
    }

    private static LayerSpectra.Group group(NetObjective net, String name) {
        org.driftlab.nn.Network.Group g = net.network().groups().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow();
        int[] starts = g.slices().stream().mapToInt(org.driftlab.nn.Network.Slice::offset).toArray();
        int[] lengths = g.slices().stream().mapToInt(org.driftlab.nn.Network.Slice::size).toArray();
        return new LayerSpectra.Group(g.name(), g.label(), starts, lengths);
    }
}
