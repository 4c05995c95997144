package org.driftlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fashion-MNIST subset embedded in the jar: served when the full set is not installed (hidden here), verified
 * against its checksums, identical to the first images of the full set, said to be what it is, and never stretched:
 * asking for more than it holds is one error line that says how to install the full set.
 */
@ExtendWith(HideInstalledData.class)
class FashionMnistTest {
    private static final Path RESOURCES = Path.of("core/src/main/resources/org/driftlab/data/fashion-mnist");

    @Test
    void embeddedSubsetServesTheFirstImagesAndSaysSo() {
        assertFalse(FashionMnist.installed(), "the installed set is hidden");
        Dataset train = DataSources.parse("fashion-mnist:train:5000");
        assertEquals(5000, train.size());
        assertArrayEquals(new int[] {784}, train.inputShape());
        // the first labels of the published training set (Zalando's train-labels-idx1-ubyte)
        int[] y = train.labels();
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5, 0, 9, 5, 5, 7, 9, 1, 0, 6, 4},
                java.util.Arrays.copyOf(y, 20));
        // class counts of the first 5000 (every class present, none near-empty), pixels /255 in [0, 1] reaching both
        assertArrayEquals(new int[] {457, 556, 504, 501, 488, 493, 493, 512, 490, 506}, train.classCounts());
        java.util.DoubleSummaryStatistics pixels = java.util.Arrays.stream(train.inputs().data()).summaryStatistics();
        assertEquals(0.0, pixels.getMin(), 0.0);
        assertEquals(1.0, pixels.getMax(), 0.0);
        assertTrue(train.origin().startsWith("Fashion-MNIST embedded subset (first 5000 of the 60000 training images"),
                train.origin());
        assertTrue(train.describe().endsWith(train.origin()), train.describe());
        Dataset test = DataSources.parse("fashion-mnist:test:1000:standardize");
        assertEquals(1000, test.size());
        assertTrue(test.origin().contains("first 1000 of the 10000 test images"), test.origin());
        // a smaller request is the prefix of the larger one
        assertEquals(train.first(100).checksum(), DataSources.parse("fashion-mnist:train:100").first(100).checksum());
        Dataset strat = DataSources.parse("fashion-mnist:train:1000:stratified");
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, strat.classCounts());
    }

    @Test
    void moreThanTheSubsetHoldsIsOneErrorThatSaysHowToGetTheFullSet() {
        for (String spec : List.of("fashion-mnist:train:5001", "fashion-mnist:train", "fashion-mnist:test",
                "fashion-mnist:test:1001:standardize",
                // 500 of each class: the first 5000 hold only 457 of class 0, so the full set would pick others
                "fashion-mnist:train:5000:stratified")) {
            DriftlabException e = assertThrows(DriftlabException.class, () -> DataSources.parse(spec), spec);
            String m = e.getMessage();
            assertFalse(m.contains("\n"), m);
            assertTrue(m.startsWith("data source '" + spec + "' asks for "), m);
            assertTrue(m.contains("the embedded subset holds only the first"), m);
            assertTrue(m.contains("sudo scripts/install-native.sh") && m.contains(FashionMnist.DIR_ENV), m);
            // check() refuses the same requests without loading anything
            assertEquals(m, assertThrows(DriftlabException.class, () -> DataSources.check(spec)).getMessage());
        }
        assertTrue(assertThrows(DriftlabException.class, () -> DataSources.parse("fashion-mnist:train:5001"))
                .getMessage().contains("asks for 5001 images but Fashion-MNIST is not installed in "));
        DataSources.check("fashion-mnist:train:5000");
        DataSources.check("fashion-mnist:train:4570:stratified");
    }

    @Test
    void mnistIsNotEmbeddedSoMissingMnistIsAnError() {
        DriftlabException e = assertThrows(DriftlabException.class, () -> DataSources.check("mnist:train:100"));
        assertTrue(e.getMessage().startsWith("MNIST not found: ") && e.getMessage().contains("is not embedded"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    /** The shipped files agree with the SHA256SUMS the loader checks (what a corrupt jar would fail). */
    @Test
    void shippedFilesMatchTheirChecksums() throws IOException {
        List<String> sums = Files.readAllLines(RESOURCES.resolve("SHA256SUMS"));
        assertEquals(4, sums.size());
        for (String line : sums) {
            String[] f = line.split("\\s+");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(RESOURCES.resolve(f[1] + ".gz")))) {
                byte[] raw = in.readAllBytes();
                assertEquals(f[0], FashionMnist.sha256(raw), f[1]);
                // the header holds the embedded count
                int n = ((raw[4] & 0xFF) << 24) | ((raw[5] & 0xFF) << 16) | ((raw[6] & 0xFF) << 8) | (raw[7] & 0xFF);
                assertEquals(f[1].startsWith("train") ? FashionMnist.EMBEDDED_TRAIN : FashionMnist.EMBEDDED_TEST, n);
            }
        }
        assertTrue(Files.readString(RESOURCES.resolve("LICENSE")).contains("The MIT License (MIT) Copyright © [2017] Zalando SE"));
    }

    /**
     * With the full set installed: the embedded subset gives exactly the data the full set gives for the same spec
     * (so results do not depend on where the data came from), and the script rebuilds the shipped files byte for byte.
     */
    @Test
    void embeddedEqualsTheInstalledSetAndTheScriptReproducesIt(@TempDir Path tmp) throws Exception {
        String hidden = System.getProperty(FashionMnist.DIR_PROPERTY);
        System.clearProperty(FashionMnist.DIR_PROPERTY);
        boolean installed = FashionMnist.installed();
        Path dir = FashionMnist.dir();
        System.setProperty(FashionMnist.DIR_PROPERTY, hidden);
        Assumptions.assumeTrue(installed, "Fashion-MNIST not installed in " + dir);
        for (String spec : List.of("fashion-mnist:train:1000:standardize", "fashion-mnist:test:1000:standardize",
                "fashion-mnist:train:1000:stratified", "fashion-mnist:train:5000")) {
            Dataset embedded = DataSources.parse(spec);
            System.setProperty(FashionMnist.DIR_PROPERTY, dir.toString());
            Dataset full;
            try {
                full = DataSources.parse(spec);
            } finally {
                System.setProperty(FashionMnist.DIR_PROPERTY, hidden);
            }
            assertEquals(full.checksum(), embedded.checksum(), spec);
            assertNotEquals(full.origin(), embedded.origin());
            assertTrue(full.origin().startsWith("Fashion-MNIST full set installed in " + dir), full.origin());
        }
        Process p = new ProcessBuilder("bash", "scripts/make-fashion-mnist-subset.sh", dir.toString(), tmp.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        for (String f : List.of("SHA256SUMS", "LICENSE", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            if (f.endsWith(".gz")) {
                // the gzip stream may differ between gzip versions; the content may not
                assertArrayEquals(gunzip(RESOURCES.resolve(f)), gunzip(tmp.resolve(f)), f);
            } else {
                assertEquals(Files.readString(RESOURCES.resolve(f)), Files.readString(tmp.resolve(f)), f);
            }
        }
    }

    private static byte[] gunzip(Path f) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            return in.readAllBytes();
        }
    }
}
