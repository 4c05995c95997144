package org.driftlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;

/**
 * Data sets named by one string, as used on the command line. The forms are listed in {@link #FORMS}. A named
 * real data set is never replaced by anything else: Fashion-MNIST comes from the installed full set or the subset
 * embedded in the jar (see {@link FashionMnist}), and what cannot be served is an error.
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
    /** Default MNIST directory. */
    public static final String MNIST_DIR = "/usr/share/datasets/mnist";
    /** Environment variable overriding {@link #MNIST_DIR}. */
    public static final String MNIST_ENV = org.driftlab.Environment.MNIST_DIR;

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
            "options after the fields: N, stratified, standardize, label-noise=P (0 <= P < 1), random-labels, "
                    + "noise-seed=S; for idx, npz and csv also classes=K");

    private DataSources() {}

    /**
     * A data source that has been checked (syntax, files present, requested size available) but not loaded.
     *
     * @param load   reads the examples
     * @param origin where they come from when the spec does not say it (the installed or the embedded
     *               Fashion-MNIST), else null
     */
    private record Plan(Supplier<Dataset> load, String origin, Supplier<Shape> shape) {}

    /**
     * What a data source will hold, known before its examples are read: enough to build the model and to estimate
     * the memory of a run before anything is allocated or any directory is created.
     *
     * @param examples   N, after the size option
     * @param inputShape the shape of one example as loaded, e.g. {@code [784]}
     * @param outputs    K, the width of the targets (classes, or explicit target columns)
     */
    public record Shape(int examples, int[] inputShape, int outputs) {
        /** Copies the input shape. */
        public Shape {
            inputShape = inputShape.clone();
        }

        /** A copy of the input shape. */
        @Override
        public int[] inputShape() {
            return inputShape.clone();
        }

        /** Values per example (the product of the input shape). */
        public long inputSize() {
            return org.driftlab.Memory.product("input shape", java.util.Arrays.stream(inputShape).asLongStream()
                    .toArray());
        }

        /** The bytes the loaded set holds: inputs and targets as doubles (one-hot targets included). */
        public long bytes() {
            return org.driftlab.Memory.product("data size", examples, Math.addExact(inputSize(), outputs), 8);
        }
    }

    /**
     * Parses a data source spec and loads it. Errors are {@link DriftlabException}s in one line, listing the valid
     * forms when the spec is not understood. The data set is named by the spec and, for Fashion-MNIST, records
     * whether it came from the installed full set or the embedded subset ({@link Dataset#origin()}).
     *
     * @param spec one of the forms in {@link #FORMS}, e.g. {@code fashion-mnist:train:1000:standardize}
     * @return the examples, named by spec
     */
    public static Dataset parse(String spec) {
        try {
            Plan p = plan(spec);
            Dataset ds = p.load().get();
            requireExamples(spec, ds.size(), ds.inputShape());
            return ds.withName(spec.strip()).withOrigin(p.origin());
        } catch (IllegalArgumentException e) {
            throw new DriftlabException("bad data source '" + spec + "': " + e.getMessage() + "; " + FORMS, e);
        }
    }

    /**
     * Checks a data source spec without loading its examples: the syntax and every option's value, that a named set
     * or file exists, that the requested number of examples is available, the labels' class range (files whose
     * classes are inferred have their labels read), and that the set fits in the JVM's heap. Throws what
     * {@link #parse} would throw for these problems, so that a run can refuse bad data before it creates anything.
     * (A CSV file is parsed whole: its size is not known otherwise.)
     *
     * @param spec one of the forms in {@link #FORMS}
     * @return the size and shape the loaded set will have
     */
    public static Shape check(String spec) {
        try {
            Shape shape = plan(spec).shape().get();
            requireExamples(spec, shape.examples(), shape.inputShape());
            org.driftlab.Memory.require(shape.bytes(), "data source '" + spec.strip() + "' (" + shape.examples()
                    + " examples of " + shape.inputSize() + " values)");
            return shape;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DriftlabException("bad data source '" + spec + "': " + e.getMessage() + "; " + FORMS, e);
        }
    }

    /** A set to train or evaluate on has at least one example and at least one value per example. */
    private static void requireExamples(String spec, int examples, int[] inputShape) {
        if (examples == 0) {
            throw new DriftlabException("data source '" + spec.strip() + "' holds no examples; give a file with at least one");
        }
        if (java.util.Arrays.stream(inputShape).anyMatch(d -> d == 0)) {
            throw new DriftlabException("data source '" + spec.strip() + "' has examples of shape "
                    + java.util.Arrays.toString(inputShape) + ", without values; each example needs at least one");
        }
    }

    private static Plan plan(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new DriftlabException("empty data source; " + FORMS);
        }
        String[] parts = spec.strip().split(":", -1);
        String kind = parts[0].toLowerCase();
        return switch (kind) {
            case "fashion-mnist", "fashion_mnist", "fmnist" -> fashionMnist(spec, parts);
            case "mnist" -> mnist(spec, parts);
            case "idx" -> idx(spec, parts);
            case "npz" -> npz(spec, parts);
            case "csv" -> csv(spec, parts);
            case "cifar10", "cifar-10" -> cifar(spec, parts);
            case "synthetic" -> synthetic(spec, parts);
            default -> throw new DriftlabException("unknown data source kind '" + parts[0] + "' in '" + spec
                    + "'; " + FORMS);
        };
    }

    /** The directory from the system property (e.g. driftlab.mnist_dir), then the environment, then the default. */
    private static Path dir(String env, String dflt) {
        String v = System.getProperty(env.toLowerCase(java.util.Locale.ROOT).replace("driftlab_", "driftlab."));
        if (v != null && !v.isBlank()) {
            return Path.of(v);
        }
        Path set = org.driftlab.Environment.directory(env); // validated: a directory
        return set != null ? set : Path.of(dflt);
    }

    /** Options after the fixed fields of a spec. */
    private static final class Options {
        int n = -1;
        boolean stratified;
        boolean standardize;
        double labelNoise = Double.NaN; // NaN: no label noise
        int classes; // 0: inferred
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
                    o.n = parseCount(spec, "the size N", t);
                } else if (lower.equals("stratified")) {
                    o.stratified = true;
                } else if (lower.equals("standardize") || lower.equals("standardise")) {
                    o.standardize = true;
                } else if (lower.equals("first")) {
                    o.stratified = false;
                } else if (key.equals("label-noise") && val != null) {
                    o.labelNoise = parseDouble(spec, key, val);
                    Transforms.requireNoiseFraction(o.labelNoise, spec);
                } else if (lower.equals("random-labels")) {
                    o.randomLabels = true;
                } else if (key.equals("noise-seed") && val != null) {
                    o.noiseSeed = parseLong(spec, key, val);
                } else if (key.equals("classes") && val != null && extraKeys.contains(key)) {
                    o.classes = parseCount(spec, "classes", val);
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

        /** The shape after the size option, checked against the available count. */
        Shape shape(String what, int available, int[] inputShape, int outputs) {
            if (n > available) {
                throw new DriftlabException("requested " + n + " examples but " + what + " has only " + available);
            }
            return new Shape(n >= 0 ? n : available, inputShape, outputs);
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
            if (!Double.isNaN(labelNoise)) {
                out = Transforms.labelNoise(out, labelNoise, noiseSeed);
            }
            if (randomLabels) {
                out = Transforms.randomLabels(out, noiseSeed);
            }
            return out;
        }
    }

    /** Checks the split field of fashion-mnist/mnist specs; true for train. */
    private static boolean split(String spec, String[] parts) {
        if (parts.length < 2 || !(parts[1].equals("train") || parts[1].equals("test"))) {
            throw new DriftlabException("data source '" + spec + "' needs the split train or test, e.g. " + parts[0]
                    + ":train:5000; " + FORMS);
        }
        return parts[1].equals("train");
    }

    /**
     * The installed full set, or the embedded subset when the request is one it serves exactly as the full set
     * would: the first N, or a stratified N whose per-class quotas the subset holds.
     */
    private static Plan fashionMnist(String spec, String[] parts) {
        boolean train = split(spec, parts);
        Options o = Options.parse(spec, parts, 2, Set.of(), Set.of());
        FashionMnist.Split s = FashionMnist.split(train);
        if (s.embedded()) {
            int full = train ? FashionMnist.FULL_TRAIN : FashionMnist.FULL_TEST;
            if (o.n < 0) {
                throw FashionMnist.tooMany(spec, "all " + full + " " + (train ? "training" : "test") + " images", train);
            }
            if (o.n > s.available()) {
                throw FashionMnist.tooMany(spec, o.n + " images", train);
            }
            if (o.stratified) {
                // Every class holds a tenth of each full split, so there the quotas are n/10 (+1 for the first n%10).
                int[] counts = new int[FashionMnist.CLASSES];
                for (int y : IdxReader.readLabels(s.labels())) {
                    counts[y]++;
                }
                for (int c = 0; c < FashionMnist.CLASSES; c++) {
                    int quota = o.n / FashionMnist.CLASSES + (c < o.n % FashionMnist.CLASSES ? 1 : 0);
                    if (counts[c] < quota) {
                        throw FashionMnist.tooMany(spec, "a class-balanced " + o.n + " (" + quota + " of class " + c
                                + ", of which the subset holds " + counts[c] + ")", train);
                    }
                }
            }
        }
        return new Plan(() -> loadIdx(s.images(), s.labels(), o, FashionMnist.CLASSES, spec), s.origin(),
                () -> o.shape(spec, s.available(), new int[] {784}, FashionMnist.CLASSES));
    }

    private static Plan mnist(String spec, String[] parts) {
        boolean train = split(spec, parts);
        Path dir = dir(MNIST_ENV, MNIST_DIR);
        Path images = FashionMnist.find(dir, FashionMnist.FILES[train ? 0 : 2]);
        Path labels = FashionMnist.find(dir, FashionMnist.FILES[train ? 1 : 3]);
        if (images == null || labels == null) {
            throw new DriftlabException("MNIST not found: " + dir.resolve(FashionMnist.FILES[train ? 0 : 2] + ".gz")
                    + " is missing and MNIST is not embedded in driftlab; set " + MNIST_ENV
                    + " to a directory holding the MNIST IDX files");
        }
        return idxPlan(spec, IdxReader.Source.of(images), IdxReader.Source.of(labels),
                Options.parse(spec, parts, 2, Set.of(), Set.of()), 10, "MNIST installed in " + dir);
    }

    /** Files on disk: the requested size is checked against the image file's header before anything is read. */
    private static Plan idxPlan(String spec, IdxReader.Source images, IdxReader.Source labels, Options o,
                                int numClasses, String origin) {
        int[] dims = IdxReader.imageDims(images);
        if (o.n > dims[0]) {
            throw new DriftlabException("requested " + o.n + " examples but " + images + " holds only " + dims[0]);
        }
        return new Plan(() -> loadIdx(images, labels, o, numClasses, spec), origin, () -> {
            int k = Labels.classes(IdxReader.readLabels(labels), numClasses, labels.toString());
            return o.shape(images.toString(), dims[0], new int[] {Math.multiplyExact(dims[1], dims[2])}, k);
        });
    }

    private static Dataset loadIdx(IdxReader.Source images, IdxReader.Source labels, Options o, int numClasses,
                                   String spec) {
        int[] rows = null;
        int limit = Integer.MAX_VALUE;
        if (o.n >= 0) {
            if (o.stratified) {
                int[] y = IdxReader.readLabels(labels);
                int k = Labels.classes(y, numClasses, labels.toString());
                rows = Transforms.stratifiedIndices(y, k, o.n);
            } else {
                limit = o.n;
            }
        }
        Dataset ds = IdxReader.read(images, labels, rows, limit, numClasses, spec);
        return o.finish(ds, true);
    }

    private static Plan idx(String spec, String[] parts) {
        String[] files = parts.length > 1 ? parts[1].split(",") : new String[0];
        if (files.length != 2) {
            throw new DriftlabException("data source '" + spec + "' needs two files, idx:IMAGES,LABELS; " + FORMS);
        }
        Options o = Options.parse(spec, parts, 2, Set.of("classes"), Set.of());
        Path images = requireFile(spec, Path.of(files[0]));
        Path labels = requireFile(spec, Path.of(files[1]));
        return idxPlan(spec, IdxReader.Source.of(images), IdxReader.Source.of(labels), o, o.classes, null);
    }

    /** The file, or the reader's "cannot read F: no such file" error before anything is loaded. */
    private static Path requireFile(String spec, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DriftlabException("cannot read " + file + ": " + (Files.isDirectory(file) ? "a directory"
                    : "no such file") + " (data source '" + spec + "')");
        }
        return file;
    }

    private static Plan npz(String spec, String[] parts) {
        if (parts.length < 2 || parts[1].isBlank()) {
            throw new DriftlabException("data source '" + spec + "' needs a file, npz:FILE[:N]; " + FORMS);
        }
        Options o = Options.parse(spec, parts, 2, Set.of("classes"), Set.of());
        Path file = requireFile(spec, Path.of(parts[1]));
        return new Plan(() -> o.finish(readNpzDataset(file, spec, o.classes), false), null, () -> npzShape(file, o));
    }

    /** The shape of an .npz data set from its members' headers (and its labels, when K is inferred from them). */
    private static Shape npzShape(Path file, Options o) {
        Map<String, Npy.Header> h = Npy.readNpzHeaders(file);
        Npy.Header x = h.get("X");
        if (x == null || x.shape().length < 1) {
            throw new DataFormatException(file + ": no array 'X' [N, d] (found " + h.keySet() + ")");
        }
        int[] xs = x.shape();
        int n = xs[0];
        long features = org.driftlab.Memory.product(file + ": X", java.util.Arrays.stream(xs).skip(1).asLongStream()
                .toArray());
        Npy.Header t = h.get("Y");
        int k;
        if (t != null) {
            if (t.shape().length != 2 || t.shape()[0] != n) {
                throw new DataFormatException(file + ": wrong dimensions: Y must be [" + n + ", K], found "
                        + java.util.Arrays.toString(t.shape()));
            }
            k = t.shape()[1];
        } else if (h.containsKey("y")) {
            k = Labels.classes(npzLabels(file, Npy.readNpzMember(file, "y"), n), o.classes, file + ": y");
        } else {
            throw new DataFormatException(file + ": needs labels 'y' or targets 'Y' (found " + h.keySet() + ")");
        }
        return o.shape(file.toString(), n, new int[] {org.driftlab.Memory.arrayLength(features, file + ": X")}, k);
    }

    private static int[] npzLabels(Path file, NpyArray yArr, int n) {
        if (yArr.size() != n) {
            throw new DataFormatException(file + ": mismatched counts: X has " + n + " rows but y has "
                    + yArr.size() + " labels");
        }
        try {
            return yArr.toIntArray();
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file + ": y must hold integer labels: " + e.getMessage());
        }
    }

    /**
     * Reads a data set saved as .npz with arrays {@code X} [N, ...] (flattened to [N, d]), {@code y} [N] integer
     * labels and optional {@code Y} [N, K] targets, the layout of the torch peer's {@code --save-data} and of
     * {@link Npy#writeDataset}. numClasses is K when Y is present, else max(y)+1 with every class present (see
     * {@link #readNpzDataset(Path, String, int)} to declare it). Targets equal to one-hot(y) are treated as implied
     * rather than explicit.
     *
     * @param file the archive
     * @param name the data set's name
     * @return the examples
     */
    public static Dataset readNpzDataset(Path file, String name) {
        return readNpzDataset(file, name, 0);
    }

    /**
     * {@link #readNpzDataset(Path, String)} with the number of classes declared (0 infers it).
     *
     * @param file    the archive
     * @param name    the data set's name
     * @param classes K, which every label must lie below, or 0 to infer it from y (every class present)
     * @return the examples
     */
    public static Dataset readNpzDataset(Path file, String name, int classes) {
        Map<String, NpyArray> m = Npy.readNpz(file);
        NpyArray x = m.get("X");
        if (x == null || x.shape().length < 1) {
            throw new DataFormatException(file + ": no array 'X' [N, d] (found " + m.keySet() + ")");
        }
        int n = x.shape()[0];
        Tensor inputs = x.toTensor().reshape(n, n == 0 ? 0 : x.size() / n);
        NpyArray yArr = m.get("y");
        NpyArray tArr = m.get("Y");
        int[] y = yArr == null ? null : npzLabels(file, yArr, n);
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
        int k = targets != null ? targets.dim(1) : Labels.classes(y, classes, file + ": y");
        if (y != null) {
            if (targets != null) {
                Labels.classes(y, k, file + ": y");
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

    private static Plan csv(String spec, String[] parts) {
        if (parts.length < 2 || parts[1].isBlank()) {
            throw new DriftlabException("data source '" + spec + "' needs a file, csv:FILE[:label=COL]; " + FORMS);
        }
        Options o = Options.parse(spec, parts, 2, Set.of("label", "classes"), Set.of("header", "noheader"));
        Boolean header = o.extra.containsKey("header") ? Boolean.TRUE
                : o.extra.containsKey("noheader") ? Boolean.FALSE : null;
        Path file = requireFile(spec, Path.of(parts[1]));
        CsvReader.Options options = new CsvReader.Options(o.extra.get("label"), header, o.classes);
        return new Plan(() -> o.finish(CsvReader.read(file, options), false), null, () -> {
            Dataset ds = CsvReader.read(file, options);
            return o.shape(file.toString(), ds.size(), ds.inputShape(), ds.outputSize());
        });
    }

    private static Plan cifar(String spec, String[] parts) {
        if (parts.length < 3 || !(parts[2].equals("train") || parts[2].equals("test"))) {
            throw new DriftlabException("data source '" + spec + "' needs a directory and a split, e.g. "
                    + "cifar10:DIR:train:5000; " + FORMS);
        }
        List<Path> files = CifarReader.files(Path.of(parts[1]), parts[2].equals("train"));
        Options o = Options.parse(spec, parts, 3, Set.of(), Set.of());
        int total = 0;
        for (Path f : files) {
            total = Math.addExact(total, CifarReader.records(f));
        }
        Shape shape = o.shape(parts[1], total, new int[] {CifarReader.PIXELS}, CifarReader.CLASSES);
        return new Plan(() -> {
            int[] rows = null;
            int limit = Integer.MAX_VALUE;
            if (o.n >= 0 && o.stratified) {
                rows = Transforms.stratifiedIndices(CifarReader.readLabels(files), CifarReader.CLASSES, o.n);
            } else if (o.n >= 0) {
                limit = o.n;
            }
            return o.finish(CifarReader.read(files, rows, limit, spec), true);
        }, null, () -> shape);
    }

    private static Plan synthetic(String spec, String[] parts) {
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
                String key = item.substring(0, eq).strip().toLowerCase();
                if (kv.put(key, item.substring(eq + 1).strip()) != null) {
                    throw new DriftlabException("parameter " + key + " is given twice in '" + spec + "'");
                }
            }
        }
        Options o = Options.parse(spec, parts, 3, Set.of(), Set.of());
        Params p = new Params(spec, kv);
        Supplier<Dataset> generate;
        Shape shape;
        switch (gen) {
            case "blobs" -> {
                p.allow("n", "d", "k", "spread", "seed");
                int n = p.count("n", 1000), d = p.count("d", 20), k = p.count("k", 4);
                double spread = p.nonNegative("spread", 1.0);
                long seed = p.l("seed", 0);
                p.arrays(new long[] {n, d}, new long[] {k, d});
                generate = () -> Synthetic.blobs(n, d, k, spread, seed);
                shape = new Shape(n, new int[] {d}, k);
            }
            case "moons" -> {
                p.allow("n", "noise", "seed");
                int n = p.count("n", 1000);
                double noise = p.nonNegative("noise", 0.1);
                long seed = p.l("seed", 0);
                p.arrays(new long[] {n, 2});
                generate = () -> Synthetic.moons(n, noise, seed);
                shape = new Shape(n, new int[] {2}, 2);
            }
            case "teacher" -> {
                p.allow("n", "d", "k", "hidden", "seed");
                int n = p.count("n", 1000), d = p.count("d", 20), k = p.count("k", 10), hidden = p.count("hidden", 50);
                long seed = p.l("seed", 0);
                p.arrays(new long[] {n, d}, new long[] {n, k}, new long[] {hidden, d}, new long[] {k, hidden});
                generate = () -> Synthetic.teacherStudent(n, d, k, hidden, seed).dataset();
                shape = new Shape(n, new int[] {d}, k);
            }
            case "linreg" -> {
                p.allow("n", "d", "noise", "seed", "orthogonal");
                int n = p.count("n", 1000), d = p.count("d", 20);
                double noise = p.nonNegative("noise", 0.1);
                long seed = p.l("seed", 0);
                boolean orthogonal = p.bool("orthogonal", false);
                if (orthogonal && n < d) {
                    throw new DriftlabException("an orthogonal design needs n >= d in '" + spec + "', got n=" + n
                            + ", d=" + d);
                }
                p.arrays(new long[] {n, d});
                generate = () -> Synthetic.linearRegression(n, d, noise, seed, orthogonal).dataset();
                shape = new Shape(n, new int[] {d}, 1);
            }
            default -> throw new DriftlabException("unknown synthetic generator '" + parts[1] + "' in '" + spec
                    + "'; " + FORMS);
        }
        Shape sized = o.shape(spec, shape.examples(), shape.inputShape(), shape.outputs());
        return new Plan(() -> o.finish(generate.get(), false), null, () -> sized);
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

        /** A size: a whole number from 1. */
        int count(String key, int dflt) {
            return kv.containsKey(key) ? parseCount(spec, key, kv.get(key)) : dflt;
        }

        /** A finite number >= 0 (a spread or a noise level). */
        double nonNegative(String key, double dflt) {
            double v = kv.containsKey(key) ? parseDouble(spec, key, kv.get(key)) : dflt;
            if (!(v >= 0 && Double.isFinite(v))) {
                throw new DriftlabException(key + " must be a finite number >= 0 in '" + spec + "', got '"
                        + kv.get(key) + "'");
            }
            return v;
        }

        boolean bool(String key, boolean dflt) {
            String v = kv.get(key);
            if (v == null) {
                return dflt;
            }
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new DriftlabException(key + " must be true or false in '" + spec + "', got '" + v + "'");
        }

        /** Each shape's element count fits one array (exact arithmetic: n × d near 2^31 is refused, not wrapped). */
        void arrays(long[]... shapes) {
            for (long[] shape : shapes) {
                org.driftlab.Memory.arrayLength(org.driftlab.Memory.product("'" + spec + "'", shape), "'" + spec
                        + "' (an array of " + java.util.Arrays.toString(shape) + ")");
            }
        }

        long l(String key, long dflt) {
            return kv.containsKey(key) ? parseLong(spec, key, kv.get(key)) : dflt;
        }

        double d(String key, double dflt) {
            return kv.containsKey(key) ? parseDouble(spec, key, kv.get(key)) : dflt;
        }
    }

    /** A whole number from 1 to Integer.MAX_VALUE (sizes, class counts). */
    private static int parseCount(String spec, String key, String v) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw new DriftlabException(key + " must be a whole number from 1 to " + Integer.MAX_VALUE + " in '" + spec
                + "', got '" + v + "'");
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
