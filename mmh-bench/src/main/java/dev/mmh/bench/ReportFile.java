package dev.mmh.bench;

import dev.mmh.io.AtomicOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes the bench's report files through {@link AtomicOutput}, like every file mmh writes: a report appears
 * complete or not at all (also on Ctrl-C), and replaces the one of an earlier run.
 */
final class ReportFile {
    /** Writes a file's bytes to a stream it does not close. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private ReportFile() {
    }

    static void write(Path file, Content content) throws IOException {
        try (AtomicOutput out = AtomicOutput.create(file, true)) {
            content.writeTo(out.stream());
            out.commit();
        }
    }

    /** {@code text} as UTF-8. */
    static void write(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
