package org.driftlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-string data source names, on generated files, and on Fashion-MNIST when it is installed. */
class DataSourcesTest {
    @TempDir
    Path dir;

    @Test
    void idxSourceWithOptions() throws IOException {
        Path images = dir.resolve("img.gz");
        Path labels = dir.resolve("lab");
        Files.write(images, ReadersTest.gzip(ReadersTest.idx(new int[] {12, 2, 2}, ReadersTest.pixels(12, 2, 2))));
        Files.write(labels, ReadersTest.idx(new int[] {12}, ReadersTest.labelBytes(12, 3)));
        Dataset all = DataSources.parse("idx:" + images + "," + labels);
        assertEquals(12, all.size());
        assertEquals(3, all.numClasses());
        assertArrayEquals(new int[] {4}, all.inputShape());
        Dataset first = DataSources.parse("idx:" + images + "," + labels + ":5");
        assertEquals(5, first.size());
        assertEquals("idx:" + images + "," + labels + ":5", first.name());
        Dataset strat = DataSources.parse("idx:" + images + "," + labels + ":6:stratified");
        assertArrayEquals(new int[] {2, 2, 2}, strat.classCounts());
        Dataset std = DataSources.parse("idx:" + images + "," + labels + ":6:standardize");
        double[] x = std.inputs().data();
        double mean = 0;
        for (int i = 0; i < 6; i++) {
            mean += x[i * 4];
        }
        assertEquals(0.0, mean / 6, 1e-12);
    }

    @Test
    void npzCsvAndCifarSources() throws IOException {
        Path npz = dir.resolve("d.npz");
        Dataset teacher = Synthetic.teacherStudent(10, 3, 2, 4, 1).dataset();
        Npy.writeDataset(npz, teacher);
        Dataset back = DataSources.parse("npz:" + npz + ":4");
        assertEquals(4, back.size());
        assertTrue(back.hasExplicitTargets());
        assertEquals(teacher.first(4).checksum(), back.checksum());

        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "y,a,b\n1,0.5,2\n0,1.5,3\n1,2.5,4\n", StandardCharsets.UTF_8);
        Dataset c = DataSources.parse("csv:" + csv + ":label=y");
        assertArrayEquals(new int[] {1, 0, 1}, c.labels());
        assertArrayEquals(new double[] {0.5, 2, 1.5, 3, 2.5, 4}, c.inputs().data(), 0.0);
        assertEquals(2, DataSources.parse("csv:" + csv + ":label=0:2").size());

        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), ReadersTest.cifarRecords(10, i));
        }
        Files.write(dir.resolve("test_batch.bin"), ReadersTest.cifarRecords(10, 0));
        Dataset train = DataSources.parse("cifar10:" + dir + ":train:25");
        assertEquals(25, train.size());
        assertArrayEquals(new int[] {3072}, train.inputShape());
        Dataset strat = DataSources.parse("cifar10:" + dir + ":train:20:stratified");
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, strat.classCounts());
        assertEquals(10, DataSources.parse("cifar10:" + dir + ":test").size());
    }

    @Test
    void syntheticSources() {
        Dataset b = DataSources.parse("synthetic:blobs:n=100,d=5,k=4,seed=1");
        assertEquals(100, b.size());
        assertArrayEquals(new int[] {5}, b.inputShape());
        assertEquals(4, b.numClasses());
        assertEquals(b.checksum(), DataSources.parse("synthetic:blobs:n=100,d=5,k=4,seed=1").checksum());
        assertEquals(Synthetic.blobs(100, 5, 4, 1.0, 1).checksum(), b.checksum());
        assertEquals(2, DataSources.parse("synthetic:moons:n=30,noise=0.2,seed=3").numClasses());
        Dataset t = DataSources.parse("synthetic:teacher:n=20,d=4,k=3,hidden=8,seed=2");
        assertArrayEquals(new int[] {20, 3}, t.targets().shape());
        Dataset l = DataSources.parse("synthetic:linreg:n=30,d=4,noise=0.1,seed=2");
        assertFalse(l.hasLabels());
        assertArrayEquals(new int[] {30, 1}, l.targets().shape());
        Dataset noisy = DataSources.parse("synthetic:blobs:n=100,k=4,seed=1:label-noise=0.1:noise-seed=3");
        int changed = 0;
        Dataset clean = DataSources.parse("synthetic:blobs:n=100,k=4,seed=1");
        for (int i = 0; i < 100; i++) {
            changed += noisy.label(i) != clean.label(i) ? 1 : 0;
        }
        assertEquals(10, changed);
    }

    @Test
    void badSpecsListTheValidForms() {
        for (String spec : new String[] {"imagenet:train", "synthetic:blobs:n=10,bogus=1", "synthetic:spirals",
            "synthetic:blobs:n=10:sideways", "fashion-mnist:validation", "idx:onlyone", "synthetic:blobs:n=ten"}) {
            DriftlabException e = assertThrows(DriftlabException.class, () -> DataSources.parse(spec), spec);
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            assertTrue(e.getMessage().contains("valid data sources") || e.getMessage().contains("must be"),
                    e.getMessage());
        }
    }

    @Test
    void fashionMnistWhenInstalled() {
        Assumptions.assumeTrue(FashionMnist.installed(), "Fashion-MNIST not installed in "
                + FashionMnist.dir() + " (sudo apt-get install dataset-fashion-mnist)");
        Dataset test = DataSources.parse("fashion-mnist:test");
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {784}, test.inputShape());
        // The full training set: 60000 images, 6000 per class, pixels in [0, 1] reaching both ends.
        Dataset train = DataSources.parse("fashion-mnist:train");
        assertEquals(60000, train.size());
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000},
                train.classCounts());
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double v : train.inputs().data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(0.0, lo, 0.0);
        assertEquals(1.0, hi, 0.0);
        Dataset first = DataSources.parse("fashion-mnist:train:100");
        assertEquals(train.first(100).checksum(), first.checksum());
    }
}
