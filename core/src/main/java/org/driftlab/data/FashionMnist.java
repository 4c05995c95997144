package org.driftlab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.driftlab.DriftlabException;

/**
 * Where Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; 28×28 grey images, 10 balanced classes, 60000 training and
 * 10000 test images) comes from: the full set installed on this machine when its four IDX files are present, and
 * otherwise the subset embedded in the driftlab jar, the first {@value #EMBEDDED_TRAIN} training and the first
 * {@value #EMBEDDED_TEST} test images, byte for byte as released (MIT licence, notice beside the files).
 *
 * <p>The first N images are the same in both, so a spec asking for at most the embedded count gets the same data,
 * with the same checksum, wherever it runs; only the {@linkplain Split#origin() origin} it reports differs. A class-
 * balanced ({@code stratified}) selection is served from the subset only when it picks exactly what it would pick
 * from the full set. Anything larger is an error that says how to install the full set: never a smaller or a
 * synthetic stand-in.
 *
 * <p>The directory is {@code -Ddriftlab.fashion_mnist_dir}, else {@code $DRIFTLAB_FASHION_MNIST_DIR}, else
 * {@value #DEFAULT_DIR} (Debian's {@code dataset-fashion-mnist}); naming an empty directory hides an installed set,
 * which is how the tests run on the embedded subset. The embedded files' SHA-256 (of the uncompressed IDX bytes, in
 * the resource {@code SHA256SUMS} written by {@code scripts/make-fashion-mnist-subset.sh}) is verified each time
 * the subset is first loaded by a JVM.
 */
public final class FashionMnist {
    /** The directory of Debian's package dataset-fashion-mnist. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    /** Environment variable naming another directory. */
    public static final String DIR_ENV = org.driftlab.Environment.FASHION_MNIST_DIR;
    /** System property naming another directory (takes precedence over {@link #DIR_ENV}). */
    public static final String DIR_PROPERTY = "driftlab.fashion_mnist_dir";
    /** Training images in the full set. */
    public static final int FULL_TRAIN = 60000;
    /** Test images in the full set. */
    public static final int FULL_TEST = 10000;
    /** Training images in the embedded subset (the first ones of the full set). */
    public static final int EMBEDDED_TRAIN = 5000;
    /** Test images in the embedded subset (the first ones of the full set). */
    public static final int EMBEDDED_TEST = 1000;
    /** Number of classes; every class holds a tenth of each full split. */
    public static final int CLASSES = 10;
    /** How to get the full set, for error messages. */
    public static final String HOW_TO_INSTALL = "install the full set with 'sudo scripts/install-native.sh' (Debian "
            + "package dataset-fashion-mnist) or set " + DIR_ENV + " to a directory holding its four IDX files";

    static final String RESOURCE_DIR = "/org/driftlab/data/fashion-mnist/";
    /** The four IDX files of the full set (and of the embedded subset), without .gz. */
    static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    /** Verified, uncompressed embedded files by name: loaded once per JVM (4.7 MB). */
    private static final Map<String, byte[]> EMBEDDED = new HashMap<>();

    private FashionMnist() {}

    /**
     * One split's files.
     *
     * @param images    the image file
     * @param labels    the label file
     * @param available how many examples they hold
     * @param embedded  true for the subset in the jar, false for the installed full set
     * @param origin    one line saying which, for consoles, provenance and reports
     */
    record Split(IdxReader.Source images, IdxReader.Source labels, int available, boolean embedded, String origin) {}

    /** The directory looked in for the full set (see the class comment). */
    public static Path dir() {
        String v = System.getProperty(DIR_PROPERTY);
        if (v != null && !v.isBlank()) {
            return Path.of(v);
        }
        Path env = org.driftlab.Environment.directory(DIR_ENV); // validated: a directory
        return env != null ? env : Path.of(DEFAULT_DIR);
    }

    /** True if the full set's four IDX files (gzip-compressed or not) are in {@link #dir()}. */
    public static boolean installed() {
        for (String f : FILES) {
            if (find(dir(), f) == null) {
                return false;
            }
        }
        return true;
    }

    /** The training or test split: the installed full set when present, else the embedded subset. */
    static Split split(boolean train) {
        Path dir = dir();
        String what = train ? "training" : "test";
        if (installed()) {
            Path images = find(dir, FILES[train ? 0 : 2]);
            Path labels = find(dir, FILES[train ? 1 : 3]);
            int n = IdxReader.imageDims(images)[0];
            return new Split(IdxReader.Source.of(images), IdxReader.Source.of(labels), n, false,
                    "Fashion-MNIST full set installed in " + dir + " (" + n + " " + what + " images)");
        }
        int n = train ? EMBEDDED_TRAIN : EMBEDDED_TEST;
        String images = FILES[train ? 0 : 2];
        String labels = FILES[train ? 1 : 3];
        return new Split(IdxReader.Source.of("embedded " + images, embedded(images)),
                IdxReader.Source.of("embedded " + labels, embedded(labels)), n, true,
                String.format(Locale.ROOT, "Fashion-MNIST embedded subset (first %d of the %d %s images, in the "
                        + "driftlab jar; the full set is not installed in %s)", n, train ? FULL_TRAIN : FULL_TEST,
                        what, dir));
    }

    /** The error for a request the embedded subset cannot serve as the full set would. */
    static DriftlabException tooMany(String spec, String request, boolean train) {
        return new DriftlabException(String.format(Locale.ROOT, "data source '%s' asks for %s but Fashion-MNIST is "
                + "not installed in %s and the embedded subset holds only the first %d %s images; %s", spec, request,
                dir(), train ? EMBEDDED_TRAIN : EMBEDDED_TEST, train ? "training" : "test", HOW_TO_INSTALL));
    }

    static Path find(Path dir, String base) {
        for (String suffix : new String[] {".gz", ""}) {
            Path p = dir.resolve(base + suffix);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The uncompressed bytes of an embedded file, checked against SHA256SUMS. */
    private static byte[] embedded(String name) {
        synchronized (EMBEDDED) {
            byte[] b = EMBEDDED.get(name);
            if (b == null) {
                b = readVerified(name);
                EMBEDDED.put(name, b);
            }
            return b;
        }
    }

    private static byte[] readVerified(String name) {
        String expected = checksums().get(name);
        byte[] bytes;
        try (InputStream raw = resource(name + ".gz"); InputStream in = new GZIPInputStream(raw, 1 << 16)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(name.startsWith("train-images") ? 3_920_016 : 1 << 20);
            in.transferTo(out);
            bytes = out.toByteArray();
        } catch (IOException e) {
            throw new DataFormatException("embedded Fashion-MNIST " + name + ".gz: corrupt gzip data ("
                    + AtomicFiles.describe(e) + "); rebuild it with scripts/make-fashion-mnist-subset.sh", e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new DataFormatException("embedded Fashion-MNIST " + name + ": SHA-256 " + actual + " differs from "
                    + expected + " in SHA256SUMS; rebuild it with scripts/make-fashion-mnist-subset.sh");
        }
        return bytes;
    }

    /** file name → SHA-256 hex, from the resource SHA256SUMS ({@code sha256sum} output). */
    private static Map<String, String> checksums() {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = resource("SHA256SUMS")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.strip().split("\\s+\\*?");
                if (f.length == 2) {
                    m.put(f[1], f[0]);
                }
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot read the embedded Fashion-MNIST SHA256SUMS: " + AtomicFiles.describe(e), e);
        }
        for (String f : FILES) {
            if (!m.containsKey(f)) {
                throw new DataFormatException("embedded Fashion-MNIST SHA256SUMS has no entry for " + f
                        + "; rebuild it with scripts/make-fashion-mnist-subset.sh");
            }
        }
        return m;
    }

    private static InputStream resource(String name) {
        InputStream in = FashionMnist.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new DriftlabException("the embedded Fashion-MNIST subset is missing from this build (no resource "
                    + RESOURCE_DIR + name + "); " + HOW_TO_INSTALL);
        }
        return in;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
