package org.driftlab.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Runner;
import org.driftlab.report.CsvTable;
import org.driftlab.report.ReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study machinery end to end on a toy study whose numbers are known in closed form: GD on E = ½aθ² multiplies θ
 * by (1 − ha) per step, so the table, the finding and the summary can be checked exactly.
 */
public class StudyFrameworkTest {
    /** GD on ½aθ²: writes θ_n, its closed form, and a finding on stability (|1 − ha| < 1). */
    public static final class ToyStudy implements Study<ToyStudy.Params> {
        /** The toy's parameters. */
        public record Params(@Param(value = "2.0", doc = "curvature a") double a,
                             @Param(value = "[0.1, 0.5]", doc = "learning rates") List<Double> lrs,
                             @Param(value = "5", unit = "steps", doc = "steps") int steps,
                             @Param(value = "false", doc = "fail at step 2") boolean fail) {
            /** A positive curvature. */
            public Params {
                org.driftlab.experiment.Params.check(a > 0, "a", "must be > 0, got " + a);
            }
        }

        @Override
        public String kind() {
            return "toy-gd";
        }

        @Override
        public String description() {
            return "GD on a 1-D quadratic";
        }

        @Override
        public void run(StudyContext ctx, Params p) {
            double a = p.a();
            StudyContext.Table t = ctx.table("traj", "h", "step", "theta", "closed_form", "lo", "hi");
            boolean allStable = true;
            for (double h : p.lrs()) {
                double theta = 1;
                for (int n = 0; n <= p.steps(); n++) {
                    t.row(h, n, theta, Math.pow(1 - h * a, n), theta - 0.1, theta + 0.1);
                    theta -= h * a * theta;
                    if (p.fail() && n == 2) {
                        throw new DriftlabException("toy failure at step 2");
                    }
                }
                allStable &= Math.abs(1 - h * a) < 1;
            }
            ctx.figure(Figure.of("traj", "θ_n").axes("step", "θ").line("traj", "step", "theta", "h", "h=")
                    .dashed("traj", "step", "closed_form", "h", "closed form h=").band("traj", "step", "lo", "hi", "h", "band")
                    .points("traj", "step", "theta", null, "all").hline(0, "minimum").caption("GD contracts.").build());
            ctx.finding("stable", "GD is stable for every h", allStable, "a=" + a);
            ctx.summary("a", a);
            ctx.note("A toy.");
        }
    }

    private static Map<String, Object> tree(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "toy-gd");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A study whose parameter record is a type variable: params() cannot read it and must be overridden. */
    static final class GenericStudy<R extends Record> implements Study<R> {
        @Override
        public String kind() {
            return "generic";
        }

        @Override
        public String description() {
            return "no concrete record";
        }

        @Override
        public void run(StudyContext ctx, R p) {}
    }

    @Test
    void aStudysParameterRecordIsTheTypeArgumentItImplementsStudyWith() {
        assertEquals(ToyStudy.Params.class, new ToyStudy().params());
        for (String kind : Studies.kinds()) {
            Class<?> record = Studies.byKind(kind).params();
            assertTrue(record.isRecord(), kind + ": " + record);
            assertEquals(Studies.byKind(kind).getClass(), record.getEnclosingClass(), kind + ": " + record);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new GenericStudy<>().params());
        assertTrue(e.getMessage().contains("override params()"), e.getMessage());
    }

    @Test
    void runsWritesTablesFindingsAndAReport(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("r");
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree("params", Map.of("a", 1.0)), false), run, s -> {});
        assertTrue(r.finding("stable").holds());
        assertEquals(1.0, r.summary().get("a"));
        CsvTable t = CsvTable.read(run.resolve("traj.csv"));
        assertEquals(12, t.size());
        double[] theta = t.col("theta");
        double[] closed = t.col("closed_form");
        for (int i = 0; i < theta.length; i++) {
            assertEquals(closed[i], theta[i], 1e-15);
        }
        Path html = ReportWriter.write(run);
        String text = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(text.contains("GD is stable for every h"));
        assertTrue(text.contains("<figure id=\"traj\""));
        assertTrue(text.contains("class=\"chart\"") && text.contains("<svg "), "the chart is inline");
        assertFalse(text.contains("<script"));
        assertTrue(Files.size(run.resolve("chart-traj.png")) > 1000);
        assertTrue(Files.readString(run.resolve("provenance.json")).contains("\"end\""));
    }

    @Test
    void findingCanFail(@TempDir Path dir) {
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree("params", Map.of("lrs", List.of(1.5))), false),
                dir.resolve("r"), s -> {});
        assertFalse(r.finding("stable").holds());
    }

    @Test
    void badParametersAreNamed() {
        DriftlabException e = assertThrows(DriftlabException.class,
                () -> StudySpec.fromMap(tree("params", Map.of("b", 1.0)), false));
        assertTrue(e.getMessage().contains("params.b") && e.getMessage().contains("a, lrs, steps, fail"), e.getMessage());
        e = assertThrows(DriftlabException.class, () -> StudySpec.fromMap(tree("params", Map.of("steps", 2.5)), false));
        assertEquals("params.steps: '2.5' is not an integer", e.getMessage());
        e = assertThrows(DriftlabException.class, () -> StudySpec.fromMap(tree("params", Map.of("a", -1.0)), false));
        assertEquals("params.a: must be > 0, got -1.0", e.getMessage());
        e = assertThrows(DriftlabException.class, () -> StudySpec.fromMap(tree("params", Map.of("lrs", List.of("x"))), false));
        assertTrue(e.getMessage().contains("list of numbers"), e.getMessage());
        e = assertThrows(DriftlabException.class, () -> StudySpec.fromMap(Map.of("kind", "nope"), false));
        assertTrue(e.getMessage().contains("toy-gd"), e.getMessage());
        e = assertThrows(DriftlabException.class, () -> StudySpec.fromMap(tree("lrs", List.of(0.1)), false));
        assertTrue(e.getMessage().startsWith("lrs: unknown key"), e.getMessage());
    }

    @Test
    void aFailedStudyLeavesNoResultsAndResumeReruns(@TempDir Path dir) {
        Path run = dir.resolve("r");
        assertThrows(DriftlabException.class,
                () -> StudyRunner.start(StudySpec.fromMap(tree("params", Map.of("fail", true)), false), run, s -> {}));
        // nothing had checkpointed, so nothing was worth resuming: the directory is gone (issue 17: a failed start
        // left a folder that then blocked the same command) and the same command starts again
        assertFalse(Files.exists(run));
        StudyRunner.start(StudySpec.fromMap(tree(), false), run, s -> {});
        assertTrue(StudyRunner.isStudyDir(run));
        assertThrows(DriftlabException.class,
                () -> StudyRunner.start(StudySpec.fromMap(tree(), false), run, s -> {}), "a directory is never overwritten");
    }

    @Test
    void aFigureDrawingAMissingColumnOrTableFailsTheStudy(@TempDir Path dir) {
        StudyContext ctx = new StudyContext(dir, org.driftlab.experiment.Params.defaults(ToyStudy.Params.class), List.of(0L), 1, false, s -> {}, Runner.Options.defaults());
        ctx.table("t", "a", "b").row(1, 2);
        ctx.figure(Figure.of("ok", "ok").line("t", "a", "b", null, "").build());
        ctx.describe("k", "title", "d");
        ctx.figure(Figure.of("typo", "typo").line("t", "a", "c", null, "").build());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.describe("k", "title", "d"));
        assertTrue(e.getMessage().contains("column c of table t"), e.getMessage());
        StudyContext other = new StudyContext(dir, org.driftlab.experiment.Params.defaults(ToyStudy.Params.class), List.of(0L), 1, false, s -> {}, Runner.Options.defaults());
        other.figure(Figure.of("none", "none").line("nope", "a", "b", null, "").build());
        assertThrows(IllegalStateException.class, () -> other.describe("k", "title", "d"));
    }
}
