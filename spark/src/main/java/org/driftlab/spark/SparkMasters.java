package org.driftlab.spark;

import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.driftlab.DriftlabException;
import org.driftlab.sweep.EngineOptions;

/**
 * The {@code --master} URL checked before a Spark context starts. Spark parses the master only inside the context's
 * constructor, seconds into its start, and then fails with its own exception (an internal error to the CLI); this
 * accepts the forms Spark accepts ({@code org.apache.spark.SparkMasterRegex} and the cluster managers on the class
 * path) and refuses the rest with one line naming the option.
 */
final class SparkMasters {
    private SparkMasters() {}

    private static final Pattern LOCAL = Pattern.compile("local\\[([0-9]+|\\*)(?:\\s*,\\s*([0-9]+))?\\]");
    private static final Pattern LOCAL_CLUSTER =
            Pattern.compile("local-cluster\\[\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*]");
    private static final Pattern HOST_PORT =
            Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]):([0-9]{1,5})");
    private static final String FORMS = "local, local[N], local[*], local[N,F], spark://HOST:PORT, "
            + "or yarn and k8s://… through spark-submit";

    /** The master, unchanged, if Spark can run it with members of memberThreads threads; else a user error. */
    static String check(String master, int memberThreads) {
        if (master.equals("local")) {
            return cores(master, 1, memberThreads);
        }
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            if (m.group(2) != null) {
                positive(master, m.group(2), "the attempts per task F");
            }
            int cores = m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                    : positive(master, m.group(1), "the threads N");
            return cores(master, cores, memberThreads);
        }
        m = LOCAL_CLUSTER.matcher(master);
        if (m.matches()) {
            for (int g = 1; g <= 3; g++) {
                positive(master, m.group(g), "workers, cores and memory");
            }
            return cores(master, positive(master, m.group(2), "cores"), memberThreads);
        }
        if (master.startsWith("spark://")) {
            for (String hostPort : master.substring("spark://".length()).split(",", -1)) {
                Matcher h = HOST_PORT.matcher(hostPort);
                if (!h.matches() || Integer.parseInt(h.group(1)) < 1 || Integer.parseInt(h.group(1)) > 65535) {
                    throw bad(master, "expected spark://HOST:PORT (several masters separated by commas)");
                }
            }
            return master;
        }
        for (ExternalClusterManager manager : ServiceLoader.load(ExternalClusterManager.class)) {
            if (manager.canCreate(master)) { // yarn or k8s://…, when spark-submit has put their modules here
                return master;
            }
        }
        throw bad(master, "not a Spark master this driftlab can start: " + FORMS);
    }

    /** The cores of the default master {@code local[parallel × memberThreads]}, refused when they overflow an int. */
    static int localCores(EngineOptions options) {
        long cores = (long) options.parallel() * options.memberThreads();
        if (cores > Integer.MAX_VALUE) {
            throw new DriftlabException("--parallel: " + options.parallel() + " members of " + options.memberThreads()
                    + " threads each need more than " + Integer.MAX_VALUE + " Spark cores");
        }
        return (int) cores;
    }

    /** A member needs memberThreads cores of one executor (spark.task.cpus): fewer, and Spark refuses at start. */
    private static String cores(String master, int cores, int memberThreads) {
        if (cores < memberThreads) {
            throw bad(master, cores + " core" + (cores == 1 ? "" : "s") + " per executor, fewer than a member's "
                    + memberThreads + " threads");
        }
        return master;
    }

    /** A count of the master URL: at least 1 and an int. */
    private static int positive(String master, String digits, String what) {
        int v;
        try {
            v = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw bad(master, what + " out of range");
        }
        if (v < 1) {
            throw bad(master, what + " must be >= 1");
        }
        return v;
    }

    private static DriftlabException bad(String master, String why) {
        String shown = master.length() > 60 ? master.substring(0, 57) + "..." : master;
        return new DriftlabException("--master: '" + shown + "': " + why);
    }
}
