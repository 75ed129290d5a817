package dev.mmh.gzip;

import static dev.mmh.gzip.GzipTestSupport.gunzip;
import static dev.mmh.gzip.GzipTestSupport.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mmh.MmhException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Random damage (bit flips, overwritten runs, cuts, inserted bytes) to marked and unmarked gzip: the decoder
 * either returns data or throws from the dev.mmh family, never another exception, and never hangs.
 */
class MutationTest {
    @Test
    void damagedInputFailsOnlyThroughTheMmhFamily() throws IOException {
        byte[] data = GzipTestSupport.text(60_000, 8);
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(jdk)) {
            g.write(data);
        }
        byte[][] inputs = {
            gzip(data, GzipOptions.builder().level(6).threads(2).blockSize(8 << 10).build()),
            gzip(data, GzipOptions.builder().level(6).threads(2).blockSize(70_000).name("n").build()),
            jdk.toByteArray(),
        };
        Random r = new Random(42);
        for (GzipOptions o : new GzipOptions[] {GzipOptions.builder().threads(2).build(),
            GzipOptions.builder().threads(2).backend(DeflateBackend.jdk()).build()}) {
            for (byte[] valid : inputs) {
                assertArrayEquals(data, gunzip(valid, o));
                for (int i = 0; i < 150; i++) {
                    byte[] bad = mutate(valid, r);
                    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                        try {
                            gunzip(bad, o);
                        } catch (MmhException expected) {
                            // the only way a decoder may fail
                        }
                    });
                }
            }
        }
    }

    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    int i = r.nextInt(b.length);
                    b[i] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                int i = r.nextInt(Math.min(b.length, 64));
                Arrays.fill(b, i, Math.min(b.length, i + 1 + r.nextInt(6)), (byte) r.nextInt(256));
            }
            case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            default -> {
                int i = r.nextInt(b.length);
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, i);
                c[i] = (byte) r.nextInt(256);
                System.arraycopy(b, i, c, i + 1, b.length - i);
                b = c;
            }
        }
        return b;
    }
}
