package dev.mmh.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs appear whole or not at all; devices and pipes are written in place, never replaced. */
class AtomicOutputTest {
    @TempDir
    Path dir;

    private static final byte[] DATA = "all or nothing\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);

    private long filesIn(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void aCommittedFileAppearsWholeAndNothingElseIsLeft() throws IOException {
        Path t = dir.resolve("out");
        try (AtomicOutput o = AtomicOutput.create(t, false)) {
            o.stream().write(DATA);
            assertFalse(Files.exists(t), "visible before commit");
            o.commit();
        }
        assertArrayEquals(DATA, Files.readAllBytes(t));
        assertEquals(1, filesIn(dir));
    }

    @Test
    void backgroundFlushesWhileWritingKeepEveryByte() throws Exception {
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        Path t = dir.resolve("big");
        try (AtomicOutput o = AtomicOutput.create(t, false, 16 << 10)) {
            for (int i = 0; i < big.length; i += 100_003) {
                o.stream().write(big, i, Math.min(100_003, big.length - i));
            }
            o.commit();
        }
        assertArrayEquals(big, Files.readAllBytes(t));
        // an abandoned output goes away even while flushes run
        Path u = dir.resolve("gone");
        try (AtomicOutput o = AtomicOutput.create(u, false, 16 << 10)) {
            for (int i = 0; i < big.length; i += 65_536) {
                o.stream().write(big, i, 65_536);
            }
        }
        assertFalse(Files.exists(u));
        assertEquals(1, filesIn(dir));
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws IOException {
        Path t = dir.resolve("out");
        try (AtomicOutput o = AtomicOutput.create(t, false)) {
            o.stream().write(DATA);
            o.channel(); // flushes into the temporary file
        }
        assertFalse(Files.exists(t));
        assertEquals(0, filesIn(dir));
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce() throws IOException {
        Path t = dir.resolve("out");
        Files.writeString(t, "old");
        assertThrows(FileAlreadyExistsException.class, () -> AtomicOutput.create(t, false));
        assertEquals("old", Files.readString(t));
        try (AtomicOutput o = AtomicOutput.create(t, true)) {
            o.stream().write(DATA);
            o.commit();
        }
        assertArrayEquals(DATA, Files.readAllBytes(t));
    }

    @Test
    void devNullIsWrittenWithoutForceAndStaysADevice() throws IOException {
        Path dn = Path.of("/dev/null");
        Assumptions.assumeTrue(Files.exists(dn) && !Files.isRegularFile(dn), "no /dev/null device here");
        try (AtomicOutput o = AtomicOutput.create(dn, false)) {
            o.stream().write(DATA);
            // nothing to read back or to write out of order
            assertThrows(IOException.class, o::tempFile);
            assertThrows(IOException.class, o::channel);
            o.commit();
        }
        assertTrue(Files.exists(dn) && !Files.isRegularFile(dn), "/dev/null was replaced by a file");
    }

    @Test
    void aFifoReceivesTheBytesInPlace() throws Exception {
        Path fifo = dir.resolve("fifo");
        try {
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
            Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        } catch (IOException e) {
            Assumptions.abort("no mkfifo: " + e.getMessage());
        }
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (AtomicOutput o = AtomicOutput.create(fifo, false)) {
            o.stream().write(DATA);
            o.commit();
        }
        assertArrayEquals(DATA, reader.get(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO was replaced by a file");
        assertEquals(1, filesIn(dir));
    }
}
