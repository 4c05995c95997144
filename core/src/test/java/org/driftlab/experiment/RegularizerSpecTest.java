package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.optim.Dal;
import org.driftlab.optim.Regularized;
import org.driftlab.optim.RegularizedRules;
import org.driftlab.optim.Sam;
import org.driftlab.optim.Sgld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimizer names and the regularizer section of a spec: load, run a few steps, resume, reject bad values. */
class RegularizerSpecTest {
    @TempDir
    Path tmp;

    static final String NET = "fc-tanh:4";
    static final String DATA = "synthetic:blobs:n=12,d=3,k=3,seed=1";

    static Map<String, Object> spec(String model, String data, Map<String, Object> optimizer, Map<String, Object> reg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "t");
        m.put("model", model);
        m.put("data", data);
        m.put("loss", "ce");
        m.put("optimizer", new LinkedHashMap<>(optimizer));
        if (reg != null) {
            m.put("regularizer", new LinkedHashMap<>(reg));
        }
        m.put("stop", new LinkedHashMap<>(Map.of("steps", 3)));
        return m;
    }

    static Map<String, Object> opt(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private List<Outcome> run(Map<String, Object> m, String dir) {
        Spec s = Spec.fromMap(m);
        assertEquals(s, Spec.fromMap(s.toMap()), "toMap round trip");
        return Runner.start(s, tmp.resolve(dir), Runner.Options.defaults()).outcomes();
    }

    @Test
    void everyNewOptimizerLoadsAndRuns() {
        List<Map<String, Object>> opts = List.of(
                opt("name", "dal", "lr", 1.0),
                opt("name", "dal-p", "lr", 1.0, "p", 0.5, "h_max", 0.5),
                opt("name", "sam", "lr", 0.1, "rho", 0.05),
                opt("name", "asam", "lr", 0.1, "batch_size", 4),
                opt("name", "sgld", "lr", 0.1, "temperature", 1e-3, "batch_size", 6),
                opt("name", "sgd", "lr", 0.1, "batch_size", 5, "replacement", true));
        for (Map<String, Object> o : opts) {
            List<Outcome> out = run(spec(NET, DATA, o, null), "o-" + o.get("name"));
            assertEquals(Outcome.COMPLETED, out.get(0).outcome(), o.toString());
            assertTrue(Double.isFinite(out.get(0).finalLoss()));
        }
        Spec.Optimizer o = Spec.fromMap(spec(NET, DATA, opt("name", "asam", "lr", 0.1), null)).optimizer();
        assertEquals(new Optimizers.AsamParams(2.0, 0.0), o.params(), "ASAM's default radius and offset");
        assertEquals(new Optimizers.SamParams(0.05), Spec.fromMap(spec(NET, DATA, opt("name", "sam", "lr", 0.1), null)).optimizer().params());
        assertEquals(new Optimizers.DalParams(5.0), Spec.fromMap(spec(NET, DATA, opts.get(0), null)).optimizer().params(), "dal.py's h_max");
        // one entry per optimizer: its own keys only; another optimizer's key is an error naming the allowed ones
        DriftlabException wrong = assertThrows(DriftlabException.class,
                () -> Spec.fromMap(spec(NET, DATA, opt("name", "adam", "lr", 0.1, "rho", 0.5), null)));
        assertTrue(wrong.getMessage().startsWith("optimizer.rho: unknown key in optimizer; allowed: name, lr, batch_size, shuffle, "
                + "replacement, beta1, beta2, eps"), wrong.getMessage());
        assertInstanceOf(Dal.class, Rules.create(Spec.fromMap(spec(NET, DATA, opts.get(1), null)).optimizer(), 12, 0));
        assertInstanceOf(Sam.class, Rules.create(o, 12, 0));
        assertInstanceOf(Sgld.class, Rules.create(Spec.fromMap(spec(NET, DATA, opts.get(4), null)).optimizer(), 12, 0));
        // DAL on a toy objective (the spec's lr is ignored; h = min(2/ζ, 5) keeps the quadratic from diverging)
        List<Outcome> q = run(spec("quadratic:eigs=1,10", "none", opt("name", "dal", "lr", 0.01), null), "q-dal");
        assertEquals(Outcome.COMPLETED, q.get(0).outcome());
        // the run's time t = Σh counts DAL's own steps: on a quadratic ζ lies in [λmin, λmax] = [1, 10], so each
        // step's h = 2/ζ lies in [0.2, 2], never the spec's 0.01
        org.driftlab.report.CsvTable m = org.driftlab.report.CsvTable.read(tmp.resolve("q-dal").resolve(Metrics.CSV));
        double[] step = m.col("step");
        double[] time = m.col("time");
        for (int i = 1; i < step.length; i++) {
            double dt = (time[i] - time[i - 1]) / (step[i] - step[i - 1]);
            assertTrue(dt >= 0.2 - 1e-12 && dt <= 2 + 1e-12, "DAL's step in time: " + dt);
        }
    }

    @Test
    void everyRegularizerLoadsAndRunsOnANetwork() {
        assertEquals(RegularizedRules.NAMES, Regularizers.names(), "the optim tests cover every registry entry");
        for (String name : Regularizers.names()) {
            Map<String, Object> reg = new LinkedHashMap<>(Map.of("name", name));
            if (!name.equals("igr")) {
                reg.put("coef", 0.01);
            }
            if (name.equals("micro-batch")) {
                reg.put("micro_batch", 3);
            }
            Map<String, Object> m = spec(NET, DATA, opt("name", "sgd", "lr", 0.1, "batch_size", 6), reg);
            Spec s = Spec.fromMap(m);
            assertEquals(name, s.optimizer().regularizer().name());
            assertInstanceOf(Regularized.class, Rules.create(s.optimizer(), 12, 0));
            List<Outcome> out = run(m, "r-" + name);
            assertEquals(Outcome.COMPLETED, out.get(0).outcome(), name);
        }
        Spec fisher = Spec.fromMap(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("name", "fisher", "coef", 0.1)));
        assertEquals(new Regularizers.FisherParams(0.1, 1.0), fisher.optimizer().regularizer().params(), "the seed slides' q = 1");
        assertEquals(new Regularizers.GradNormParams(0.1, 2.0), Spec.fromMap(spec(NET, DATA, opt("name", "gd", "lr", 0.1),
                Map.of("name", "grad-norm", "coef", 0.1))).optimizer().regularizer().params(), "grad-norm's q = 2");
        // the toy objective takes every penalty that needs no labels
        List<Outcome> toy = run(spec("quadratic:eigs=1,10", "none", opt("name", "gd", "lr", 0.05),
                Map.of("name", "hessian-trace", "coef", 0.1, "samples", 2)), "toy");
        assertEquals(Outcome.COMPLETED, toy.get(0).outcome());
    }

    @Test
    void aKilledRegularizedSgldRunResumesBitwise() throws Exception {
        Map<String, Object> m = spec(NET, DATA, opt("name", "sgld", "lr", 0.1, "temperature", 1e-3, "batch_size", 4),
                Map.of("name", "fisher", "coef", 0.05, "q", 2));
        m.put("stop", new LinkedHashMap<>(Map.of("steps", 12)));
        m.put("checkpoint_every", 5);
        Spec s = Spec.fromMap(m);
        Runner.start(s, tmp.resolve("ref"), Runner.Options.defaults());
        RunnerTest.killAt(s, tmp.resolve("killed"), 0, 8);
        Runner.resume(tmp.resolve("killed"), Runner.Options.defaults());
        assertEquals(Files.readAllLines(tmp.resolve("ref/metrics.csv")), Files.readAllLines(tmp.resolve("killed/metrics.csv")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("ref/theta_final_r0.npy")),
                Files.readAllBytes(tmp.resolve("killed/theta_final_r0.npy")));
    }

    @Test
    void badValuesAreRejectedNamingTheKey() {
        assertMessage(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("name", "lasso", "coef", 1)),
                "regularizer.name: 'lasso' is not one of igr, grad-norm, fisher, micro-batch, hessian-trace, gtracer");
        assertMessage(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("name", "fisher")),
                "regularizer.coef: missing; α");
        assertMessage(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("name", "fisher", "coef", 1, "q", -1)),
                "regularizer.q");
        assertMessage(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("name", "igr", "alpha", 1)),
                "regularizer.alpha: unknown key in regularizer; allowed: name, coef");
        assertMessage(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("name", "grad-norm", "coef", 1, "samples", 2)),
                "regularizer.samples: unknown key in regularizer; allowed: name, coef, q");
        assertMessage(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("coef", 1)), "regularizer.name: missing");
        assertMessage(spec(NET, DATA, opt("name", "dal-p", "lr", 1, "p", -1), null), "optimizer.p: -1.0 must be >= 0");
        assertMessage(spec(NET, DATA, opt("name", "dal", "lr", 1, "p", 2), null),
                "optimizer.p: unknown key in optimizer; allowed: name, lr, batch_size, shuffle, replacement, h_max");
        Map<String, Object> sweep = spec(NET, DATA, opt("name", "dal"), null);
        sweep.put("lrs", List.of(0.1, 0.2));
        assertMessage(sweep, "would repeat one run");
        assertMessage(spec(NET, DATA, opt("name", "dal", "lr", 1), Map.of("name", "igr")), "give coef explicitly");
        assertMessage(spec(NET, DATA, opt("name", "sam", "lr", 1, "rho", 0), null), "optimizer.rho: 0.0 must be > 0");
        assertMessage(spec(NET, DATA, opt("name", "sgld", "lr", 1, "temperature", -1), null), "optimizer.temperature");
        assertMessage(spec(NET, DATA, opt("name", "adamw", "lr", 1), null), "optimizer.name: 'adamw' is not one of");
        assertMessage(spec(NET, DATA, opt("name", "sam", "lr", 1, "replacement", true), null),
                "optimizer.replacement: needs a batch_size");
        // a runtime mismatch is a user error too: the Fisher penalty needs a network
        DriftlabException e = assertThrows(DriftlabException.class, () -> run(spec("quadratic:eigs=1,10", "none",
                opt("name", "gd", "lr", 0.05), Map.of("name", "fisher", "coef", 0.1)), "bad"));
        assertTrue(e.getMessage().contains("not a network objective"), e.getMessage());
    }

    /** Every bad value of every regulariser's own keys is reported under its spec key; the edges are allowed. */
    @Test
    void everyRegularizerRejectsBadValuesNamingTheKey() {
        String[][] bad = {
            {"grad-norm", "coef", "-1"}, {"grad-norm", "coef", "Infinity"}, {"grad-norm", "coef", "NaN"},
            {"grad-norm", "q", "0"}, {"grad-norm", "q", "Infinity"}, {"fisher", "q", "-1"}, {"igr", "coef", "-0.5"},
            {"hessian-trace", "samples", "0"}, {"micro-batch", "micro_batch", "0"},
            {"gtracer", "beta", "0"}, {"gtracer", "beta", "1.5"}, {"gtracer", "delta", "0"}, {"gtracer", "delta", "Infinity"},
        };
        for (String[] b : bad) {
            Map<String, Object> reg = new LinkedHashMap<>(Map.of("name", b[0], "coef", 0.1));
            reg.put(b[1], b[2]);
            DriftlabException e = assertThrows(DriftlabException.class,
                    () -> Spec.fromMap(spec(NET, DATA, opt("name", "gd", "lr", 0.1), reg)), String.join(",", b));
            assertTrue(e.getMessage().startsWith("regularizer." + b[1] + ": "), e.getMessage());
        }
        Spec.fromMap(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("name", "gtracer", "coef", 0.0, "beta", 1.0, "delta", 1e-12)));
        Spec.fromMap(spec(NET, DATA, opt("name", "gd", "lr", 0.1), Map.of("name", "igr")));
    }

    /**
     * The registry builds what the optim tests build by hand from the same name and values: on a network, the
     * penalised loss and its gradient at a step agree exactly (the same draws), and IGR's α defaults to h/4.
     */
    @Test
    void registryEntriesAreTheHandBuiltPenalties() {
        Spec base = Spec.fromMap(spec(NET, DATA, opt("name", "sgd", "lr", 0.1, "batch_size", 6), null));
        org.driftlab.objective.Objective e = ObjectiveFactories.DEFAULT.create(base, 0).train();
        double[] theta = ObjectiveFactories.DEFAULT.create(base, 0).initialTheta();
        for (String name : Regularizers.names()) {
            Map<String, Object> reg = new LinkedHashMap<>(Map.of("name", name));
            if (!name.equals("igr")) {
                reg.put("coef", 0.3);
            }
            Spec s = Spec.fromMap(spec(NET, DATA, opt("name", "gd", "lr", 0.1), reg));
            Regularized fromSpec = (Regularized) Rules.create(s.optimizer(), 12, 4);
            Regularized byHand = RegularizedRules.of(new org.driftlab.optim.Gd("gd",
                    org.driftlab.optim.GradientSource.fullBatch()), name, name.equals("igr") ? null : 0.3,
                    name.equals("fisher") ? 1 : 2, 1, 32, 0.01, 1e-8, 4);
            assertEquals("gd+" + name, fromSpec.name());
            assertEquals(byHand.coefficient(0.2), fromSpec.coefficient(0.2), 0.0, name);
            var a = new org.driftlab.objective.PenalisedObjective(e, fromSpec.penaltyAt(3), fromSpec.coefficient(0.2));
            var b = new org.driftlab.objective.PenalisedObjective(e, byHand.penaltyAt(3), byHand.coefficient(0.2));
            assertEquals(b.value(theta), a.value(theta), 0.0, name);
            assertArrayEquals(b.gradient(theta), a.gradient(theta), 0.0, name);
        }
        assertEquals(0.05, ((Regularized) Rules.create(Spec.fromMap(spec(NET, DATA, opt("name", "gd", "lr", 0.1),
                Map.of("name", "igr"))).optimizer(), 12, 0)).coefficient(0.2), 0.0, "IGR's α = h/4");
        // the name key's description lists every entry (driftlab show prints it)
        String doc = Params.schema(Spec.RegularizerKeys.class).get(0).doc();
        for (String name : Regularizers.names()) {
            assertTrue(doc.contains(name), doc);
        }
    }

    private static void assertMessage(Map<String, Object> m, String part) {
        DriftlabException e = assertThrows(DriftlabException.class, () -> Spec.fromMap(m));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
