package dev.mmh.gzip;

import static dev.mmh.gzip.GzipTestSupport.assumeTool;
import static dev.mmh.gzip.GzipTestSupport.corpusFile;
import static dev.mmh.gzip.GzipTestSupport.gunzip;
import static dev.mmh.gzip.GzipTestSupport.gzip;
import static dev.mmh.gzip.GzipTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our output read by every gzip reader we can find, at the levels the issue names. */
class RoundTripTest {
    private static final String[] FILES = {
        "canterbury/alice29.txt", "canterbury/kennedy.xls", "canterbury/ptt5", "canterbury/grammar.lsp",
        "mixed/house.jpg", "mixed/dict-ds.png",
    };

    static Stream<Arguments> filesAndLevels() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (String f : FILES) {
            for (int level : new int[] {1, 6, 9, 12}) {
                s.add(Arguments.of(f, level));
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0} at -{1}")
    @MethodSource("filesAndLevels")
    void corpusFileRoundTripsThroughEveryReader(String file, int level) throws Exception {
        byte[] data = corpusFile(file);
        // a small block size makes several members even from these small files
        GzipOptions o = GzipOptions.builder().level(level).threads(2).blockSize(level == 1 ? 0 : 128 << 10).build();
        byte[] gz = gzip(data, o);
        assertTrue(gz.length < data.length + data.length / 50 + 100, "output should not blow up");
        assertArrayEquals(data, gunzip(gz, o), "our decoder");
        try (GZIPInputStream jdk = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertArrayEquals(data, jdk.readAllBytes(), "java.util.zip.GZIPInputStream");
        }
        assumeTool("gzip");
        assertArrayEquals(data, run(gz, "gzip", "-dc"), "gzip -d");
        assumeTool("bgzip");
        assertArrayEquals(data, run(gz, "bgzip", "-dc"), "bgzip -d");
    }

    @Test
    void fastLevelsWriteBgzfThatHtslibIndexes() throws Exception {
        byte[] data = corpusFile("canterbury/lcet10.txt");
        GzipOptions o = GzipOptions.builder().level(1).threads(2).build();
        assertTrue(o.bgzf());
        byte[] gz = gzip(data, o);
        // every member starts with the BGZF header: FEXTRA, XLEN 6, subfield BC of length 2
        int members = 0;
        int pos = 0;
        while (pos < gz.length) {
            assertEquals(0x1f, gz[pos] & 0xff);
            assertEquals(0x8b, gz[pos + 1] & 0xff);
            assertEquals(GzipFormat.FEXTRA, gz[pos + 3] & 0xff);
            assertEquals(6, gz[pos + 10] & 0xff);
            assertEquals('B', gz[pos + 12]);
            assertEquals('C', gz[pos + 13]);
            int bsize = (gz[pos + 16] & 0xff | (gz[pos + 17] & 0xff) << 8) + 1;
            pos += bsize;
            members++;
        }
        assertEquals(gz.length, pos, "BSIZE fields chain exactly to the end");
        assertEquals(data.length / GzipFormat.BGZF_MAX_BLOCK + 2, members, "data members plus the EOF marker");
        byte[] tail = java.util.Arrays.copyOfRange(gz, gz.length - 28, gz.length);
        assertArrayEquals(GzipFormat.BGZF_EOF, tail);
        assumeTool("bgzip");
        // bgzip -b reads from an uncompressed offset through the BGZF index it builds: only real BGZF allows it
        java.nio.file.Path f = java.nio.file.Files.createTempFile("mmh-bgzf", ".gz");
        try {
            java.nio.file.Files.write(f, gz);
            run(new byte[0], "bgzip", "-r", f.toString());
            byte[] part = run(new byte[0], "bgzip", "-b", "200000", "-s", "1000", "-dc", f.toString());
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 200000, 201000), part);
        } finally {
            java.nio.file.Files.deleteIfExists(f);
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(f + ".gzi"));
        }
    }

    @Test
    void largeBlocksCarryTheMhSubfield() throws Exception {
        byte[] data = GzipTestSupport.text(3 << 20, 7);
        GzipOptions o = GzipOptions.builder().level(6).threads(2).build();
        assertEquals(1 << 20, o.effectiveBlockSize());
        byte[] gz = gzip(data, o);
        assertEquals('M', gz[12]);
        assertEquals('H', gz[13]);
        int size = java.nio.ByteBuffer.wrap(gz, 16, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(0x1f, gz[size] & 0xff, "the MH size points at the second member");
        assertArrayEquals(data, gunzip(gz, o));
    }

    @Test
    void emptyInputMakesAGzipFileEveryReaderAccepts() throws Exception {
        for (int level : new int[] {1, 6}) {
            GzipOptions o = GzipOptions.builder().level(level).threads(1).build();
            byte[] gz = gzip(new byte[0], o);
            assertTrue(gz.length > 0);
            assertEquals(0, gunzip(gz, o).length);
            try (GZIPInputStream jdk = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                assertEquals(0, jdk.readAllBytes().length);
            }
            assumeTool("gzip");
            assertEquals(0, run(gz, "gzip", "-dc").length);
        }
    }

    @Test
    void everyBackendRoundTripsIncompressibleAndRunData() throws Exception {
        byte[] random = GzipTestSupport.random(300_000, 1);
        byte[] zeros = new byte[500_000];
        for (DeflateBackend b : GzipTestSupport.backends()) {
            for (int level : new int[] {1, 9}) {
                GzipOptions o = GzipOptions.builder().level(level).threads(2).blockSize(64 << 10).backend(b).build();
                assertArrayEquals(random, gunzip(gzip(random, o), o), b.name() + " random");
                assertArrayEquals(zeros, gunzip(gzip(zeros, o), o), b.name() + " zeros");
            }
        }
    }

    @Test
    void jdkBackendOutputIsReadByLibdeflateDecoderAndBack() throws Exception {
        DeflateBackend n = DeflateBackend.libdeflate();
        org.junit.jupiter.api.Assumptions.assumeTrue(n != null, "native library not built");
        byte[] data = corpusFile("canterbury/alice29.txt");
        GzipOptions jdk = GzipOptions.builder().level(6).threads(2).blockSize(32 << 10).backend(DeflateBackend.jdk())
                .build();
        GzipOptions nat = jdk.toBuilder().backend(n).build();
        assertArrayEquals(data, gunzip(gzip(data, jdk), nat));
        assertArrayEquals(data, gunzip(gzip(data, nat), jdk));
    }

    @Test
    void nameAndTimeAreStoredInTheFirstMemberWhenAsked() throws Exception {
        byte[] data = GzipTestSupport.text(100_000, 3);
        // names are stored only outside BGZF layout (htslib reads member data at a fixed offset)
        GzipOptions o = GzipOptions.builder().level(6).threads(2).blockSize(70_000).name("report.txt")
                .mtime(1_700_000_000L).build();
        byte[] gz = gzip(data, o);
        try (ParallelGzipInputStream in = new ParallelGzipInputStream(new ByteArrayInputStream(gz), o)) {
            assertEquals("report.txt", in.firstName());
            assertEquals(1_700_000_000L, in.firstMtime());
            assertArrayEquals(data, in.readAllBytes());
        }
        assumeTool("gzip");
        assertArrayEquals(data, run(gz, "gzip", "-dc"));
    }
}
