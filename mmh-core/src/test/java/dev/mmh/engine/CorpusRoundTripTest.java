package dev.mmh.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.codec.Codec;
import dev.mmh.codec.Codecs;
import dev.mmh.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the corpus through every codec at a low and a high level, in process (the CLI tests cover files
 * and pipes end to end). The high level is the codec's maximum except where that runs at well under 1 MB/s on
 * this class of machine (brotli 11 and zstd 22 on multi-megabyte files), where the strongest level that keeps
 * the suite within its time budget is used, and the maximum runs on the small files. mmh's own codecs
 * ({@code bwt}, {@code numeric}: one level each, slower than the native ones) run on the first 4 MiB of each file.
 */
class CorpusRoundTripTest {
    private static final Map<String, Integer> HIGH_FOR_LARGE = Map.of("brotli", 9, "zstd", 19, "xz", 7);
    private static final long LARGE = 1 << 20;
    private static final int OWN_CODEC_PREFIX = 4 << 20;

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> list = new ArrayList<>();
        for (Codec c : Codecs.all()) {
            list.add(Arguments.of(c.name(), c.fastLevel()));
            if (c.maxLevel() != c.fastLevel()) {
                list.add(Arguments.of(c.name(), c.maxLevel()));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} level {1}")
    @MethodSource("cases")
    void everyCorpusFileRoundTrips(String codec, int level) throws IOException {
        Codec c = Codecs.byName(codec);
        long raw = 0;
        long packed = 0;
        for (Path f : TestData.corpusFiles()) {
            byte[] data = Files.readAllBytes(f);
            if ((codec.equals("bwt") || codec.equals("numeric")) && data.length > OWN_CODEC_PREFIX) {
                data = java.util.Arrays.copyOf(data, OWN_CODEC_PREFIX);
            }
            int lv = level == c.maxLevel() && data.length > LARGE ? HIGH_FOR_LARGE.getOrDefault(codec, level) : level;
            CompressOptions o = CompressOptions.builder().codec(codec).level(lv).threads(2).blockSize(4 << 20).build();
            byte[] archive = TestData.compress(data, o);
            assertArrayEquals(data, TestData.decompress(archive, 2), codec + " " + lv + " " + f);
            raw += data.length;
            packed += archive.length;
        }
        if (!codec.equals("store")) {
            assertTrue(packed < raw, codec + " did not shrink the corpus");
        }
    }
}
