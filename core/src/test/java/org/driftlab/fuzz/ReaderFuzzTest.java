package org.driftlab.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.driftlab.data.Npy;
import org.driftlab.data.NpyArray;

/**
 * Malformed inputs for every reader (IDX, CIFAR-10, CSV, .npy, .npz), generated from valid files by mutations (cut,
 * flipped or overwritten bytes, header fields set to awkward values, bytes appended, labels out of range) and fed to
 * {@code driftlab eval}: each must be read (when still valid) or refused in one line with exit 2, never an internal
 * error, and leave nothing on disk ({@link Fuzz}).
 */
class ReaderFuzzTest {
    /** One change to a file's bytes. */
    record Mutation(int kind, int position, int value) {
        byte[] apply(byte[] b) {
            if (b.length == 0) {
                return kind == 3 ? new byte[] {(byte) value} : b;
            }
            int at = Math.floorMod(position, b.length);
            return switch (kind) {
                case 0 -> b; // none
                case 1 -> Arrays.copyOf(b, at); // cut
                case 2 -> { // flip one bit
                    byte[] c = b.clone();
                    c[at] ^= (byte) (1 << Math.floorMod(value, 8));
                    yield c;
                }
                case 3 -> { // append bytes
                    byte[] c = Arrays.copyOf(b, b.length + 1 + Math.floorMod(value, 7));
                    Arrays.fill(c, b.length, c.length, (byte) value);
                    yield c;
                }
                case 4 -> { // overwrite one of the first 16 bytes' ints (an IDX header field) with an awkward value
                    byte[] c = b.clone();
                    int field = Math.floorMod(position, 4) * 4;
                    if (field + 4 <= c.length) {
                        ByteBuffer.wrap(c).putInt(field, AWKWARD[Math.floorMod(value, AWKWARD.length)]);
                    }
                    yield c;
                }
                default -> { // overwrite a byte
                    byte[] c = b.clone();
                    c[at] = (byte) value;
                    yield c;
                }
            };
        }
    }

    static final int[] AWKWARD = {0, 1, -1, 3, 0x801, 0x803, 0x0C03, 0x0803_0000, Integer.MAX_VALUE, Integer.MIN_VALUE,
        60000, 1 << 30};

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(-128, 255)).as(Mutation::new);
    }

    static byte[] idx(int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(payload).array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(o)) {
                g.write(raw);
            }
            return o.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String EVAL_MODEL = "fc-tanh:3";

    @Property(tries = 60)
    void idxFiles(@ForAll("mutations") Mutation onImages, @ForAll("mutations") Mutation onLabels,
                  @ForAll boolean gzImages, @ForAll boolean gzLabels,
                  @ForAll("idxOptions") String options) throws Exception {
        Fuzz.inScratch(dir -> {
            int n = 6;
            byte[] pixels = new byte[n * 2 * 3];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (byte) (i * 37);
            }
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 3);
            }
            byte[] img = onImages.apply(idx(new int[] {n, 2, 3}, pixels));
            byte[] lab = onLabels.apply(idx(new int[] {n}, labels));
            Path i = Files.write(dir.resolve("img"), gzImages ? gzip(img) : img);
            Path l = Files.write(dir.resolve("lab"), gzLabels ? gzip(lab) : lab);
            String[] args = {"eval", "--model", EVAL_MODEL, "--data", "idx:" + i + "," + l + options, "--loss", "mse"};
            Fuzz.expect(onImages.kind() == 0 && onLabels.kind() == 0 && options.isEmpty(), dir, args);
        });
    }

    @Provide
    Arbitrary<String> idxOptions() {
        return Arbitraries.of("", ":4", ":0", ":7", ":stratified", ":3:stratified", ":classes=3", ":classes=2",
                ":classes=0", ":standardize", ":label-noise=0.5", ":label-noise=-1", ":random-labels", ":bogus",
                ":99999999999", ":classes=2147483647");
    }

    @Property(tries = 40)
    void cifarBatches(@ForAll("mutations") Mutation m, @ForAll("cifarRecords") int records,
                      @ForAll("cifarOptions") String options) throws Exception {
        Fuzz.inScratch(dir -> {
            byte[] b = new byte[records * 3073];
            for (int r = 0; r < records; r++) {
                b[r * 3073] = (byte) (r % 10);
                for (int j = 1; j < 3073; j++) {
                    b[r * 3073 + j] = (byte) (r + j);
                }
            }
            Files.write(dir.resolve("test_batch.bin"), m.apply(b));
            String[] args = {"eval", "--model", EVAL_MODEL, "--data", "cifar10:" + dir + ":test" + options};
            Fuzz.expect(m.kind() == 0 && records > 0 && options.isEmpty(), dir, args);
        });
    }

    @Provide
    Arbitrary<Integer> cifarRecords() {
        return Arbitraries.integers().between(0, 4);
    }

    @Provide
    Arbitrary<String> cifarOptions() {
        return Arbitraries.of("", ":2", ":0", ":9", ":2:stratified", ":classes=10", ":standardize");
    }

    @Provide
    Arbitrary<String> cells() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "1", "2", "0.5", "-3.25", "1e3", "7"),
                Arbitraries.of("", " ", "nan", "NaN", "inf", "-inf", "1e999", "-0", "2147483648", "0x10", "1,5",
                        "\"1\"", "\"a,b\"", "\"unclosed", "x\"y", "abc", "é", "\u0000", "\u001b[2J", "\t3", "#c",
                        "\"two\nlines\""));
    }

    @Property(tries = 80)
    void csvFiles(@ForAll("csvRows") List<List<String>> rows, @ForAll boolean header, @ForAll boolean bom,
                  @ForAll("lineEnds") String eol, @ForAll("csvOptions") String options) throws Exception {
        Fuzz.inScratch(dir -> {
            StringBuilder text = new StringBuilder(bom ? "\uFEFF" : "");
            if (header) {
                text.append("a,b,y").append(eol);
            }
            for (List<String> row : rows) {
                text.append(String.join(",", row)).append(eol);
            }
            Path f = Files.writeString(dir.resolve("t.csv"), text, StandardCharsets.UTF_8);
            Fuzz.refusedCleanlyOrRun(dir, "eval", "--model", EVAL_MODEL, "--data", "csv:" + f + options, "--loss",
                    "mse");
        });
    }

    @Provide
    Arbitrary<List<List<String>>> csvRows() {
        return cells().list().ofMinSize(0).ofMaxSize(4).list().ofMinSize(0).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> lineEnds() {
        return Arbitraries.of("\n", "\r\n", "\r");
    }

    @Provide
    Arbitrary<String> csvOptions() {
        return Arbitraries.of("", ":label=y", ":label=0", ":label=-1", ":label=9", ":label=none", ":header",
                ":noheader", ":classes=3", ":classes=8", ":2", ":label=");
    }

    /** θ files for {@code --params}: a valid .npy of D = 27 values, its header fields replaced and its bytes mutated. */
    @Property(tries = 80)
    void npyFiles(@ForAll("descrs") String descr, @ForAll("shapes") String shape, @ForAll boolean fortran,
                  @ForAll("versions") int version, @ForAll("mutations") Mutation m) throws Exception {
        Fuzz.inScratch(dir -> {
            byte[] valid = Npy.toBytes(NpyArray.of(new double[27]));
            String head = new String(valid, 0, 128, StandardCharsets.ISO_8859_1);
            String newHead = head.replace("'<f8'", descr).replace("(27,)", shape)
                    .replace("False", fortran ? "True" : "False");
            byte[] b = valid.clone();
            byte[] nh = newHead.getBytes(StandardCharsets.ISO_8859_1);
            if (nh.length == 128) {
                System.arraycopy(nh, 0, b, 0, 128);
            } else {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.write(nh);
                o.write(valid, 128, valid.length - 128);
                b = o.toByteArray();
            }
            b[6] = (byte) version;
            Path f = Files.write(dir.resolve("theta.npy"), m.apply(b));
            String[] args = {"eval", "--model", EVAL_MODEL, "--data", "synthetic:blobs:n=12,d=4,k=3,seed=1",
                "--params", f.toString()};
            boolean untouched = descr.equals("'<f8'") && shape.equals("(27,)") && !fortran && version == 1
                    && m.kind() == 0;
            Fuzz.expect(untouched, dir, args);
        });
    }

    @Provide
    Arbitrary<String> descrs() {
        return Arbitraries.of("'<f8'", "'<f4'", "'>f8'", "'|u1'", "'<i8'", "'<c16'", "'|b1'", "''", "'<f8' 'x'",
                "'\u001b[31m'", "'<U3'", "[('a', '<f8')]", "'\u202e8f<'", "'<f16'");
    }

    @Provide
    Arbitrary<String> shapes() {
        return Arbitraries.of("(27,)", "(3, 9)", "()", "(-1,)", "(2147483647,)", "(99999999999,)", "(a,)", "(27,",
                "(26,)", "(28,)", "(0,)", "(27L,)", "(3, 3, 3)");
    }

    @Provide
    Arbitrary<Integer> versions() {
        return Arbitraries.of(1, 1, 2, 3, 0, 9);
    }

    /** Data sets as .npz: X, y and Y of mismatched shapes, labels out of range or not integers, mutated archives. */
    @Property(tries = 60)
    void npzFiles(@ForAll("npzShapes") int[] xShape, @ForAll("labelValues") List<Double> labels,
                  @ForAll("npzTargets") int targets, @ForAll("mutations") Mutation m,
                  @ForAll("npzOptions") String options) throws Exception {
        Fuzz.inScratch(dir -> {
            Map<String, NpyArray> arrays = new LinkedHashMap<>();
            long size = 1;
            for (int s : xShape) {
                size *= s;
            }
            double[] x = new double[(int) size];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.sin(i);
            }
            arrays.put("X", new NpyArray(xShape, x, "<f8"));
            if (!labels.isEmpty()) {
                arrays.put("y", new NpyArray(new int[] {labels.size()},
                        labels.stream().mapToDouble(Double::doubleValue).toArray(), "<f8"));
            }
            if (targets > 0) {
                int n = xShape.length > 0 ? xShape[0] : 1;
                arrays.put("Y", new NpyArray(new int[] {n, targets}, new double[n * targets], "<f8"));
            }
            Path f = dir.resolve("d.npz");
            Npy.writeNpz(f, arrays);
            Files.write(f, m.apply(Files.readAllBytes(f)));
            Fuzz.refusedCleanlyOrRun(dir, "eval", "--model", EVAL_MODEL, "--data", "npz:" + f + options, "--loss",
                    "mse");
        });
    }

    @Provide
    Arbitrary<int[]> npzShapes() {
        return Arbitraries.of(new int[] {5, 4}, new int[] {5, 2, 2}, new int[] {5}, new int[] {0, 4}, new int[] {4, 4},
                new int[] {5, 0}, new int[] {});
    }

    @Provide
    Arbitrary<List<Double>> labelValues() {
        return Arbitraries.oneOf(
                Arbitraries.of(0.0, 1.0, 2.0).list().ofSize(5),
                Arbitraries.of(0.0, 1.0, 2.0, -1.0, 1.5, 999999999.0, 3e9, Double.NaN, 200.0).list().ofMinSize(0)
                        .ofMaxSize(6));
    }

    @Provide
    Arbitrary<Integer> npzTargets() {
        return Arbitraries.of(0, 0, 3, 1);
    }

    @Provide
    Arbitrary<String> npzOptions() {
        return Arbitraries.of("", ":3", ":0", ":9", ":classes=3", ":classes=5", ":classes=1", ":stratified",
                ":3:stratified");
    }
}
