package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed metrics table: CSV and JSON lines are exact serialisations both ways (every double, NaN, ±∞, −0.0,
 * subnormals and absent cells come back with the same bits), older files with fewer columns still read, and the
 * table is read by column name.
 */
class MetricsTest {
    private static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e-310, 0.1, 1.0 / 3,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.0e23, 123456789012345.0};

    private static Metrics random(long seed) {
        Metrics m = RunColumns.table(Probes.bind(Map.of("k", 2), Map.of()));
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("run", (double) (i % 3));
            row.put("seed", (double) rng.nextInt(1000));
            row.put("step", (double) i);
            for (String c : m.columns()) {
                if (row.containsKey(c) || rng.nextInt(4) == 0) {
                    continue; // about a quarter of the cells stay absent
                }
                double v = rng.nextInt(3) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)]
                        : Double.longBitsToDouble(rng.nextLong() & 0x7FEFFFFFFFFFFFFFL) * (rng.nextBoolean() ? 1 : -1);
                row.put(c, v);
            }
            m.add(row);
        }
        return m;
    }

    private static void assertSameBits(Metrics a, Metrics b) {
        assertEquals(a.columns(), b.columns());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            for (String c : a.columns()) {
                assertEquals(a.has(i, c), b.has(i, c), "row " + i + " " + c);
                assertEquals(Double.doubleToRawLongBits(a.get(i, c)), Double.doubleToRawLongBits(b.get(i, c)),
                        "row " + i + " " + c + ": " + a.get(i, c) + " vs " + b.get(i, c));
            }
        }
    }

    @Test
    void csvAndJsonLinesRoundTripEveryBit() {
        for (long seed = 0; seed < 5; seed++) {
            Metrics m = random(seed);
            Metrics csv = Metrics.fromCsv(m.toCsv(), m.columns(), RunColumns.FORMATS, "test");
            assertSameBits(m, csv);
            assertEquals(m.toCsv(), csv.toCsv());
            Metrics jsonl = Metrics.fromJsonl(m.toJsonl(), m.columns(), RunColumns.FORMATS, "test");
            assertSameBits(m, jsonl);
            assertEquals(m.toJsonl(), jsonl.toJsonl());
        }
    }

    /**
     * Rows are formatted once and the text reused by later writes; a cell set or rows truncated after a write must
     * still show in the next one. The oracle is a fresh table with the same cells, formatted from scratch.
     */
    @Test
    void aWriteAfterSetTruncateOrAddShowsTheTableAsItIsNow() {
        Metrics m = random(7);
        m.toCsv();
        m.toJsonl(); // every row formatted
        m.set(3, "train_loss", 0.25);
        m.set(m.size() - 1, "sharpness", Double.NaN);
        m.truncate(150);
        m.add(Map.of("run", 1.0, "step", 1000.0, "train_loss", 1.0 / 7));
        m.set(149, "grad_norm", -0.0);
        Metrics fresh = Metrics.fromJsonl(m.toJsonl(), m.columns(), RunColumns.FORMATS, "test");
        assertSameBits(m, fresh);
        assertEquals(0.25, fresh.get(3, "train_loss"));
        assertEquals(151, fresh.size());
        Metrics rebuilt = new Metrics(m.columns(), RunColumns.FORMATS);
        for (int i = 0; i < fresh.size(); i++) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (String c : m.columns()) {
                if (m.has(i, c)) {
                    row.put(c, m.get(i, c));
                }
            }
            rebuilt.add(row);
        }
        assertEquals(rebuilt.toCsv(), m.toCsv());
        assertEquals(rebuilt.toJsonl(), m.toJsonl());
    }

    @Test
    void identifyingColumnsKeepTheirFamiliarForm() {
        Metrics m = RunColumns.table(Probes.bind(Map.of("k", 1), Map.of()));
        m.add(Map.of("run", 2.0, "seed", 7.0, "step", 30.0, "lr", 0.05, "train_loss", Double.NaN));
        String line = m.toCsv().lines().skip(1).findFirst().orElseThrow();
        assertTrue(line.startsWith("r2,0.05,7,30,"), line);
        assertTrue(line.contains(",NaN,"), "a measured NaN is written, unlike an absent cell: " + line);
        String json = m.toJsonl();
        assertTrue(json.startsWith("{\"run\":\"r2\",\"lr\":0.05,\"seed\":7,\"step\":30,\"time\":null"), json);
        assertTrue(json.contains("\"train_loss\":\"NaN\""), json);
    }

    @Test
    void anOlderFileWithFewerColumnsReadsAndAnUnknownColumnIsRefused(@TempDir Path dir) throws IOException {
        List<String> now = RunColumns.of(Probes.bind(Map.of("k", 1), Map.of()));
        List<String> older = now.subList(0, now.size() - 3);
        String row = "r0" + ",1".repeat(older.size() - 1);
        Files.writeString(dir.resolve(Metrics.CSV), String.join(",", older) + "\n" + row + "\n");
        Metrics m = Metrics.read(dir, now, RunColumns.FORMATS);
        assertEquals(1, m.size());
        assertFalse(m.has(0, now.get(now.size() - 1)), "a column the file lacks is absent");
        assertEquals(1.0, m.get(0, "lr"));
        assertEquals(0.0, m.get(0, "run"));

        Files.writeString(dir.resolve(Metrics.CSV), "run,step,bogus\nr0,1,2\n");
        DriftlabException e = assertThrows(DriftlabException.class, () -> Metrics.read(dir, now, RunColumns.FORMATS));
        assertTrue(e.getMessage().contains("column bogus"), e.getMessage());
    }

    @Test
    void readByName() {
        Metrics m = RunColumns.table(Probes.bind(Map.of("k", 1), Map.of()));
        m.add(Map.of("run", 0.0, "step", 0.0, "sharpness", 3.0));
        m.add(Map.of("run", 1.0, "step", 0.0, "sharpness", 5.0));
        m.add(Map.of("run", 0.0, "step", 10.0));
        Metrics r0 = m.where("run", 0);
        assertEquals(2, r0.size());
        assertEquals(3.0, r0.last("sharpness"));
        assertEquals(1, r0.nonEmpty("sharpness").size());
        assertEquals(10L, r0.longCol("step")[1]);
        assertTrue(Double.isNaN(r0.last("train_loss")));
        assertThrows(IllegalArgumentException.class, () -> m.get(0, "nope"));
    }
}
