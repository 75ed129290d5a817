package dev.mmh.gzip;

import static dev.mmh.gzip.GzipTestSupport.assumeTool;
import static dev.mmh.gzip.GzipTestSupport.gunzip;
import static dev.mmh.gzip.GzipTestSupport.gzip;
import static dev.mmh.gzip.GzipTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus file (163 MB) at levels 1, 6 and 9, decoded by our decoder and by gzip -d. Minutes, not seconds,
 * so it runs only when asked: {@code mvn -pl mmh-gzip test -Dmmh.gzip.fullCorpus=true -Dtest=CorpusRoundTripTest}.
 */
class CorpusRoundTripTest {
    static List<Path> corpusFiles() throws IOException {
        if (!Boolean.getBoolean("mmh.gzip.fullCorpus")) {
            return List.of(Path.of("(skipped: -Dmmh.gzip.fullCorpus=true runs it)"));
        }
        try (Stream<Path> s = Files.walk(GzipTestSupport.corpus().toRealPath())) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void everyCorpusFileRoundTripsAtOneSixAndNine(Path file) throws Exception {
        assumeTrue(Boolean.getBoolean("mmh.gzip.fullCorpus"), "set -Dmmh.gzip.fullCorpus=true");
        assumeTool("gzip");
        byte[] data = Files.readAllBytes(file);
        for (int level : new int[] {1, 6, 9}) {
            GzipOptions o = GzipOptions.builder().level(level).build();
            byte[] gz = gzip(data, o);
            assertArrayEquals(data, gunzip(gz, o), file + " -" + level + " by mmh");
            assertArrayEquals(data, run(gz, "gzip", "-dc"), file + " -" + level + " by gzip -d");
        }
    }
}
