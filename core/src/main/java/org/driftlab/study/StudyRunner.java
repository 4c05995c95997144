package org.driftlab.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.DirectoryLock;
import org.driftlab.experiment.Checkpoint;
import org.driftlab.experiment.RunIdentity;
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
     * Starts a study in a fresh directory (absent or empty). Its data parameters ({@code data}, {@code test_data})
     * are checked first, so that a missing data set leaves no directory behind; the directory is then claimed and
     * locked for the life of the study ({@link DirectoryLock}), and removed again if the study fails before any of
     * its training runs has checkpointed (nothing to resume).
     */
    public static Result start(StudySpec spec, Path dir, Consumer<String> progress) {
        if (Files.exists(dir.resolve(Runner.SPEC))) {
            throw new DriftlabException(dir + " already holds a run; use 'driftlab resume " + dir + "' or another --out");
        }
        check(spec);
        DirectoryLock lock = DirectoryLock.create(dir, "study");
        try {
            AtomicFiles.writeString(dir.resolve(Runner.SPEC), toYaml(spec));
            return execute(spec, dir, progress, new LinkedHashMap<>());
        } catch (RuntimeException | Error e) {
            if (!anyCheckpoint(dir)) {
                lock.discard();
            }
            throw e;
        } finally {
            lock.close();
        }
    }

    /** True when a training run of the study has checkpointed: the study then has work worth resuming. */
    private static boolean anyCheckpoint(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().equals(Checkpoint.FILE));
        } catch (IOException | java.io.UncheckedIOException e) {
            return true; // cannot tell: keep it
        }
    }

    /**
     * Checks the study's data parameters ({@code data}, {@code test_data}) without loading them, then what the study
     * itself checks before anything is created ({@link Study#validate}).
     */
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
        validate(spec.study(), spec.params());
    }

    /** Calls the study's own validation with its own parameter type. */
    private static <P extends Record> void validate(Study<P> study, Record params) {
        study.validate(study.params().cast(params));
    }

    /** Reruns a study in its directory, reusing the training runs it finished before; a changed spec is refused. */
    public static Result resume(Path dir, Consumer<String> progress) {
        return resume(dir, progress, false);
    }

    /**
     * Reruns a study in its directory, holding its lock and reusing the training runs it finished before. The spec
     * file and the code must be those the study started with ({@link RunIdentity}), unless newSegment accepts a
     * change (not of its kind) and records it in provenance.
     *
     * @param dir        the study directory
     * @param progress   where progress lines go
     * @param newSegment whether a changed spec or code is accepted as a new segment
     * @return the study's findings
     */
    public static Result resume(Path dir, Consumer<String> progress, boolean newSegment) {
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            Map<String, Object> before = Provenance.read(dir);
            RunIdentity.verify(before, dir.resolve(Runner.SPEC), Set.of("kind"), newSegment, "driftlab resume " + dir
                    + " --new-segment");
            Map<String, Object> tree = SpecLoader.readYaml(dir.resolve(Runner.SPEC));
            // provenance.json is written when a study starts, so an interrupted quick study resumes as quick
            boolean quick = Boolean.TRUE.equals(before.get("quick"));
            AtomicFiles.cleanTemporaries(dir);
            Map<String, Object> carried = new LinkedHashMap<>();
            for (String key : List.of("start", "resumed", RunIdentity.SEGMENTS)) {
                if (before.containsKey(key)) {
                    carried.put(key, before.get(key));
                }
            }
            @SuppressWarnings("unchecked")
            List<Object> resumed = carried.get("resumed") instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
            resumed.add(Instant.now().toString());
            carried.put("resumed", resumed);
            return execute(StudySpec.fromMap(tree, quick), dir, progress, carried);
        }
    }

    /** True when the study in dir has finished: its study.json is written and provenance records the end. */
    public static boolean isFinished(Path dir) {
        return Files.exists(dir.resolve(StudyContext.STUDY_JSON)) && Provenance.read(dir).get("end") != null;
    }

    /** True when dir holds a study run (rather than a training run). */
    public static boolean isStudyDir(Path dir) {
        Path spec = dir.resolve(Runner.SPEC);
        return Files.exists(spec) && StudySpec.isStudy(SpecLoader.readYaml(spec));
    }

    private static Result execute(StudySpec spec, Path dir, Consumer<String> progress, Map<String, Object> carried) {
        return Parallel.withThreads(spec.threads(), () -> executeHere(spec, dir, progress, carried));
    }

    /** Runs the study; carried holds what a resume keeps of the previous provenance (start, resumes, segments). */
    private static Result executeHere(StudySpec spec, Path dir, Consumer<String> progress, Map<String, Object> carried) {
        Map<String, Object> prov = Provenance.start(spec.name());
        prov.put("kind", spec.kind());
        prov.put("seeds", new ArrayList<>(spec.seeds()));
        prov.put("threads", spec.threads());
        prov.put("quick", spec.quick());
        prov.putAll(carried);
        RunIdentity.record(prov, dir.resolve(Runner.SPEC));
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
