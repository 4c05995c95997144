package org.driftlab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.driftlab.data.AtomicFiles;

/**
 * {@code provenance.json} of a run or study directory: what produced it (driftlab version, git commit, JVM, OS),
 * with what (experiment, seeds, threads), when (start, end, resumes) and what came out (outcomes, verdicts, the
 * data of each sub-run). Built here once for training runs and studies alike; written atomically.
 */
public final class Provenance {
    /** The file name in a run directory. */
    public static final String FILE = "provenance.json";

    private Provenance() {}

    /** The fields every run and study records at its start; callers add their own and {@link #write} it. */
    public static Map<String, Object> start(String experiment) {
        Map<String, Object> p = new LinkedHashMap<>();
        String v = Provenance.class.getPackage().getImplementationVersion();
        p.put("driftlab_version", v == null ? "dev" : v);
        p.put("git_commit", gitCommit());
        p.put("experiment", experiment);
        p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("start", Instant.now().toString());
        p.put("end", null);
        return p;
    }

    /** Writes dir/provenance.json atomically. */
    public static void write(Path dir, Map<String, Object> provenance) {
        AtomicFiles.writeString(dir.resolve(FILE), Json.write(provenance));
    }

    /** Reads dir/provenance.json as a mutable tree (empty when absent). */
    public static Map<String, Object> read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return new LinkedHashMap<>();
        }
        return new LinkedHashMap<>(SpecLoader.readYaml(f)); // JSON is YAML
    }

    /** HEAD of the git checkout in the working directory, or "unknown". */
    public static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
