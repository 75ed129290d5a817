package dev.mmh.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * One compressor at one level and thread count, able to compress a file and to decompress what it wrote.
 * Implementations are used by one thread at a time.
 */
public interface Runner {
    /** How the compressor is run. */
    enum Mode {
        /** A system tool such as {@code zstd}, one process per file. */
        TOOL("system tool"),
        /** mmh through its Java library, inside the benchmark's JVM (no start-up cost). */
        LIB("mmh in-process (library)"),
        /** mmh through its command-line launcher, one process per file (JVM start-up included). */
        CLI("mmh whole-process (CLI)");

        private final String description;

        Mode(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        public String label() {
            return this == TOOL ? "tool" : this == LIB ? "lib" : "cli";
        }
    }

    Mode mode();

    /** Program name: {@code zstd}, {@code pigz}, {@code mmh}... */
    String tool();

    /** Codec family shared by the tools that write compatible formats: zstd, lz4, xz, deflate, brotli, bzip2. */
    String family();

    int level();

    /** Worker threads asked for. */
    int threads();

    /** Unique row label: {@code zstd -3 T1}, {@code mmh lib zstd -3 T2}. */
    default String label() {
        String who = mode() == Mode.TOOL ? tool() : "mmh " + mode().label() + " " + family();
        return who + " -" + level() + " T" + threads();
    }

    /**
     * Compresses {@code input} into the new file {@code output}.
     *
     * @throws StepFailedException when the compressor fails
     */
    Measure compress(Path input, Path output) throws IOException;

    /**
     * Decompresses {@code input} (written by {@link #compress}) into {@code sink}, which is not closed.
     *
     * @throws StepFailedException when the decompressor fails
     */
    Measure decompress(Path input, OutputStream sink) throws IOException;
}
