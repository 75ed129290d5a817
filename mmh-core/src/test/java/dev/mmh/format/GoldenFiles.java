package dev.mmh.format;

import dev.mmh.engine.CompressOptions;
import dev.mmh.hash.ContentHash;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The golden archives of format version 1 and the options that made them. Run {@link #main} (from the mmh-core
 * folder: {@code mvn -q test-compile exec:java} is not needed, any IDE run works) only when the format version
 * changes: a changed golden byte is a format change.
 */
public final class GoldenFiles {
    private GoldenFiles() {
    }

    /** Input of every golden: 10,000 bytes of seeded pseudo-text, committed as text.bin. */
    static byte[] input() {
        return TestData.text(10_000, 42);
    }

    /** Golden name to the options that made it (all with 4 KiB blocks, so each has three blocks). */
    static Map<String, CompressOptions> cases() {
        Map<String, CompressOptions> m = new LinkedHashMap<>();
        CompressOptions.Builder b = CompressOptions.builder().blockSize(4096).threads(1);
        m.put("text-store.mmh", b.codec("store").level(0).build());
        m.put("text-zstd3.mmh", b.codec("zstd").level(3).build());
        m.put("text-zstd-fast.mmh", b.codec("zstd").level(-5).build());
        m.put("text-bwt.mmh", b.codec("bwt").level(1).build());
        m.put("text-sha256-store.mmh", CompressOptions.builder().blockSize(4096).threads(1).codec("store").level(0)
                .hash(ContentHash.SHA256).build());
        return m;
    }

    /**
     * Golden name to the options that made it in the compact layout (format version 2): 16 KiB blocks, so the
     * input is one block.
     */
    static Map<String, CompressOptions> compactCases() {
        Map<String, CompressOptions> m = new LinkedHashMap<>();
        CompressOptions.Builder b = CompressOptions.builder().blockSize(16384).threads(1);
        m.put("text-compact-zstd3.mmh", b.codec("zstd").level(3).build());
        m.put("text-compact-store.mmh", b.codec("store").level(0).build());
        m.put("text-compact-sha256-bwt.mmh", b.codec("bwt").level(1).hash(ContentHash.SHA256).build());
        return m;
    }

    static Path dir() {
        return Path.of("src/test/resources/golden/v1");
    }

    static Path compactDir() {
        return Path.of("src/test/resources/golden/v2");
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(dir());
        Files.write(dir().resolve("text.bin"), input());
        for (Map.Entry<String, CompressOptions> e : cases().entrySet()) {
            Files.write(dir().resolve(e.getKey()), TestData.compress(input(), e.getValue()));
        }
        Files.createDirectories(compactDir());
        for (Map.Entry<String, CompressOptions> e : compactCases().entrySet()) {
            Files.write(compactDir().resolve(e.getKey()), TestData.compress(input(), e.getValue()));
        }
        Files.write(dir().resolve("empty-zstd3.mmh"), TestData.compress(new byte[0],
                CompressOptions.builder().blockSize(4096).threads(1).codec("zstd").level(3).build()));
    }
}
