package dev.mmh.chunk;

import dev.mmh.MmhException;
import dev.mmh.analysis.TensorHeaders;
import dev.mmh.analysis.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The forced cuts of a weights file ({@link Chunker#cutAt}): the start and the end of every tensor's data, so that
 * the header and each tensor are chunked apart and a checkpoint that changed some tensors shares the chunks of all
 * the others with the one before. Stateless and thread-safe.
 */
public final class TensorBoundaries {
    private TensorBoundaries() {
    }

    /**
     * The boundaries of a safetensors or GGUF file ({@link TensorHeaders#read}), increasing, each inside
     * {@code (0, size)}. A file of another kind, or whose header is damaged or beyond the parser's limits, has none
     * (an empty array): it is chunked as any other file.
     *
     * @throws IOException only when the file cannot be read
     */
    public static long[] of(Path file) throws IOException {
        List<TensorInfo> tensors;
        try {
            tensors = TensorHeaders.read(file);
        } catch (MmhException e) {
            return new long[0];
        }
        return of(tensors, Files.size(file));
    }

    /** The boundaries of these tensors in a file of {@code size} bytes: increasing, distinct, inside (0, size). */
    public static long[] of(List<TensorInfo> tensors, long size) {
        long[] b = new long[tensors.size() * 2];
        int n = 0;
        for (TensorInfo t : tensors) {
            b[n++] = t.offset();
            b[n++] = t.offset() + t.length();
        }
        Arrays.sort(b, 0, n);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (b[i] > 0 && b[i] < size && (m == 0 || b[m - 1] != b[i])) {
                b[m++] = b[i];
            }
        }
        return Arrays.copyOf(b, m);
    }
}
