package org.driftlab.experiment;

import org.driftlab.data.AtomicFiles;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.optim.RuleState;

/**
 * Everything needed to continue a sweep bitwise-identically: the outcomes of finished sub-runs, the number of
 * metrics rows written so far, and (when a sub-run is in progress) its θ, θ_0, step, time Σh, update-rule state
 * (which includes the sampler), the last mini-batch gradient and cosine, each probe's state by its key (the
 * sharpness probe's Lanczos warm start) and the divergence bound. One binary file ({@code checkpoint.bin},
 * big-endian DataOutput), written atomically. Version 3 ends with the SHA-256 of everything before it, and a file
 * whose checksum does not match is refused: one flipped bit in θ would otherwise resume, silently, into another
 * run. Versions 1 and 2 (no checksum; version 1 written before probe states were keyed: one warm-start array, read
 * as the sharpness probe's state) still read.
 */
public record Checkpoint(List<Outcome> finished, int rowCount, Current current) {
    /** The file name in a run directory. */
    public static final String FILE = "checkpoint.bin";
    private static final int MAGIC = 0x444C434B; // "DLCK"
    private static final int VERSION = 3;
    /** Bytes of the SHA-256 trailer of a version-3 file. */
    private static final int DIGEST = 32;

    /** Immutable copy. */
    public Checkpoint {
        finished = List.copyOf(finished);
    }

    /** The state of the sub-run in progress. */
    public record Current(int subRun, long step, double time, double[] theta, double[] theta0, double[] lastGradient,
                          double lastCosine, RuleState rule, Map<String, double[]> probeStates, double divergeBound) {
        /** Immutable copy of the probe states. */
        public Current {
            probeStates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probeStates));
        }
    }

    /** Writes dir/checkpoint.bin atomically. */
    public void write(Path dir) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(rowCount);
            out.writeInt(finished.size());
            for (Outcome o : finished) {
                out.writeUTF(o.run());
                out.writeDouble(o.lr());
                out.writeLong(o.seed());
                out.writeUTF(o.outcome());
                out.writeLong(o.step());
                out.writeDouble(o.finalLoss());
            }
            out.writeBoolean(current != null);
            if (current != null) {
                out.writeInt(current.subRun());
                out.writeLong(current.step());
                out.writeDouble(current.time());
                writeArray(out, current.theta());
                writeArray(out, current.theta0());
                writeArray(out, current.lastGradient());
                out.writeDouble(current.lastCosine());
                double[][] vs = current.rule().vectors();
                out.writeInt(vs.length);
                for (double[] v : vs) {
                    writeArray(out, v);
                }
                long[] cs = current.rule().counters();
                out.writeInt(cs.length);
                for (long c : cs) {
                    out.writeLong(c);
                }
                out.writeInt(current.probeStates().size());
                for (Map.Entry<String, double[]> e : current.probeStates().entrySet()) {
                    out.writeUTF(e.getKey());
                    writeArray(out, e.getValue());
                }
                out.writeDouble(current.divergeBound());
            }
            out.writeInt(MAGIC); // trailer: a truncated file cannot pass as complete
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        byte[] payload = bytes.toByteArray();
        byte[] digest = sha256(payload, payload.length);
        AtomicFiles.write(dir.resolve(FILE), os -> {
            os.write(payload);
            os.write(digest);
        });
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** True when dir holds a checkpoint (a run that has something to resume from). */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE));
    }

    /** Reads dir/checkpoint.bin, or null when there is none. */
    public static Checkpoint read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all))) {
            if (all.length < 8 || in.readInt() != MAGIC) {
                throw corrupt(file, "not a driftlab checkpoint");
            }
            int version = in.readInt();
            if (version < 1 || version > VERSION) {
                throw new DriftlabException(file + ": checkpoint version " + version + " is not one this driftlab reads (1.."
                        + VERSION + "); finish the run with the driftlab that started it");
            }
            if (version >= 3) {
                int end = all.length - DIGEST;
                if (end < 8 || !java.security.MessageDigest.isEqual(sha256(all, end),
                        java.util.Arrays.copyOfRange(all, end, all.length))) {
                    throw corrupt(file, "its SHA-256 checksum does not match its content");
                }
            }
            int rowCount = in.readInt();
            int n = in.readInt();
            List<Outcome> finished = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                finished.add(new Outcome(in.readUTF(), in.readDouble(), in.readLong(), in.readUTF(), in.readLong(),
                        in.readDouble()));
            }
            Current current = null;
            if (in.readBoolean()) {
                int subRun = in.readInt();
                long step = in.readLong();
                double time = in.readDouble();
                double[] theta = readArray(in);
                double[] theta0 = readArray(in);
                double[] lastGradient = readArray(in);
                double lastCosine = in.readDouble();
                double[][] vs = new double[in.readInt()][];
                for (int i = 0; i < vs.length; i++) {
                    vs[i] = readArray(in);
                }
                long[] cs = new long[in.readInt()];
                for (int i = 0; i < cs.length; i++) {
                    cs[i] = in.readLong();
                }
                Map<String, double[]> states = new java.util.LinkedHashMap<>();
                if (version == 1) {
                    double[] warm = readArray(in);
                    if (warm.length > 0) {
                        states.put("sharpness", warm);
                    }
                } else {
                    int count = in.readInt();
                    for (int i = 0; i < count; i++) {
                        states.put(in.readUTF(), readArray(in));
                    }
                }
                double bound = in.readDouble();
                current = new Current(subRun, step, time, theta, theta0, lastGradient, lastCosine,
                        new RuleState(vs, cs), states, bound);
            }
            if (in.readInt() != MAGIC) {
                throw corrupt(file, "it is truncated");
            }
            return new Checkpoint(finished, rowCount, current);
        } catch (IOException e) {
            throw corrupt(file, AtomicFiles.describe(e));
        }
    }

    /** A checkpoint that cannot be trusted: what is wrong, and the two ways on. */
    private static DriftlabException corrupt(Path file, String what) {
        return new DriftlabException(file + " is damaged (" + what + "), so the run cannot continue from it; remove it "
                + "to restart the run from step 0, or start a new run");
    }

    private static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    private static double[] readArray(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 8) {
            throw new IOException("corrupt array length " + n);
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }
}
