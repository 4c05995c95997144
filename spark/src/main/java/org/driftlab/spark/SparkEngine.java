package org.driftlab.spark;

import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.driftlab.sweep.EngineOptions;
import org.driftlab.sweep.MemberJob;
import org.driftlab.sweep.MemberResult;
import org.driftlab.sweep.MemberSlots;
import org.driftlab.sweep.MemberTask;
import org.driftlab.sweep.Slots;
import org.driftlab.sweep.SweepEngine;
import org.driftlab.sweep.WorkJob;

/**
 * Members of a sweep as Apache Spark tasks. Each member is one Spark job of one task (a one-element RDD mapped by the
 * {@link MemberJob} and collected), submitted from a small pool of driver threads, so that the driver learns of each
 * member as it ends (one progress line, one rewrite of sweep.csv) and Spark's scheduler decides where it runs.
 *
 * <p>Configuration: {@code spark.task.cpus} is the members' thread count, so an executor with C cores runs C/threads
 * members at once; speculation is off (a second attempt of a running member would wait on its lock and be wasted);
 * a task that fails (an executor lost, an out-of-memory kill) is retried by Spark up to {@code spark.task.maxFailures}
 * times, and the retry resumes the member from its last checkpoint in the shared member directory
 * ({@link org.driftlab.sweep.RunMember} is idempotent), so no member is run twice over. Without {@code --master} and
 * outside {@code spark-submit} the master is {@code local[cores]}: Spark embedded in this JVM. A member that throws
 * is a result ({@code failed}, with its message) returned by the task, not a task failure.
 *
 * <p>Plain work items (the points of a landscape, {@link #evaluate}) run the same way in chunks of consecutive
 * indices: a {@link WorkJob} is pure, so a retried task computes the same values, and the driver, not the task,
 * records them.
 */
public final class SparkEngine implements SweepEngine {
    /**
     * Spark contexts this JVM has begun to start: a refused input must leave it unchanged (SparkCliFuzzTest), since a
     * start costs seconds and a refusal from inside it is Spark's exception, not one line.
     */
    static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();

    private final JavaSparkContext sc;
    private final int parallel;
    private final String master;
    private final double startSeconds;

    /** Starts (or joins, under spark-submit) a Spark context. */
    public SparkEngine(EngineOptions options) {
        long t0 = System.nanoTime();
        SparkConf conf = new SparkConf(true).setAppName("driftlab sweep"); // true: spark.* system properties (spark-submit)
        int cores = Runtime.getRuntime().availableProcessors();
        // a bad master is refused here, in a millisecond: Spark itself would say so only after starting its context
        check(options);
        if (options.master() != null) {
            conf.setMaster(options.master());
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(defaultMaster(options, cores));
        }
        conf.set("spark.task.cpus", Integer.toString(options.memberThreads()));
        conf.set("spark.speculation", "false");
        if (conf.get("spark.master").startsWith("local")) {
            // embedded: no web UI to serve (a second less to start), and the driver's sockets on the loopback
            // interface only, whatever the machine's host name resolves to
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        this.master = conf.get("spark.master");
        STARTED.incrementAndGet();
        this.sc = new JavaSparkContext(conf);
        int slots = Math.max(1, sc.defaultParallelism() / options.memberThreads());
        this.parallel = options.parallel() > 0 ? options.parallel() : slots;
        this.startSeconds = (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Embedded Spark without --master: {@code parallel × memberThreads} cores, or the machine's, but never fewer
     * than one member's threads (spark.task.cpus), which Spark would refuse as it starts.
     */
    static String defaultMaster(EngineOptions options, int cores) {
        return "local[" + (options.parallel() > 0 ? SparkMasters.localCores(options)
                : Math.max(cores, options.memberThreads())) + "]";
    }

    /** Refuses a bad master URL, or a default master whose core count overflows, without starting Spark. */
    static void check(EngineOptions options) {
        if (options.master() != null) {
            SparkMasters.check(options.master(), options.memberThreads());
        } else if (options.parallel() > 0) {
            SparkMasters.localCores(options);
        }
    }

    /** Seconds it took to start the Spark context (the engine's fixed cost). */
    public double startSeconds() {
        return startSeconds;
    }

    @Override
    public int parallelism() {
        return parallel;
    }

    @Override
    public String describe(String item) {
        return String.format(java.util.Locale.ROOT, "spark %s on %s, %d %s%s at a time, started in %.1f s",
                sc.version(), master, parallel, item, parallel == 1 ? "" : "s", startSeconds);
    }

    @Override
    public void run(List<MemberTask> tasks, MemberJob job, Consumer<MemberResult> done) {
        // a task that failed every attempt throws out of collect(); MemberSlots records its member as failed
        MemberSlots.run(parallel, "driftlab-spark-driver", tasks, task -> {
            sc.setJobDescription("driftlab member " + task.id());
            return sc.parallelize(List.of(task), 1).map(t -> job.run(t)).collect().get(0);
        }, done);
    }

    /**
     * Items in chunks, each chunk one Spark job of one task (a one-element RDD mapped by a worker the task opens, and
     * collected), at most parallel chunks at once, as members are; the driver hears of each chunk's items when its
     * job ends. A chunk rather than a task per item: an item (a landscape point) may take milliseconds, less than
     * a job's scheduling, and each task opens its worker (loads the objective) once for the chunk. Four chunks per
     * slot or more balance the load; at most {@link #MAX_CHUNK} items per chunk bound what a kill of the driver loses.
     */
    @Override
    public void evaluate(int[] indices, WorkJob job, WorkJob.Sink done) {
        int chunk = chunkSize(indices.length, parallel);
        // a task that failed every attempt throws out of collect(), and so out of this method
        Slots.items(parallel, "driftlab-spark-driver", indices, chunk, () -> items -> {
            sc.setJobDescription("driftlab items " + items[0] + (items.length > 1 ? "…" + items[items.length - 1] : ""));
            return sc.parallelize(List.of(items), 1).map(c -> job.open().applyAll(c)).collect().get(0);
        }, done);
    }

    /** The most items of one chunk. */
    static final int MAX_CHUNK = 256;

    /** Items per chunk: about four chunks per slot, at most {@link #MAX_CHUNK}. */
    static int chunkSize(int items, int slots) {
        return (int) Math.max(1, Math.min(MAX_CHUNK, Math.ceil(items / (4.0 * slots))));
    }

    @Override
    public void close() {
        sc.stop();
    }
}
