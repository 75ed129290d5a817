package dev.mmh.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapped reader gives exactly the file's bytes, across window boundaries, for any read sizes. */
class MappedFileInputTest {
    @TempDir
    Path dir;

    private static byte[] readAll(InputStream in, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[chunk];
        for (int n; (n = in.read(b, 0, chunk)) >= 0; ) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void readsEveryByteAcrossWindows() throws IOException {
        Random r = new Random(3);
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 65_536, 200_003}) {
            byte[] data = new byte[size];
            r.nextBytes(data);
            Path f = dir.resolve("f" + size);
            Files.write(f, data);
            for (int chunk : new int[] {1, 7, 4096, 10_000, 1 << 20}) {
                try (MappedFileInput in = new MappedFileInput(f, 4096)) {
                    assertArrayEquals(data, readAll(in, chunk), size + "/" + chunk);
                    assertEquals(-1, in.read());
                }
            }
            try (MappedFileInput in = new MappedFileInput(f)) {
                assertArrayEquals(data, in.readAllBytes(), "default window, " + size);
            }
        }
    }

    @Test
    void aFileThatGrowsIsReadToItsNewEndAndOneThatShrinksEndsEarly() throws IOException {
        byte[] data = new byte[3 * 4096];
        new Random(5).nextBytes(data);
        Path f = dir.resolve("g");
        Files.write(f, Arrays.copyOf(data, 4096));
        try (MappedFileInput in = new MappedFileInput(f, 4096)) {
            byte[] first = in.readNBytes(4096);
            Files.write(f, Arrays.copyOfRange(data, 4096, data.length), StandardOpenOption.APPEND);
            byte[] rest = in.readAllBytes();
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertArrayEquals(data, all);
        }
        try (MappedFileInput in = new MappedFileInput(f, 4096)) {
            byte[] first = in.readNBytes(4096);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(6000);
            }
            byte[] rest = in.readAllBytes();
            assertArrayEquals(Arrays.copyOf(data, 4096), first);
            assertArrayEquals(Arrays.copyOfRange(data, 4096, 6000), rest);
        }
    }
}
