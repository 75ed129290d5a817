package dev.mmh.gzip;

import static dev.mmh.gzip.GzipTestSupport.gunzip;
import static dev.mmh.gzip.GzipTestSupport.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.work.WorkerPool;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** gzip streams on one shared worker pool: several at once, and one closed half-way. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedPoolTest {
    @Test
    void streamsOnASharedPoolWriteAndReadWhatStreamsOfTheirOwnDo() throws Exception {
        List<byte[]> data = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            data.add(GzipTestSupport.concat(GzipTestSupport.text(200_000 + 50_000 * k, k),
                    GzipTestSupport.random(30_000, k)));
        }
        ExecutorService callers = Executors.newFixedThreadPool(3);
        ExecutorService threads = Executors.newCachedThreadPool();
        AtomicLong workersStarted = new AtomicLong();
        try (WorkerPool pool = WorkerPool.on(r -> {
            workersStarted.incrementAndGet();
            threads.execute(r);
        }, 2)) {
            for (DeflateBackend b : GzipTestSupport.backends()) {
                GzipOptions own = GzipOptions.builder().level(6).blockSize(64 << 10).backend(b).threads(2).build();
                GzipOptions shared = own.toBuilder().pool(pool).build();
                assertEquals(2, shared.threads());
                List<Future<byte[]>> packed = new ArrayList<>();
                for (byte[] d : data) {
                    packed.add(callers.submit(() -> gzip(d, shared)));
                }
                List<Future<byte[]>> unpacked = new ArrayList<>();
                for (int k = 0; k < data.size(); k++) {
                    byte[] gz = packed.get(k).get();
                    assertTrue(workersStarted.get() > 0, "the members were compressed on the shared pool");
                    assertArrayEquals(gzip(data.get(k), own), gz, b.name() + " stream " + k);
                    unpacked.add(callers.submit(() -> gunzip(gz, shared)));
                }
                for (int k = 0; k < data.size(); k++) {
                    assertArrayEquals(data.get(k), unpacked.get(k).get(), b.name() + " stream " + k);
                }
            }
        } finally {
            callers.shutdown();
            threads.shutdown();
        }
    }

    @Test
    void aStreamClosedHalfWayLeavesTheSharedPoolToTheOthers() throws Exception {
        byte[] data = GzipTestSupport.text(3_000_000, 7);
        try (WorkerPool pool = new WorkerPool(2)) {
            GzipOptions o = GzipOptions.builder().level(1).threads(2).pool(pool).build();
            byte[] gz = gzip(data, o);
            try (ParallelGzipInputStream in = new ParallelGzipInputStream(new ByteArrayInputStream(gz), o)) {
                assertEquals(100_000, in.readNBytes(new byte[100_000], 0, 100_000));
            } // members still queued and inflating: cancelled and waited for
            assertArrayEquals(data, gunzip(gz, o), "the pool runs the next stream");
            assertArrayEquals(gz, gzip(data, o));
        }
    }
}
