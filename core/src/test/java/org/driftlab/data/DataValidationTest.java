package org.driftlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data failures of issue 17, each reproduced before it was fixed: labels outside the class range in every reader,
 * a label near 10^9 in an .npz, a negative label-noise fraction, counts near 2^31 and sets larger than the heap. Each
 * is refused by {@link DataSources#check} (before a run creates anything) and by {@link DataSources#parse}, in one
 * line naming the input, the value and what was expected.
 */
class DataValidationTest {
    @TempDir
    Path dir;

    private static String refused(String source, String... parts) {
        String check = assertThrows(DriftlabException.class, () -> DataSources.check(source), source).getMessage();
        String parse = assertThrows(DriftlabException.class, () -> DataSources.parse(source), source).getMessage();
        for (String m : new String[] {check, parse}) {
            assertFalse(m.contains("\n"), m);
            for (String p : parts) {
                assertTrue(m.contains(p), () -> "'" + m + "' lacks '" + p + "'");
            }
        }
        return check;
    }

    private Path idx(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Before: labels 0..2 and one 200 built a 201-class output layer without a word (CIFAR refused the same). */
    @Test
    void idxLabelsOutsideTheClassRangeAreRefusedUnlessTheClassesAreDeclared() throws IOException {
        byte[] y = ReadersTest.labelBytes(20, 3);
        y[3] = (byte) 200;
        Path images = idx("img", ReadersTest.idx(new int[] {20, 2, 2}, ReadersTest.pixels(20, 2, 2)));
        Path labels = idx("lab", ReadersTest.idx(new int[] {20}, y));
        String source = "idx:" + images + "," + labels;
        refused(source, labels.toString(), "labels skip from 2 to 200 (example 3)", "classes 3..199 would have no "
                + "examples", "classes=K (here at least 201)");
        // declared: the gap is meant, and then a label beyond K is out of range
        assertEquals(201, DataSources.parse(source + ":classes=201").numClasses());
        assertEquals(201, DataSources.check(source + ":classes=201").outputs());
        refused(source + ":classes=10", "label out of range: example 3 has label 200, expected 0..9 (10 classes)");
        refused(source + ":classes=0", "classes must be a whole number from 1");
        // labels that start at 1 (1-based class ids) leave class 0 empty
        Path oneBased = idx("lab1", ReadersTest.idx(new int[] {20}, plusOne(ReadersTest.labelBytes(20, 3))));
        refused("idx:" + images + "," + oneBased, "the smallest label is 1 (example 0), so class 0 would have no examples");
    }

    private static byte[] plusOne(byte[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i]++;
        }
        return y;
    }

    /** Before: a label of 999999999 in y ended, after 18 s, in an index crash with a stack trace. */
    @Test
    void anNpzLabelNearOneBillionIsRefusedBeforeAnythingIsAllocated() {
        Path npz = dir.resolve("big.npz");
        int[] y = new int[64];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
        }
        y[5] = 999_999_999;
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("X", new NpyArray(new int[] {64, 4}, new double[256], "<f8"));
        m.put("y", NpyArray.ofInt64(y));
        Npy.writeNpz(npz, m);
        long start = System.nanoTime();
        refused("npz:" + npz, npz + ": y: labels skip from 2 to 999999999 (example 5)", "at least 1000000000");
        assertTrue(System.nanoTime() - start < 5e9, "refused at once");
        // declared classes: out of range
        refused("npz:" + npz + ":classes=3", "y: label out of range: example 5 has label 999999999, expected 0..2");
        y[5] = -1;
        m.put("y", NpyArray.ofInt64(y));
        Npy.writeNpz(npz, m);
        refused("npz:" + npz, "example 5 has label -1, expected a class id 0, 1, 2, ...");
    }

    @Test
    void csvLabelsFollowTheSameRule() throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "a,y\n0.5,0\n1.5,1\n2.5,7\n");
        refused("csv:" + csv, "labels skip from 1 to 7 (example 2)");
        DataSources.Shape s = DataSources.check("csv:" + csv + ":classes=8");
        assertEquals(3, s.examples());
        assertEquals(8, s.outputs());
    }

    /** Before: label-noise=-0.5 was taken as "no noise" and the run went ahead. */
    @Test
    void labelNoiseIsAFractionInZeroOne() {
        String blobs = "synthetic:blobs:n=40,d=3,k=4,seed=1";
        for (String p : new String[] {"-0.5", "1", "1.5", "NaN", "-0"}) {
            if (p.equals("-0")) {
                assertEquals(40, DataSources.parse(blobs + ":label-noise=" + p).size()); // -0.0 >= 0: no noise
                continue;
            }
            refused(blobs + ":label-noise=" + p, "label-noise must be a fraction in [0, 1)", "got");
        }
        refused(blobs + ":label-noise=abc", "label-noise must be a number", "'abc'");
        assertEquals(40, DataSources.parse(blobs + ":label-noise=0.99").size());
    }

    /** Before: n=2147483000 with d=4 overflowed into a NegativeArraySizeException with a stack trace. */
    @Test
    void countsNearTwoToThe31AreRefusedWithExactArithmetic() {
        refused("synthetic:blobs:n=2147483000,d=4,k=3", "[2147483000, 4]", "more than one array holds");
        refused("synthetic:teacher:n=100000,d=100000", "[100000, 100000]", "more than one array holds");
        refused("synthetic:blobs:n=99999999999", "n must be a whole number from 1 to 2147483647", "'99999999999'");
        refused("synthetic:blobs:n=0", "n must be a whole number from 1");
        refused("synthetic:blobs:n=10:0", "the size N must be a whole number from 1");
        refused("synthetic:blobs:n=10,n=20", "parameter n is given twice");
        refused("synthetic:blobs:spread=-1", "spread must be a finite number >= 0");
        refused("synthetic:linreg:orthogonal=yes", "orthogonal must be true or false");
        refused("synthetic:linreg:n=3,d=5,orthogonal=true", "an orthogonal design needs n >= d");
    }

    @Test
    void aSetLargerThanTheHeapIsRefusedByCheckWithBothNumbersAndTheOption() {
        // 1.8e9 values fit one array but not a test JVM's heap (14 GB of doubles)
        String m = assertThrows(DriftlabException.class,
                () -> DataSources.check("synthetic:blobs:n=60000000,d=30,k=2")).getMessage();
        assertTrue(m.contains("needs about 14.3 GiB but the JVM's maximum heap is"), m);
        assertTrue(m.contains("DRIFTLAB_JAVA_OPTS=-Xmx19g"), m);
    }

    @Test
    void checkReportsTheShapeWithoutLoading() throws IOException {
        DataSources.Shape s = DataSources.check("synthetic:blobs:n=50,d=7,k=3:20");
        assertEquals(20, s.examples());
        assertArrayEquals(new int[] {7}, s.inputShape());
        assertEquals(3, s.outputs());
        assertEquals(20L * (7 + 3) * 8, s.bytes());
        Path images = idx("i", ReadersTest.idx(new int[] {12, 3, 2}, ReadersTest.pixels(12, 3, 2)));
        Path labels = idx("l", ReadersTest.idx(new int[] {12}, ReadersTest.labelBytes(12, 4)));
        DataSources.Shape i = DataSources.check("idx:" + images + "," + labels);
        assertEquals(12, i.examples());
        assertArrayEquals(new int[] {6}, i.inputShape());
        assertEquals(4, i.outputs());
        Path npz = dir.resolve("t.npz");
        Npy.writeDataset(npz, Synthetic.teacherStudent(10, 3, 2, 4, 1).dataset());
        DataSources.Shape n = DataSources.check("npz:" + npz + ":4");
        assertEquals(4, n.examples());
        assertEquals(2, n.outputs());
        refused("npz:" + npz + ":11", "requested 11 examples but", "has only 10");
    }
}
