package dev.mmh.cli;

import dev.mmh.codec.Codec;
import dev.mmh.codec.Codecs;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.Mmh;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Hidden: runs every codec through the engine once on a small input, so that the launcher can record the
 * classes a real run loads into a class-data-sharing archive (faster JVM start-up). Prints nothing.
 */
@Command(name = "__warmup", hidden = true)
final class WarmupCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        byte[] data = new byte[256 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ("mmh warm-up text ".charAt(i % 17) + (i >> 12));
        }
        try (dev.mmh.engine.Workers shared = new dev.mmh.engine.Workers(2)) {
            for (Codec c : Codecs.all()) {
                ByteArrayOutputStream packed = new ByteArrayOutputStream();
                Mmh.compress(new ByteArrayInputStream(data), packed, CompressOptions.builder().codec(c.name())
                        .level(c.fastLevel()).threads(2).blockSize(64 * 1024).build());
                Mmh.decompress(new ByteArrayInputStream(packed.toByteArray()), new ByteArrayOutputStream(), 2);
                // as decompress of several archives does
                Mmh.decompress(new ByteArrayInputStream(packed.toByteArray()), new ByteArrayOutputStream(), shared,
                        n -> { }, () -> { });
            }
        }
        Main.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(
                java.io.Writer.nullWriter())).getUsageMessage();
        return 0;
    }
}
