package dev.mmh.transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;

/** Inputs shared by the transform tests: random bytes and pieces of the corpus. */
final class TestData {
    private TestData() {
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Path corpus() {
        return Path.of(System.getProperty("mmh.corpus", "target/corpus"));
    }

    /** Up to {@code max} bytes from the start of a corpus file; skips the test when the corpus is absent. */
    static byte[] corpusFile(String set, String name, int max) throws IOException {
        Path p = corpus().resolve(set).resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "corpus file " + p + " is not there");
        try (var in = Files.newInputStream(p)) {
            return in.readNBytes(max);
        }
    }
}
