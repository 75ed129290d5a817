package dev.mmh.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.engine.CompressOptions;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SeekableArchive;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmhChannelTest {
    private static final int BLOCK = 4096;
    private static final CompressOptions O = CompressOptions.builder().blockSize(BLOCK).threads(2).build();

    private static Path archive(Path dir, byte[] data) throws IOException {
        Path p = dir.resolve("a.mmh");
        Files.write(p, TestData.compress(data, O));
        return p;
    }

    /** Reads {@code len} bytes at {@code at}, in as many reads as the channel needs. */
    private static byte[] readAt(SeekableByteChannel ch, long at, int len) throws IOException {
        ch.position(at);
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            int n = ch.read(b);
            if (n < 0) {
                break;
            }
            assertTrue(n > 0, "a read with room returned 0");
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void randomReadsEqualTheOriginal(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(37 * BLOCK + 123, 3);
        try (MmhChannel ch = MmhChannel.open(archive(dir, data), O, 3)) {
            assertEquals(data.length, ch.size());
            assertEquals(38, ch.blocks());
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < 500; i++) {
                long at = r.nextInt(data.length + 10);
                int len = r.nextInt(4) == 0 ? r.nextInt(5 * BLOCK) : r.nextInt(300);
                byte[] got = readAt(ch, at, len);
                int avail = (int) Math.max(0, Math.min(len, data.length - at));
                assertArrayEquals(Arrays.copyOfRange(data, (int) Math.min(at, data.length),
                        (int) Math.min(at, data.length) + avail), got, "at " + at + " len " + len);
                assertEquals(at + avail, ch.position());
            }
            ch.position(data.length + 5L);
            assertEquals(-1, ch.read(ByteBuffer.allocate(4)));
            ch.position(3);
            assertEquals(0, ch.read(ByteBuffer.allocate(0)));
            assertEquals(3, ch.position());
            ByteBuffer all = ByteBuffer.allocate(data.length + 100);
            ch.position(0);
            assertEquals(data.length, ch.read(all), "one read fills the buffer as far as the data goes");
            assertArrayEquals(data, Arrays.copyOf(all.array(), data.length));
        }
    }

    @Test
    void aReadDecodesOnlyTheBlocksItTouches(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(20 * BLOCK, 4);
        try (MmhChannel ch = MmhChannel.open(archive(dir, data), O, 4)) {
            assertEquals(0, ch.blocksDecoded(), "opening decodes nothing");
            assertArrayEquals(Arrays.copyOfRange(data, 5 * BLOCK + 10, 5 * BLOCK + 20), readAt(ch, 5 * BLOCK + 10, 10));
            assertEquals(1, ch.blocksDecoded());
            assertArrayEquals(Arrays.copyOfRange(data, 5 * BLOCK + 4000, 5 * BLOCK + 4096),
                    readAt(ch, 5 * BLOCK + 4000, 96));
            assertEquals(1, ch.blocksDecoded(), "the cached block is not decoded again");
            readAt(ch, 8 * BLOCK - 1, 2 * BLOCK + 2); // blocks 7, 8, 9 and 10
            assertEquals(5, ch.blocksDecoded());
        }
    }

    @Test
    void damageOutsideTheBlocksReadIsNeverSeen(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(12 * BLOCK, 5);
        Path p = archive(dir, data);
        List<IndexEntry> entries;
        try (SeekableArchive a = SeekableArchive.open(p)) {
            entries = a.index().entries();
        }
        byte[] b = Files.readAllBytes(p);
        for (int i = 0; i < entries.size(); i++) {
            if (i != 6) {
                b[(int) (entries.get(i).offset() + 80)] ^= 0x55; // inside each other block's stored data
            }
        }
        Files.write(p, b);
        try (MmhChannel ch = MmhChannel.open(p, O, 2)) {
            assertArrayEquals(Arrays.copyOfRange(data, 6 * BLOCK, 7 * BLOCK), readAt(ch, 6 * BLOCK, BLOCK));
            ch.position(7 * BLOCK + 5);
            ByteBuffer buf = ByteBuffer.allocate(10);
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> ch.read(buf));
            assertEquals(7, e.block());
            assertTrue(e.getMessage().startsWith("block 7 at offset "), e.getMessage());
            assertEquals(7 * BLOCK + 5, ch.position(), "a failed read leaves the position");
            assertArrayEquals(Arrays.copyOfRange(data, 6 * BLOCK + 7, 6 * BLOCK + 17), readAt(ch, 6 * BLOCK + 7, 10),
                    "the channel stays usable");
        }
    }

    /**
     * A read that fails on one block while the blocks after it are under way stops the workers (they are
     * interrupted); the archive's channel, closed by an interrupt of a thread reading it as a FileChannel is, must
     * not be read by them.
     */
    @Test
    void aReadFailingOnOneOfManyBlocksLeavesTheChannelUsable(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(64 * BLOCK, 10);
        Path p = archive(dir, data);
        long block3;
        try (SeekableArchive a = SeekableArchive.open(p)) {
            block3 = a.index().entries().get(3).offset();
        }
        byte[] b = Files.readAllBytes(p);
        b[(int) block3 + 80] ^= 0x55;
        ArrayChannel src = new ArrayChannel(b, true);
        try (MmhChannel ch = MmhChannel.of(src, O, 2)) {
            for (int round = 0; round < 5; round++) {
                ch.position(2 * BLOCK);
                ByteBuffer big = ByteBuffer.allocate(60 * BLOCK); // block 3 fails while later ones are decoding
                CorruptDataException e = assertThrows(CorruptDataException.class, () -> ch.read(big));
                assertEquals(3, e.block());
                int at = (10 + round * 2) * BLOCK + round;
                assertArrayEquals(Arrays.copyOfRange(data, at, at + 2 * BLOCK), readAt(ch, at, 2 * BLOCK),
                        "round " + round);
            }
        }
    }

    @Test
    void theCacheKeepsTheMostRecentlyUsedBlocksOnly(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(10 * BLOCK, 6);
        try (MmhChannel ch = MmhChannel.open(archive(dir, data), O, 2)) {
            readAt(ch, 0, 1);
            readAt(ch, BLOCK, 1);
            readAt(ch, 0, 1); // block 0 is now the most recently used
            assertEquals(2, ch.blocksDecoded());
            readAt(ch, 2 * BLOCK, 1); // evicts block 1
            assertEquals(3, ch.blocksDecoded());
            readAt(ch, 0, 1);
            assertEquals(3, ch.blocksDecoded(), "block 0 stayed");
            readAt(ch, BLOCK, 1);
            assertEquals(4, ch.blocksDecoded(), "block 1 was evicted");
            // a read longer than the cache still returns every byte
            assertArrayEquals(Arrays.copyOfRange(data, 100, 9 * BLOCK), readAt(ch, 100, 9 * BLOCK - 100));
        }
    }

    /**
     * A seekable channel over an array, that is not a file channel. A slow one sleeps in each read and, like a
     * {@code FileChannel}, is closed by an interrupt of the thread reading it.
     */
    private static final class ArrayChannel implements SeekableByteChannel {
        private final byte[] b;
        private final boolean slow;
        private long pos;
        volatile boolean open = true;

        ArrayChannel(byte[] b) {
            this(b, false);
        }

        ArrayChannel(byte[] b, boolean slow) {
            this.b = b;
            this.slow = slow;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (slow) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    open = false;
                    throw new java.nio.channels.ClosedByInterruptException();
                }
            }
            if (pos >= b.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), Math.min(b.length - pos, 1000)); // short reads on purpose
            dst.put(b, (int) pos, n);
            pos += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return pos;
        }

        @Override
        public SeekableByteChannel position(long p) {
            pos = p;
            return this;
        }

        @Override
        public long size() {
            return b.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    @Test
    void readsAnArchiveInAnySeekableChannel() throws IOException {
        byte[] data = TestData.text(9 * BLOCK + 7, 7);
        ArrayChannel src = new ArrayChannel(TestData.compress(data, O));
        try (MmhChannel ch = MmhChannel.of(src, O, 2)) {
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < 100; i++) {
                int at = r.nextInt(data.length);
                int len = r.nextInt(3 * BLOCK);
                assertArrayEquals(Arrays.copyOfRange(data, at, Math.min(data.length, at + len)), readAt(ch, at, len));
            }
        }
        assertTrue(!src.open, "closing the channel closes the one it reads");
        byte[] one = TestData.text(1000, 1); // one block: the compact layout
        try (MmhChannel ch = MmhChannel.of(new ArrayChannel(TestData.compress(one, O)), O, 1)) {
            assertArrayEquals(one, readAt(ch, 0, 5000));
        }
        try (MmhChannel ch = MmhChannel.of(new ArrayChannel(TestData.compress(new byte[0], O)), O, 1)) {
            assertEquals(0, ch.size());
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
        }
        ArrayChannel foreign = new ArrayChannel(TestData.text(5000, 2));
        assertThrows(NotMmhFormatException.class, () -> MmhChannel.of(foreign, O, 1));
        assertTrue(!foreign.open, "a channel that fails to open is closed");
    }

    @Test
    void aDamagedIndexFailsOpening(@TempDir Path dir) throws IOException {
        byte[] data = TestData.text(6 * BLOCK, 8);
        Path p = archive(dir, data);
        byte[] b = Files.readAllBytes(p);
        b[b.length - 100] ^= 1; // inside the index
        Files.write(p, b);
        MmhException e = assertInstanceOf(MmhException.class,
                assertThrows(IOException.class, () -> MmhChannel.open(p)));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }

    @Test
    void readOnlyAndClosedChannelSemantics(@TempDir Path dir) throws IOException {
        MmhChannel ch = MmhChannel.open(archive(dir, TestData.text(3 * BLOCK, 9)));
        assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
        assertThrows(NonWritableChannelException.class, () -> ch.truncate(0));
        assertThrows(IllegalArgumentException.class, () -> ch.position(-1));
        assertTrue(ch.isOpen());
        ch.close();
        ch.close();
        assertTrue(!ch.isOpen());
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, ch::size);
        assertThrows(ClosedChannelException.class, ch::position);
    }
}
