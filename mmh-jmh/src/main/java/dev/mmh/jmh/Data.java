package dev.mmh.jmh;

import dev.mmh.bench.DataGenerator;
import dev.mmh.bench.DataKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Benchmark inputs from mmh bench's deterministic generator, so every machine measures the same bytes. */
final class Data {
    private Data() {
    }

    static byte[] generate(DataKind kind, int size) {
        try (InputStream in = DataGenerator.open(kind, size, 1)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
