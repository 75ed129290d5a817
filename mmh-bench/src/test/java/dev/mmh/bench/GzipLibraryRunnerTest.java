package dev.mmh.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process gzip runner of the bench writes standard gzip (moved here from the bench command's test). */
class GzipLibraryRunnerTest {
    @TempDir
    Path dir;

    @Test
    void whatTheRunnerWritesTheSystemsGzipReadsBack() throws Exception {
        assumeTrue(ToolSpec.locate("gzip", System.getenv("PATH")).isPresent(), "gzip is not installed");
        Path a = dir.resolve("a.txt");
        try (InputStream in = DataGenerator.open(DataKind.TEXT, 40_000, 3)) {
            Files.write(a, in.readAllBytes());
        }
        Path gz = dir.resolve("a.gz");
        new GzipLibraryRunner(6, 2).compress(a, gz);
        Process p = new ProcessBuilder("gzip", "-d", "-c").redirectInput(gz.toFile()).start();
        byte[] back = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertArrayEquals(Files.readAllBytes(a), back);
    }
}
