package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log written before newer probe columns existed still reads (padded), any other header mismatch is refused. */
class MetricsLogTest {
    @Test
    void olderPrefixHeaderIsPaddedAndOtherHeadersAreRefused(@TempDir Path dir) throws IOException {
        List<String> now = MetricsLog.columnsFor(1);
        List<String> older = now.subList(0, now.size() - 2);
        String row = "r0" + ",1".repeat(older.size() - 1);
        Files.writeString(dir.resolve(MetricsLog.CSV), String.join(",", older) + "\n" + row + "\n");
        MetricsLog log = MetricsLog.read(dir, now);
        assertEquals(1, log.size());
        String[] cells = log.row(0);
        assertEquals(now.size(), cells.length);
        assertArrayEquals(new String[] {"", ""}, new String[] {cells[now.size() - 2], cells[now.size() - 1]});
        assertEquals("1", cells[1]);

        Files.writeString(dir.resolve(MetricsLog.CSV), "run,step,lr\nr0,1,2\n");
        assertThrows(DriftlabException.class, () -> MetricsLog.read(dir, now));
    }
}
