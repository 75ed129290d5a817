package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link BufferPool}: blocks whose sizes differ by a few bytes reuse the buffers of the run. */
class BufferPoolTest {
    @Test
    void buffersOfSlightlyDifferentSizesAreReusedNotReallocated() {
        BufferPool p = new BufferPool();
        byte[] a = p.get(8_362_046);
        byte[] b = p.get(8_360_000); // a second block in flight, a little smaller
        p.put(a);
        p.put(b);
        // the next two blocks are a little larger than the smaller one: both come from the pool
        byte[] c = p.get(8_362_046);
        byte[] d = p.get(8_361_000);
        assertTrue((c == a || c == b) && (d == a || d == b), "a buffer was allocated anew");
        assertNotSame(c, d);
        assertEquals(8_362_046, b.length, "a new buffer is as large as the largest asked for");
    }

    @Test
    void aBufferIsAtLeastTheSizeAskedFor() {
        BufferPool p = new BufferPool();
        for (int n : new int[] {1, 100, 65_536, 3, 1 << 20}) {
            byte[] x = p.get(n);
            assertTrue(x.length >= n);
            p.put(x);
        }
    }
}
