package dev.mmh.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Mmh;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.junit.jupiter.api.Test;

/** The codec as Hadoop finds it, and its whole-stream reading and writing. */
class MmhCodecTest {
    static MmhCodec codec(String name, int blockSize) {
        Configuration c = new Configuration(false);
        c.set(MmhCodec.CODEC, name);
        c.setInt(MmhCodec.BLOCK_SIZE, blockSize);
        MmhCodec codec = new MmhCodec();
        codec.setConf(c);
        return codec;
    }

    static byte[] write(CompressionCodec codec, byte[] data, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream o = codec.createOutputStream(out)) {
            for (int i = 0; i < data.length; i += chunk) {
                o.write(data, i, Math.min(chunk, data.length - i));
            }
        }
        return out.toByteArray();
    }

    @Test
    void foundByExtensionThroughServiceLoaderAndByTheProperty() {
        CompressionCodec byService = new CompressionCodecFactory(new Configuration()).getCodec(new Path("/d/x.mmh"));
        assertInstanceOf(MmhCodec.class, byService);
        Configuration only = new Configuration(false);
        only.set("io.compression.codecs", "dev.mmh.hadoop.MmhCodec");
        CompressionCodecFactory f = new CompressionCodecFactory(only);
        assertInstanceOf(MmhCodec.class, f.getCodec(new Path("/d/part-00000.mmh")));
        assertEquals(".mmh", f.getCodecByName("mmh").getDefaultExtension());
    }

    @Test
    void writesTheArchiveMmhCompressWrites() throws IOException {
        byte[] data = Archives.text(300_000, 64 * 1024, 3);
        for (int chunk : new int[] {1, 4096, 3_000_000}) {
            byte[] got = write(codec("zstd", 64 * 1024), chunk == 1 ? Arrays.copyOf(data, 70_000) : data, chunk);
            byte[] in = chunk == 1 ? Arrays.copyOf(data, 70_000) : data;
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            Mmh.compress(new ByteArrayInputStream(in), want,
                    CompressOptions.builder().codec("zstd").blockSize(64 * 1024).threads(1).build());
            assertArrayEquals(want.toByteArray(), got, "written " + chunk + " bytes at a time");
            assertArrayEquals(in, Archives.decode(got));
        }
    }

    @Test
    void autoGoalEmptyAndCompact() throws IOException {
        byte[] data = Archives.text(200_000, 64 * 1024, 4);
        assertArrayEquals(data, Archives.decode(write(new MmhCodec(), data, 10_000)), "the default: auto");
        byte[] empty = write(codec("zstd", 4096), new byte[0], 1);
        assertArrayEquals(new byte[0], Archives.decode(empty));
        byte[] small = write(codec("lz4", 4096), Arrays.copyOf(data, 100), 7);
        assertEquals(Format.COMPACT_VERSION, LE.get16(small, 8));
        assertArrayEquals(Arrays.copyOf(data, 100), Archives.decode(small));
    }

    @Test
    void writingAfterFinishFails() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var o = codec("zstd", 4096).createOutputStream(out);
        o.write(1);
        o.finish();
        assertThrows(IOException.class, () -> o.write(2));
        o.close();
        assertArrayEquals(new byte[] {1}, Archives.decode(out.toByteArray()));
    }

    @Test
    void aFailingUnderlyingStreamFailsTheWriter() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        byte[] data = Archives.text(400_000, 4096, 6);
        IOException e = assertThrows(IOException.class, () -> {
            try (OutputStream o = codec("zstd", 4096).createOutputStream(full)) {
                for (int i = 0; i < 20; i++) {
                    o.write(data);
                }
            }
        });
        assertEquals("disk full", e.getMessage());
    }

    static byte[] readWhole(byte[] archive) throws IOException {
        try (CompressionInputStream in = codec("zstd", 4096).createInputStream(new ByteArrayInputStream(archive))) {
            return in.readAllBytes();
        }
    }

    @Test
    void wholeStreamReadsAndChecksTheIndex() throws IOException {
        byte[] data = Archives.text(100_000, 4096, 5);
        byte[] a = write(codec("zstd", 4096), data, 1 << 16);
        assertArrayEquals(data, readWhole(a));
        // a damaged index is found by the whole-stream reader (a split reader never reads it)
        byte[] bad = a.clone();
        long indexAt = LE.get64(a, a.length - Format.FOOTER_SIZE);
        bad[(int) indexAt + 30] ^= 1;
        IOException e = assertThrows(IOException.class, () -> readWhole(bad));
        assertInstanceOf(CorruptDataException.class, e);
        InputStream notMmh = new ByteArrayInputStream(data);
        IOException n = assertThrows(IOException.class,
                () -> codec("zstd", 4096).createInputStream(notMmh).read());
        assertTrue(n.getMessage().contains("not an mmh archive"), n.getMessage());
    }
}
