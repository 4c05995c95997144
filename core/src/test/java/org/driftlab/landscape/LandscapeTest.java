package org.driftlab.landscape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.data.Npy;
import org.driftlab.data.NpyArray;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Vectors;
import org.driftlab.nn.Init;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Landscapes against closed forms and invariants, and their resumption after a kill. */
class LandscapeTest {
    static final String DATA = "synthetic:blobs:n=30,d=5,k=3,seed=4";

    @TempDir
    Path tmp;

    static LandscapeSpec model(String model, String data, String params, LandscapeSpec.Kind kind, int grid, double range,
                               int dims, int threads) {
        return new LandscapeSpec(null, "r0", model, data, "mse", params, "pytorch", 0, kind.label(), grid, range, dims,
                threads);
    }

    @Test
    void onAQuadraticThePlaneOfTheTopEigenvectorsIsTheQuadraticForm() {
        String q = "quadratic:eigs=1,10,3,0.5:basis=random:seed=7:b=0.3,-1,0.8,2";
        Objective e = ToyObjectives.parse(q);
        // θ* = the minimum, by one Newton step from 0 through the dense Hessian A: θ* = −A⁻¹b.
        double[] zero = new double[4];
        SymmetricEigen.Decomposition eig = DenseHessian.of(e.hessian(zero)).eigen();
        double[] g = e.gradient(zero);
        double[] theta = new double[4];
        for (int k = 0; k < 4; k++) {
            Vectors.axpy(-Vectors.dot(eig.vector(k), g) / eig.value(k), eig.vector(k), theta);
        }
        Path params = tmp.resolve("theta.npy");
        Npy.write(params, theta);
        Landscape.Result r = Landscape.compute(model(q, null, params.toString(), LandscapeSpec.Kind.HESSIAN_TOP2, 9, 1.5, 2,
                2), tmp.resolve("q"), new Landscape.Listener() {});
        double e0 = e.value(theta);
        assertArrayEquals(new double[] {10, 3}, r.scores(), 1e-12);
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                double a = r.a()[i];
                double b = r.b()[j];
                // E(θ* + a·u₁ + b·u₂) = E(θ*) + ½(λ₁a² + λ₂b²) exactly; rounding of O(10) values leaves ~1e-14.
                assertEquals(e0 + 0.5 * (10 * a * a + 3 * b * b), r.loss()[i][j], 1e-12, "a=" + a + " b=" + b);
                assertTrue(Double.isNaN(r.accuracy()[i][j]), "an analytic objective has no accuracy");
            }
        }
        assertEquals(-1.5, r.a()[0], 0.0);
        assertEquals(0.0, r.a()[4], 0.0);
        Map<String, NpyArray> npz = Landscape.read(tmp.resolve("q"));
        assertArrayEquals(new int[] {9, 9}, npz.get("loss").shape());
        assertEquals(r.loss()[2][7], npz.get("loss").values()[2 * 9 + 7], 0.0);
        assertTrue(Files.isRegularFile(tmp.resolve("q").resolve("report.html")));
    }

    @Test
    void filterNormalisationGivesEachFilterTheNormOfThetasFilter() {
        for (Network net : List.of(Networks.parse("fc-tanh:6,4", new int[] {5}, 3),
                Networks.parse("cnn-relu:3", new int[] {2, 6, 6}, 4))) {
            double[] theta = net.initialize(Init.PYTORCH, 3);
            Directions.Pair p = Directions.randomFilterNormalised(net, theta, 9, 2);
            int filters = 0;
            for (Network.Slice s : net.layout()) {
                int[] shape = s.shape();
                int size = 1;
                for (int n : shape) {
                    size *= n;
                }
                if (shape.length == 1) {
                    for (int k = s.offset(); k < s.offset() + size; k++) {
                        assertEquals(0.0, p.d1()[k], 0.0, "biases get no direction");
                        assertEquals(0.0, p.d2()[k], 0.0);
                    }
                    continue;
                }
                int per = size / shape[0];
                for (int f = 0; f < shape[0]; f++) {
                    int from = s.offset() + f * per;
                    double tn = norm(theta, from, per);
                    // one rescaling of a vector: its norm is exact to a few ulps
                    assertEquals(tn, norm(p.d1(), from, per), 1e-14 * tn, s.name() + " filter " + f);
                    assertEquals(tn, norm(p.d2(), from, per), 1e-14 * tn);
                    filters++;
                }
            }
            assertTrue(filters > 5);
            assertTrue(Math.abs(Vectors.dot(p.d1(), p.d2())) < 0.5 * Vectors.norm(p.d1()) * Vectors.norm(p.d2()),
                    "two different random directions");
        }
    }

    static double norm(double[] v, int from, int len) {
        double s = 0;
        for (int i = from; i < from + len; i++) {
            s += v[i] * v[i];
        }
        return Math.sqrt(s);
    }

    @Test
    void killedAtARandomPointAndResumedGivesTheSameGridBitwise() throws Exception {
        LandscapeSpec spec = model("fc-tanh:4", DATA, null, LandscapeSpec.Kind.RANDOM_FILTER_NORMALISED, 7, 0.8, 2, 2);
        Landscape.Result ref = Landscape.compute(spec, tmp.resolve("ref"), new Landscape.Listener() {});
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 3; trial++) {
            Path dir = tmp.resolve("killed" + trial);
            int killAt = 1 + rng.nextInt(47);
            assertThrows(Killed.class, () -> Landscape.compute(spec, dir, new Landscape.Listener() {
                @Override
                public void stored(int index, int done, int total) {
                    if (done >= killAt) {
                        throw new Killed();
                    }
                }
            }));
            assertTrue(Files.exists(dir.resolve(PointLog.FILE)) && !Files.exists(dir.resolve(Landscape.RESULT)));
            if (trial == 1) {
                // a kill in the middle of a record leaves a torn tail
                Files.write(dir.resolve(PointLog.FILE), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, StandardOpenOption.APPEND);
            }
            Landscape.Result again = Landscape.compute(spec, dir, new Landscape.Listener() {});
            for (int i = 0; i < 7; i++) {
                assertArrayEquals(ref.loss()[i], again.loss()[i], 0.0, "killed after " + killAt + " points");
                assertArrayEquals(ref.accuracy()[i], again.accuracy()[i], 0.0);
            }
            Map<String, NpyArray> a = Landscape.read(tmp.resolve("ref"));
            Map<String, NpyArray> b = Landscape.read(dir);
            for (String k : List.of("a", "b", "loss", "accuracy")) {
                assertArrayEquals(a.get(k).values(), b.get(k).values(), 0.0, k);
            }
        }
        // One thread computes the same grid as two (points are independent; kernels split the same way here).
        Landscape.Result one = Landscape.compute(model("fc-tanh:4", DATA, null, LandscapeSpec.Kind.RANDOM_FILTER_NORMALISED,
                7, 0.8, 2, 1), tmp.resolve("one"), new Landscape.Listener() {});
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(ref.loss()[i], one.loss()[i], 0.0);
        }
    }

    @Test
    void parallelPointsAndAResumeWithAnotherThreadCountGiveTheSerialGridBitwise() {
        // A problem big enough for multi-threaded kernels to split their work (batch 240, a 64-wide layer), and
        // directions that come from kernels too (Lanczos on Hessian-vector products). Each worker evaluates whole
        // points with one kernel thread, so the worker count cannot change a bit.
        String data = "synthetic:blobs:n=240,d=24,k=4,seed=2";
        LandscapeSpec serial = model("fc-tanh:64", data, null, LandscapeSpec.Kind.HESSIAN_TOP2, 5, 0.5, 2, 1);
        Landscape.Result ref = Landscape.compute(serial, tmp.resolve("serial"), new Landscape.Listener() {});
        LandscapeSpec parallel = serial.withThreads(3);
        Path dir = tmp.resolve("parallel");
        assertThrows(Killed.class, () -> Landscape.compute(parallel, dir, new Landscape.Listener() {
            @Override
            public void stored(int index, int done, int total) {
                if (done >= 11) {
                    throw new Killed();
                }
            }
        }));
        Landscape.Result resumed = Landscape.compute(serial.withThreads(2), dir, new Landscape.Listener() {});
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(ref.loss()[i], resumed.loss()[i], 0.0, "row " + i);
            assertArrayEquals(ref.accuracy()[i], resumed.accuracy()[i], 0.0);
        }
        assertArrayEquals(Npy.readNpz(tmp.resolve("serial").resolve(Landscape.DIRECTIONS)).get("d1").values(),
                Npy.readNpz(dir.resolve(Landscape.DIRECTIONS)).get("d1").values(), 0.0);
    }

    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aLineIsTheObjectiveAlongTheFirstDirection() {
        LandscapeSpec spec = model("fc-tanh:4", DATA, null, LandscapeSpec.Kind.HESSIAN_TOP2, 5, 0.5, 1, 1);
        Landscape.Result r = Landscape.compute(spec, tmp.resolve("line"), new Landscape.Listener() {});
        assertArrayEquals(new double[] {0.0}, r.b());
        LandscapeProblem p = LandscapeProblem.load(spec);
        Objective e = p.objectives().get();
        Map<String, NpyArray> dirs = Npy.readNpz(tmp.resolve("line").resolve(Landscape.DIRECTIONS));
        double[] d1 = dirs.get("d1").values();
        assertEquals(1.0, Vectors.norm(d1), 1e-12, "a unit eigenvector");
        for (int i = 0; i < 5; i++) {
            double[] x = Vectors.combine(1, p.theta(), r.a()[i], d1);
            assertEquals(e.metrics(x).get("loss"), r.loss()[i][0], 1e-15);
            assertEquals(e.metrics(x).get("accuracy"), r.accuracy()[i][0], 0.0);
        }
    }

    @Test
    void theTrajectoryPlaneOfARunWithSavedIterates() throws Exception {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", "t");
        m.put("model", "fc-tanh:4");
        m.put("data", DATA);
        m.put("optimizer", new java.util.LinkedHashMap<>(Map.of("name", "gd", "lr", 0.5)));
        m.put("stop", new java.util.LinkedHashMap<>(Map.of("steps", 40)));
        m.put("save_iterates", 4);
        Path run = tmp.resolve("run");
        Runner.start(Spec.fromMap(m), run, Runner.Options.defaults());
        LandscapeSpec spec = new LandscapeSpec(run.toString(), "r0", null, null, "mse", null, "pytorch", 0,
                LandscapeSpec.Kind.TRAJECTORY_PCA.label(), 5, 1.0, 2, 2);
        Landscape.Result r = Landscape.compute(spec, tmp.resolve("pca"), new Landscape.Listener() {});
        Map<String, NpyArray> dirs = Npy.readNpz(tmp.resolve("pca").resolve(Landscape.DIRECTIONS));
        double[] d1 = dirs.get("d1").values();
        double[] d2 = dirs.get("d2").values();
        assertArrayEquals(Npy.read(run.resolve("theta_final_r0.npy")).values(), dirs.get("theta").values(), 0.0);
        assertEquals(1, Vectors.norm(d1), 1e-12);
        assertEquals(1, Vectors.norm(d2), 1e-12);
        assertEquals(0, Vectors.dot(d1, d2), 1e-12, "principal directions are orthogonal");
        assertTrue(r.scores()[0] >= r.scores()[1] && r.scores()[0] + r.scores()[1] <= 1 + 1e-12);
        assertEquals(11, r.trajectory()[0].length); // steps 0, 4, ..., 40
        // the last iterate is the centre
        assertEquals(0, r.trajectory()[0][10], 1e-12);
        assertEquals(0, r.trajectory()[1][10], 1e-12);
        // Two principal directions of a GD path explain most of it: the projection reconstructs θ_0 closely.
        double[] theta0 = org.driftlab.experiment.Iterates.read(org.driftlab.experiment.Iterates.file(run, "r0")).thetas()[0];
        double[] back = Vectors.combine(1, dirs.get("theta").values(), r.trajectory()[0][0], d1);
        Vectors.axpy(r.trajectory()[1][0], d2, back);
        double residual = Vectors.distance(back, theta0) / Vectors.distance(theta0, dirs.get("theta").values());
        assertTrue(residual < Math.sqrt(1 - r.scores()[0] - r.scores()[1]) + 0.2, "relative residual " + residual);
        // without saved iterates trajectory-pca refuses, before writing anything
        Map<String, Object> plain = new java.util.LinkedHashMap<>(m);
        plain.remove("save_iterates");
        Path run2 = tmp.resolve("run2");
        Runner.start(Spec.fromMap(plain), run2, Runner.Options.defaults());
        Path out = tmp.resolve("never");
        assertThrows(org.driftlab.DriftlabException.class, () -> Landscape.compute(new LandscapeSpec(run2.toString(), "r0",
                null, null, "mse", null, "pytorch", 0, LandscapeSpec.Kind.TRAJECTORY_PCA.label(), 5, 1.0, 2, 1), out,
                new Landscape.Listener() {}));
        assertTrue(!Files.exists(out));
    }
}
