package org.driftlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker team: fixed chunks, every index exactly once, failures surface, concurrent callers are safe. */
class ParallelTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void chunksCoverTheRangeOnce() {
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            for (int rep = 0; rep < 200; rep++) {
                int n = 1 + rep * 37;
                int[] hits = new int[n];
                List<int[]> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
                Parallel.forRange(n, 1, (from, to) -> {
                    ranges.add(new int[] {from, to});
                    for (int i = from; i < to; i++) {
                        hits[i]++;
                    }
                });
                int[] ones = new int[n];
                java.util.Arrays.fill(ones, 1);
                assertArrayEquals(ones, hits);
                assertEquals(Parallel.chunks(n, 1), ranges.size());
            }
        }
    }

    @Test
    void failuresPropagateAndTheTeamStaysUsable() {
        Parallel.setThreads(2);
        assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (from, to) -> {
            if (from > 0) {
                throw new IllegalStateException("worker");
            }
        }));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(100, 1, (from, to) -> {
            if (from == 0) {
                throw new IllegalArgumentException("caller");
            }
        }));
        AtomicLong sum = new AtomicLong();
        Parallel.forRange(100, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                sum.addAndGet(i);
            }
        });
        assertEquals(4950, sum.get());
    }

    @Test
    void concurrentCallers() throws Exception {
        Parallel.setThreads(3);
        Thread[] ts = new Thread[4];
        long[] sums = new long[ts.length];
        for (int k = 0; k < ts.length; k++) {
            final int kk = k;
            ts[k] = new Thread(() -> {
                for (int rep = 0; rep < 500; rep++) {
                    AtomicLong s = new AtomicLong();
                    Parallel.forRange(1000, 1, (from, to) -> {
                        long l = 0;
                        for (int i = from; i < to; i++) {
                            l += i;
                        }
                        s.addAndGet(l);
                    });
                    sums[kk] += s.get();
                }
            });
            ts[k].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (long s : sums) {
            assertEquals(500L * 499500L, s);
        }
    }
}
