package org.driftlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;

/**
 * Data sets named by one string, as used on the command line. The forms are listed in {@link #FORMS}.
 *
 * <p>Image sources (fashion-mnist, mnist, idx, cifar10) are scaled to [0, 1] and flattened ({@code [N, 784]},
 * CIFAR {@code [N, 3072]} channel-major as stored). Trailing options, in any order after the fixed fields:
 * <ul>
 *   <li>{@code N}: keep the first N examples (or N per the next option);</li>
 *   <li>{@code stratified}: instead a class-balanced N (see {@link Transforms#stratifiedIndices});</li>
 *   <li>{@code standardize}: per-feature centring and scaling with the statistics of the selected examples (as the
 *       torch peer's {@code --preprocess standardize}; note Cohen et al. use full-training-set statistics);</li>
 *   <li>{@code label-noise=P}, {@code random-labels}, {@code noise-seed=S}: seeded label corruption, applied
 *       last.</li>
 * </ul>
 */
public final class DataSources {
    /** Default Fashion-MNIST directory (Debian package dataset-fashion-mnist). */
    public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
    /** Environment variable overriding {@link #FASHION_MNIST_DIR}. */
    public static final String FASHION_MNIST_ENV = "DRIFTLAB_FASHION_MNIST_DIR";
    /** Default MNIST directory. */
    public static final String MNIST_DIR = "/usr/share/datasets/mnist";
    /** Environment variable overriding {@link #MNIST_DIR}. */
    public static final String MNIST_ENV = "DRIFTLAB_MNIST_DIR";

    /** The accepted forms, shown when a spec is not understood. */
    public static final String FORMS = "valid data sources: " + String.join(" | ",
            "fashion-mnist:train[:N][:stratified]   fashion-mnist:test[:N]",
            "mnist:train[:N]   mnist:test[:N]",
            "idx:IMAGES,LABELS[:N]",
            "npz:FILE[:N]   (arrays X [N, d], y [N] int labels, optional Y [N, K] targets)",
            "csv:FILE[:label=COL][:header|:noheader][:N]",
            "cifar10:DIR:train[:N]   cifar10:DIR:test[:N]",
            "synthetic:blobs:n=1000,d=20,k=4,spread=1,seed=1",
            "synthetic:moons:n=1000,noise=0.1,seed=1",
            "synthetic:teacher:n=1000,d=20,k=10,hidden=50,seed=1",
            "synthetic:linreg:n=1000,d=20,noise=0.1,seed=1[,orthogonal=true]",
            "options after the fields: N, stratified, standardize, label-noise=P, random-labels, noise-seed=S");

    private static final String[] IDX_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private DataSources() {}

    /** Parses a data source spec and loads it; errors are {@link DriftlabException}s listing the valid forms. */
    public static Dataset parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new DriftlabException("empty data source; " + FORMS);
        }
        String[] parts = spec.strip().split(":", -1);
        String kind = parts[0].toLowerCase();
        try {
            Dataset ds = switch (kind) {
                case "fashion-mnist", "fashion_mnist", "fmnist" -> imageSet(spec, "Fashion-MNIST", fashionMnistDir(),
                        parts, true);
                case "mnist" -> imageSet(spec, "MNIST", dir(MNIST_ENV, MNIST_DIR), parts, false);
                case "idx" -> idx(spec, parts);
                case "npz" -> npz(spec, parts);
                case "csv" -> csv(spec, parts);
                case "cifar10", "cifar-10" -> cifar(spec, parts);
                case "synthetic" -> synthetic(spec, parts);
                default -> throw new DriftlabException("unknown data source kind '" + parts[0] + "' in '" + spec
                        + "'; " + FORMS);
            };
            return ds.withName(spec.strip());
        } catch (IllegalArgumentException e) {
            throw new DriftlabException("bad data source '" + spec + "': " + e.getMessage() + "; " + FORMS, e);
        }
    }

    /** The Fashion-MNIST directory: $DRIFTLAB_FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist. */
    public static Path fashionMnistDir() {
        return dir(FASHION_MNIST_ENV, FASHION_MNIST_DIR);
    }

    /** True if the four Fashion-MNIST IDX files are present (gzip-compressed or not). */
    public static boolean fashionMnistAvailable() {
        Path d = fashionMnistDir();
        for (String f : IDX_FILES) {
            if (find(d, f) == null) {
                return false;
            }
        }
        return true;
    }

    /** The directory from the system property (e.g. driftlab.fashion_mnist_dir), then the environment, then the default. */
    private static Path dir(String env, String dflt) {
        String v = System.getProperty(env.toLowerCase(java.util.Locale.ROOT).replace("driftlab_", "driftlab."), System.getenv(env));
        return Path.of(v != null && !v.isBlank() ? v : dflt);
    }

    private static Path find(Path dir, String base) {
        for (String suffix : new String[] {".gz", ""}) {
            Path p = dir.resolve(base + suffix);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Options after the fixed fields of a spec. */
    private static final class Options {
        int n = -1;
        boolean stratified;
        boolean standardize;
        double labelNoise = -1;
        boolean randomLabels;
        long noiseSeed;
        final Map<String, String> extra = new LinkedHashMap<>();

        static Options parse(String spec, String[] parts, int from, Set<String> extraKeys, Set<String> extraFlags) {
            Options o = new Options();
            for (int i = from; i < parts.length; i++) {
                String t = parts[i].strip();
                String lower = t.toLowerCase();
                int eq = lower.indexOf('=');
                String key = eq < 0 ? lower : lower.substring(0, eq);
                String val = eq < 0 ? null : t.substring(eq + 1);
                if (t.isEmpty()) {
                    continue;
                } else if (t.chars().allMatch(Character::isDigit)) {
                    o.n = parseInt(spec, "N", t);
                } else if (lower.equals("stratified")) {
                    o.stratified = true;
                } else if (lower.equals("standardize") || lower.equals("standardise")) {
                    o.standardize = true;
                } else if (lower.equals("first")) {
                    o.stratified = false;
                } else if (key.equals("label-noise") && val != null) {
                    o.labelNoise = parseDouble(spec, key, val);
                } else if (lower.equals("random-labels")) {
                    o.randomLabels = true;
                } else if (key.equals("noise-seed") && val != null) {
                    o.noiseSeed = parseLong(spec, key, val);
                } else if ((val != null && extraKeys.contains(key)) || (val == null && extraFlags.contains(key))) {
                    o.extra.put(key, val);
                } else {
                    throw new DriftlabException("unknown option '" + t + "' in data source '" + spec + "'; " + FORMS);
                }
            }
            if (o.stratified && o.n < 0) {
                throw new DriftlabException("'stratified' needs a size N in data source '" + spec + "'; " + FORMS);
            }
            return o;
        }

        /** Subset (for sets loaded whole), then standardisation, then label corruption. */
        Dataset finish(Dataset ds, boolean subsetDone) {
            Dataset out = ds;
            if (!subsetDone && n >= 0) {
                if (n > out.size()) {
                    throw new DriftlabException("requested " + n + " examples but " + out.name() + " has only "
                            + out.size());
                }
                out = stratified ? Transforms.stratified(out, n) : out.first(n);
            }
            if (standardize) {
                out = Transforms.standardize(out);
            }
            if (labelNoise >= 0) {
                out = Transforms.labelNoise(out, labelNoise, noiseSeed);
            }
            if (randomLabels) {
                out = Transforms.randomLabels(out, noiseSeed);
            }
            return out;
        }
    }

    private static Dataset imageSet(String spec, String title, Path dir, String[] parts, boolean fashion) {
        if (parts.length < 2 || !(parts[1].equals("train") || parts[1].equals("test"))) {
            throw new DriftlabException("data source '" + spec + "' needs the split train or test, e.g. " + parts[0]
                    + ":train:5000; " + FORMS);
        }
        boolean train = parts[1].equals("train");
        Path images = find(dir, IDX_FILES[train ? 0 : 2]);
        Path labels = find(dir, IDX_FILES[train ? 1 : 3]);
        if (images == null || labels == null) {
            String hint = fashion
                    ? "install it with 'sudo apt-get install dataset-fashion-mnist' (or scripts/install-native.sh), or "
                    + "set " + FASHION_MNIST_ENV + " to a directory holding the IDX files"
                    : "set " + MNIST_ENV + " to a directory holding the MNIST IDX files";
            throw new DriftlabException(title + " not found: " + dir.resolve(IDX_FILES[train ? 0 : 2] + ".gz")
                    + " is missing; " + hint);
        }
        return loadIdx(spec, images, labels, Options.parse(spec, parts, 2, Set.of(), Set.of()), 10);
    }

    private static Dataset loadIdx(String spec, Path images, Path labels, Options o, int numClasses) {
        int[] rows = null;
        int limit = Integer.MAX_VALUE;
        if (o.n >= 0) {
            int total = IdxReader.imageDims(images)[0];
            if (o.n > total) {
                throw new DriftlabException("requested " + o.n + " examples but " + images + " holds only " + total);
            }
            if (o.stratified) {
                int[] y = IdxReader.readLabels(labels);
                int k = numClasses > 0 ? numClasses : maxPlusOne(y);
                rows = Transforms.stratifiedIndices(clampLabels(y, k, labels), k, o.n);
            } else {
                limit = o.n;
            }
        }
        Dataset ds = IdxReader.read(images, labels, rows, limit, numClasses, spec);
        return o.finish(ds, true);
    }

    private static int maxPlusOne(int[] y) {
        int m = -1;
        for (int v : y) {
            m = Math.max(m, v);
        }
        return m + 1;
    }

    private static int[] clampLabels(int[] y, int k, Path file) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= k) {
                throw new DataFormatException(file + ": label out of range: example " + i + " has label " + y[i]
                        + ", expected 0.." + (k - 1));
            }
        }
        return y;
    }

    private static Dataset idx(String spec, String[] parts) {
        String[] files = parts.length > 1 ? parts[1].split(",") : new String[0];
        if (files.length != 2) {
            throw new DriftlabException("data source '" + spec + "' needs two files, idx:IMAGES,LABELS; " + FORMS);
        }
        return loadIdx(spec, Path.of(files[0]), Path.of(files[1]), Options.parse(spec, parts, 2, Set.of(), Set.of()),
                0);
    }

    private static Dataset npz(String spec, String[] parts) {
        if (parts.length < 2 || parts[1].isBlank()) {
            throw new DriftlabException("data source '" + spec + "' needs a file, npz:FILE[:N]; " + FORMS);
        }
        Options o = Options.parse(spec, parts, 2, Set.of(), Set.of());
        return o.finish(readNpzDataset(Path.of(parts[1]), spec), false);
    }

    /**
     * Reads a data set saved as .npz with arrays {@code X} [N, ...] (flattened to [N, d]), {@code y} [N] integer
     * labels and optional {@code Y} [N, K] targets, the layout of the torch peer's {@code --save-data} and of
     * {@link Npy#writeDataset}. numClasses is K when Y is present, else max(y)+1. Targets equal to one-hot(y) are
     * treated as implied rather than explicit.
     */
    public static Dataset readNpzDataset(Path file, String name) {
        Map<String, NpyArray> m = Npy.readNpz(file);
        NpyArray x = m.get("X");
        if (x == null || x.shape().length < 1) {
            throw new DataFormatException(file + ": no array 'X' [N, d] (found " + m.keySet() + ")");
        }
        int n = x.shape()[0];
        Tensor inputs = x.toTensor().reshape(n, n == 0 ? 0 : x.size() / n);
        NpyArray yArr = m.get("y");
        NpyArray tArr = m.get("Y");
        int[] y = null;
        if (yArr != null) {
            if (yArr.size() != n) {
                throw new DataFormatException(file + ": mismatched counts: X has " + n + " rows but y has "
                        + yArr.size() + " labels");
            }
            try {
                y = yArr.toIntArray();
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file + ": y must hold integer labels: " + e.getMessage());
            }
        }
        Tensor targets = null;
        if (tArr != null) {
            int[] s = tArr.shape();
            if (s.length != 2 || s[0] != n) {
                throw new DataFormatException(file + ": wrong dimensions: Y must be [" + n + ", K], found "
                        + java.util.Arrays.toString(s));
            }
            targets = tArr.toTensor();
        }
        if (y == null && targets == null) {
            throw new DataFormatException(file + ": needs labels 'y' or targets 'Y' (found " + m.keySet() + ")");
        }
        int k = targets != null ? targets.dim(1) : maxPlusOne(y);
        if (y != null) {
            for (int i = 0; i < n; i++) {
                if (y[i] < 0 || y[i] >= k) {
                    throw new DataFormatException(file + ": label out of range: y[" + i + "] = " + y[i]
                            + ", expected 0.." + (k - 1));
                }
            }
            if (targets != null && isOneHot(targets, y)) {
                targets = null;
            }
        }
        return new Dataset(name, inputs, y, y == null ? 0 : k, targets);
    }

    private static boolean isOneHot(Tensor t, int[] y) {
        int k = t.dim(1);
        double[] d = t.data();
        for (int i = 0; i < y.length; i++) {
            for (int c = 0; c < k; c++) {
                if (d[i * k + c] != (c == y[i] ? 1.0 : 0.0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Dataset csv(String spec, String[] parts) {
        if (parts.length < 2 || parts[1].isBlank()) {
            throw new DriftlabException("data source '" + spec + "' needs a file, csv:FILE[:label=COL]; " + FORMS);
        }
        Options o = Options.parse(spec, parts, 2, Set.of("label"), Set.of("header", "noheader"));
        Boolean header = o.extra.containsKey("header") ? Boolean.TRUE
                : o.extra.containsKey("noheader") ? Boolean.FALSE : null;
        Dataset ds = CsvReader.read(Path.of(parts[1]), new CsvReader.Options(o.extra.get("label"), header));
        return o.finish(ds, false);
    }

    private static Dataset cifar(String spec, String[] parts) {
        if (parts.length < 3 || !(parts[2].equals("train") || parts[2].equals("test"))) {
            throw new DriftlabException("data source '" + spec + "' needs a directory and a split, e.g. "
                    + "cifar10:DIR:train:5000; " + FORMS);
        }
        List<Path> files = CifarReader.files(Path.of(parts[1]), parts[2].equals("train"));
        Options o = Options.parse(spec, parts, 3, Set.of(), Set.of());
        int[] rows = null;
        int limit = Integer.MAX_VALUE;
        if (o.n >= 0) {
            int total = 0;
            for (Path f : files) {
                total += CifarReader.records(f);
            }
            if (o.n > total) {
                throw new DriftlabException("requested " + o.n + " examples but " + parts[1] + " holds only " + total);
            }
            if (o.stratified) {
                rows = Transforms.stratifiedIndices(CifarReader.readLabels(files), CifarReader.CLASSES, o.n);
            } else {
                limit = o.n;
            }
        }
        return o.finish(CifarReader.read(files, rows, limit, spec), true);
    }

    private static Dataset synthetic(String spec, String[] parts) {
        if (parts.length < 2) {
            throw new DriftlabException("data source '" + spec + "' needs a generator: blobs, moons, teacher or linreg"
                    + "; " + FORMS);
        }
        String gen = parts[1].toLowerCase();
        Map<String, String> kv = new LinkedHashMap<>();
        if (parts.length > 2 && !parts[2].isBlank()) {
            for (String item : parts[2].split(",")) {
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    throw new DriftlabException("bad parameter '" + item + "' in '" + spec + "' (expected key=value)"
                            + "; " + FORMS);
                }
                kv.put(item.substring(0, eq).strip().toLowerCase(), item.substring(eq + 1).strip());
            }
        }
        Options o = Options.parse(spec, parts, 3, Set.of(), Set.of());
        Params p = new Params(spec, kv);
        Dataset ds = switch (gen) {
            case "blobs" -> {
                p.allow("n", "d", "k", "spread", "seed");
                yield Synthetic.blobs(p.i("n", 1000), p.i("d", 20), p.i("k", 4), p.d("spread", 1.0), p.l("seed", 0));
            }
            case "moons" -> {
                p.allow("n", "noise", "seed");
                yield Synthetic.moons(p.i("n", 1000), p.d("noise", 0.1), p.l("seed", 0));
            }
            case "teacher" -> {
                p.allow("n", "d", "k", "hidden", "seed");
                yield Synthetic.teacherStudent(p.i("n", 1000), p.i("d", 20), p.i("k", 10), p.i("hidden", 50),
                        p.l("seed", 0)).dataset();
            }
            case "linreg" -> {
                p.allow("n", "d", "noise", "seed", "orthogonal");
                yield Synthetic.linearRegression(p.i("n", 1000), p.i("d", 20), p.d("noise", 0.1), p.l("seed", 0),
                        Boolean.parseBoolean(kv.getOrDefault("orthogonal", "false"))).dataset();
            }
            default -> throw new DriftlabException("unknown synthetic generator '" + parts[1] + "' in '" + spec
                    + "'; " + FORMS);
        };
        return o.finish(ds, false);
    }

    /** key=value parameters of a synthetic generator. */
    private record Params(String spec, Map<String, String> kv) {
        void allow(String... keys) {
            List<String> allowed = List.of(keys);
            List<String> bad = new ArrayList<>();
            for (String k : kv.keySet()) {
                if (!allowed.contains(k)) {
                    bad.add(k);
                }
            }
            if (!bad.isEmpty()) {
                throw new DriftlabException("unknown parameter(s) " + bad + " in '" + spec + "'; this generator takes "
                        + allowed + "; " + FORMS);
            }
        }

        int i(String key, int dflt) {
            return kv.containsKey(key) ? parseInt(spec, key, kv.get(key)) : dflt;
        }

        long l(String key, long dflt) {
            return kv.containsKey(key) ? parseLong(spec, key, kv.get(key)) : dflt;
        }

        double d(String key, double dflt) {
            return kv.containsKey(key) ? parseDouble(spec, key, kv.get(key)) : dflt;
        }
    }

    private static int parseInt(String spec, String key, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new DriftlabException(key + " must be an integer in '" + spec + "', got '" + v + "'");
        }
    }

    private static long parseLong(String spec, String key, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new DriftlabException(key + " must be an integer in '" + spec + "', got '" + v + "'");
        }
    }

    private static double parseDouble(String spec, String key, String v) {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new DriftlabException(key + " must be a number in '" + spec + "', got '" + v + "'");
        }
    }
}
