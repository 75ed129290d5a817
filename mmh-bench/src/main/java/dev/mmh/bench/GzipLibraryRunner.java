package dev.mmh.bench;

import dev.mmh.gzip.GzipOptions;
import dev.mmh.gzip.ParallelGzipInputStream;
import dev.mmh.gzip.ParallelGzipOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * mmh's gzip-format engine ({@code dev.mmh.gzip}) in this JVM: standard gzip written and read in parallel, the
 * in-process counterpart of {@code mmh gzip}. Figures as for {@link LibraryRunner}.
 */
final class GzipLibraryRunner extends BaseRunner {
    GzipLibraryRunner(int level, int threads) {
        super(Mode.LIB, MMH_GZIP, "deflate", level, threads);
    }

    @Override
    public Measure compress(Path input, Path output) throws IOException {
        GzipOptions o = options();
        return LibraryRunner.timed(label(), () -> {
            try (InputStream in = Files.newInputStream(input);
                 OutputStream out = new ParallelGzipOutputStream(Files.newOutputStream(output), o)) {
                in.transferTo(out);
            }
        });
    }

    @Override
    public Measure decompress(Path input, OutputStream sink) throws IOException {
        GzipOptions o = options();
        return LibraryRunner.timed(label(), () -> {
            try (InputStream in = new ParallelGzipInputStream(Files.newInputStream(input), o)) {
                in.transferTo(sink);
            }
        });
    }

    private GzipOptions options() throws StepFailedException {
        try {
            return GzipOptions.builder().level(level()).threads(threads()).build();
        } catch (RuntimeException e) {
            throw new StepFailedException(label() + ": " + e.getMessage(), e);
        }
    }
}
