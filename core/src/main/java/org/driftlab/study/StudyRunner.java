package org.driftlab.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.DataSources;
import org.driftlab.experiment.Json;
import org.driftlab.experiment.Provenance;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.tensor.Parallel;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs a {@link StudySpec} into a run directory: {@code spec.yaml} (resolved), {@code provenance.json} (version,
 * git commit, seeds, threads, JVM, start and end, the findings' verdicts), the study's CSV tables and
 * {@code study.json} (figures, findings, notes, summary). Tables and study.json are written only when the study
 * completes, so a failed study leaves no half-written results; training runs a study starts are checkpointed and
 * reused by a rerun ({@code driftlab resume DIR}).
 */
public final class StudyRunner {
    private StudyRunner() {}

    /** What a finished study reports back (tests assert on its findings by id). */
    public record Result(Path dir, List<StudyContext.Finding> findings, Map<String, Object> summary) {
        /** The finding with this id, or an exception naming the ids there are. */
        public StudyContext.Finding finding(String id) {
            for (StudyContext.Finding f : findings) {
                if (f.id().equals(id)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("no finding '" + id + "'; have "
                    + findings.stream().map(StudyContext.Finding::id).toList());
        }
    }

    /**
     * Starts a study in a fresh directory. Its data parameters ({@code data}, {@code test_data}) are checked first,
     * so that a missing data set leaves no directory behind.
     */
    public static Result start(StudySpec spec, Path dir, Consumer<String> progress) {
        if (Files.exists(dir.resolve(Runner.SPEC))) {
            throw new DriftlabException(dir + " already holds a run; use 'driftlab resume " + dir + "' or another --out");
        }
        check(spec);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DriftlabException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(dir.resolve(Runner.SPEC), toYaml(spec));
        return execute(spec, dir, progress);
    }

    /** Checks the study's data parameters ({@code data}, {@code test_data}) without loading them. */
    public static void check(StudySpec spec) {
        for (String key : new String[] {"data", "test_data"}) {
            if (org.driftlab.experiment.Params.toMap(spec.params()).get(key) instanceof String source && !source.equals("none")) {
                try {
                    DataSources.check(source);
                } catch (DriftlabException e) {
                    throw new DriftlabException("params." + key + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Reruns a study in its directory, reusing the training runs it finished before. */
    public static Result resume(Path dir, Consumer<String> progress) {
        Map<String, Object> tree = SpecLoader.readYaml(dir.resolve(Runner.SPEC));
        // provenance.json is written when a study starts, so an interrupted quick study resumes as quick
        boolean quick = Boolean.TRUE.equals(Provenance.read(dir).get("quick"));
        AtomicFiles.cleanTemporaries(dir);
        return execute(StudySpec.fromMap(tree, quick), dir, progress);
    }

    /** True when dir holds a study run (rather than a training run). */
    public static boolean isStudyDir(Path dir) {
        Path spec = dir.resolve(Runner.SPEC);
        return Files.exists(spec) && StudySpec.isStudy(SpecLoader.readYaml(spec));
    }

    private static Result execute(StudySpec spec, Path dir, Consumer<String> progress) {
        return Parallel.withThreads(spec.threads(), () -> executeHere(spec, dir, progress));
    }

    private static Result executeHere(StudySpec spec, Path dir, Consumer<String> progress) {
        Map<String, Object> prov = Provenance.start(spec.name());
        prov.put("kind", spec.kind());
        prov.put("seeds", new ArrayList<>(spec.seeds()));
        prov.put("threads", spec.threads());
        prov.put("quick", spec.quick());
        Provenance.write(dir, prov);
        StudyContext ctx = new StudyContext(dir, spec.params(), spec.seeds(), spec.threads(), spec.quick(), progress,
                Runner.Options.defaults());
        run(spec.study(), ctx, spec.params());
        ctx.flushAll();
        AtomicFiles.writeString(dir.resolve(StudyContext.STUDY_JSON),
                Json.write(ctx.describe(spec.kind(), spec.name(), spec.description())));
        prov.put("end", Instant.now().toString());
        List<Object> verdicts = new ArrayList<>();
        for (StudyContext.Finding f : ctx.findings()) {
            verdicts.add((f.holds() ? "holds: " : "does not hold: ") + f.id() + ": " + f.claim());
        }
        prov.put("findings", verdicts);
        Provenance.write(dir, prov);
        return new Result(dir, ctx.findings(), ctx.summaryValues());
    }

    /** Calls the study with its own parameter type (checked when the spec was bound). */
    private static <P extends Record> void run(Study<P> study, StudyContext ctx, Record params) {
        study.run(ctx, study.params().cast(params));
    }

    private static String toYaml(StudySpec spec) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(spec.toMap());
    }
}
