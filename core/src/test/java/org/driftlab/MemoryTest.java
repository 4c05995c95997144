package org.driftlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Sizes are checked with exact arithmetic and against the heap, in one line with both numbers. */
class MemoryTest {
    @Test
    void productsAndArrayLengthsAreExact() {
        assertEquals(8_589_934_592L, Memory.product("x", 2147483648L, 4));
        assertEquals("x: the size overflows (factors [4611686018427387904, 4])",
                assertThrows(DriftlabException.class, () -> Memory.product("x", 1L << 62, 4)).getMessage());
        assertEquals(Integer.MAX_VALUE - 8, Memory.arrayLength(Integer.MAX_VALUE - 8, "x"));
        assertEquals("inputs: 2147483640 values are more than one array holds (at most 2147483639)",
                assertThrows(DriftlabException.class, () -> Memory.arrayLength(Integer.MAX_VALUE - 7, "inputs"))
                        .getMessage());
    }

    @Test
    void aNeedAboveTheHeapNamesBothAndTheOptionThatRaisesIt() {
        Memory.require(1L << 30, 2L << 30, "fits");
        assertEquals("model m needs about 6.00 GiB but the JVM's maximum heap is 4.00 GiB; raise it with "
                + "DRIFTLAB_JAVA_OPTS=-Xmx9g (if the machine has that much memory) or make the problem smaller",
                assertThrows(DriftlabException.class, () -> Memory.require(6L << 30, 4L << 30, "model m")).getMessage());
        assertEquals("812 bytes", Memory.bytes(812));
        assertEquals("1.50 KiB", Memory.bytes(1536));
        assertEquals("100 MiB", Memory.bytes(100L << 20));
    }
}
