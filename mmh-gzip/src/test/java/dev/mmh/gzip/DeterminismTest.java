package dev.mmh.gzip;

import static dev.mmh.gzip.GzipTestSupport.gunzip;
import static dev.mmh.gzip.GzipTestSupport.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import org.junit.jupiter.api.Test;

/** The bytes out depend on the input and options, never on threads or how the input was written. */
class DeterminismTest {
    private final byte[] data = GzipTestSupport.concat(GzipTestSupport.text(700_000, 1),
            GzipTestSupport.random(100_000, 2), GzipTestSupport.text(300_000, 3));

    @Test
    void sameBytesForOneTwoAndEightThreads() throws IOException {
        for (DeflateBackend b : GzipTestSupport.backends()) {
            for (int level : new int[] {1, 6}) {
                GzipOptions base = GzipOptions.builder().level(level).blockSize(level == 1 ? 0 : 100_000).backend(b)
                        .build();
                byte[] one = gzip(data, base.toBuilder().threads(1).build());
                byte[] two = gzip(data, base.toBuilder().threads(2).build());
                byte[] eight = gzip(data, base.toBuilder().threads(8).build());
                assertArrayEquals(one, two, b.name() + " level " + level + ": 1 vs 2 threads");
                assertArrayEquals(one, eight, b.name() + " level " + level + ": 1 vs 8 threads");
                assertArrayEquals(data, gunzip(one, base.toBuilder().threads(8).build()));
            }
        }
    }

    @Test
    void sameBytesWhateverTheWriteSizes() throws IOException {
        GzipOptions o = GzipOptions.builder().level(6).threads(2).blockSize(64 << 10).build();
        byte[] whole = gzip(data, o);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(bos, o)) {
            int pos = 0;
            int step = 1;
            while (pos < data.length) {
                int n = Math.min(step, data.length - pos);
                if (n == 1) {
                    gz.write(data[pos]);
                } else {
                    gz.write(data, pos, n);
                }
                pos += n;
                step = step * 3 % 70_001 + 1;
            }
        }
        assertArrayEquals(whole, bos.toByteArray());
        ByteArrayOutputStream viaChannel = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(viaChannel, o)) {
            long n = gz.transferFrom(Channels.newChannel(GzipTestSupport.oneByteAtATime(data)));
            assertEquals(data.length, n);
        }
        assertArrayEquals(whole, viaChannel.toByteArray());
    }
}
