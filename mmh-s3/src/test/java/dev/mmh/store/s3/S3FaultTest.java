package dev.mmh.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.store.Content;
import dev.mmh.store.IntegrityException;
import dev.mmh.store.Listing;
import dev.mmh.store.ObjectExistsException;
import dev.mmh.store.PermanentStoreException;
import dev.mmh.store.Retry;
import dev.mmh.store.StoreMetrics;
import dev.mmh.store.StoreOptions;
import dev.mmh.store.TransientStoreException;
import dev.mmh.store.s3.FaultProxy.Fault;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 store through a faulty network: a TCP proxy on loopback ({@link FaultProxy}) between the store and
 * s3proxy throttles, fails, delays, drops connections mid-body, cuts responses short and flips bytes. Every put and
 * get either succeeds after retries with the right bytes, or fails with the right exception; nothing corrupt is
 * returned as good and nothing half-written becomes visible.
 */
class S3FaultTest {
    private static final String BUCKET = "faults";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static FaultProxy proxy;
    private static S3Servers.Server server;
    /** To an s3proxy that checks no signatures, so that the proxy may change what a signature covers. */
    private static FaultProxy unsignedProxy;
    private static S3Servers.Server unsigned;

    private S3Store store;

    @BeforeAll
    static void startProxy() throws Exception {
        server = S3Servers.s3proxy();
        try (S3Client c = server.client()) {
            c.createBucket(r -> r.bucket(BUCKET));
        }
        proxy = new FaultProxy(server.endpoint());
        unsigned = S3Servers.s3proxyUnsigned();
        try (S3Client c = unsigned.client()) {
            c.createBucket(r -> r.bucket(BUCKET));
        }
        unsignedProxy = new FaultProxy(unsigned.endpoint());
    }

    @AfterAll
    static void stopProxy() throws Exception {
        proxy.close();
        unsignedProxy.close();
    }

    @BeforeEach
    void open() throws Exception {
        proxy.plan(r -> Fault.PASS);
        store = open(Retry.of(10, Duration.ofMillis(5), Duration.ofMillis(100)), Duration.ofSeconds(30));
    }

    private S3Store open(Retry retry, Duration readTimeout) throws Exception {
        return open(proxy, retry, readTimeout);
    }

    private S3Store open(FaultProxy via, Retry retry, Duration readTimeout) throws Exception {
        S3Store.Tuning t = new S3Store.Tuning(8L << 20, 5L << 20, 4, Duration.ofSeconds(5), readTimeout, 1000);
        return S3Store.open(URI.create("s3://" + BUCKET + "/f" + COUNTER.incrementAndGet()),
                StoreOptions.builder().endpoint(via.endpoint()).retry(retry).build(), t, S3Servers.CREDENTIALS);
    }

    private void reopenUnsigned() throws Exception {
        store.close();
        store = open(unsignedProxy, Retry.of(10, Duration.ofMillis(5), Duration.ofMillis(100)),
                Duration.ofSeconds(30));
    }

    @AfterEach
    void close() {
        proxy.plan(r -> Fault.PASS);
        unsignedProxy.plan(r -> Fault.PASS);
        store.close();
    }

    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(InputStream in) throws Exception {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static int count(S3Store s, String prefix) throws Exception {
        int n = 0;
        try (Listing l = s.list(prefix)) {
            while (l.next() != null) {
                n++;
            }
        }
        return n;
    }

    /** The first request to each distinct target (method, path and query) gets the fault; retries pass. */
    private static java.util.function.Function<FaultProxy.Request, Fault> onceEach(Fault f,
            java.util.function.Predicate<FaultProxy.Request> which) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        return r -> which.test(r) && seen.add(r.method() + " " + r.target()) ? f : Fault.PASS;
    }

    @Test
    void throttlingAndServerErrorsAreRetried() throws Exception {
        SplittableRandom rnd = new SplittableRandom(17);
        proxy.plan(r -> {
            int x;
            synchronized (rnd) {
                x = rnd.nextInt(100);
            }
            return x < 20 ? Fault.SLOW_DOWN : x < 30 ? Fault.SERVER_ERROR : Fault.PASS;
        });
        int before = proxy.faults();
        for (int i = 0; i < 12; i++) {
            byte[] b = bytes(i, 1000 * (i + 1) * (i + 1));
            store.put("p/o" + i, Content.of(b));
            assertArrayEquals(b, read(store.get("p/o" + i)));
            assertArrayEquals(Arrays.copyOfRange(b, 10, 500), read(store.get("p/o" + i, 10, 490)));
            assertEquals(b.length, store.head("p/o" + i).orElseThrow().size());
        }
        byte[] big = bytes(99, (12 << 20) + 7);
        store.putIfAbsent("p/big", Content.of(big));
        assertArrayEquals(big, read(store.get("p/big")));
        assertEquals(13, count(store, "p/"));
        store.delete("p/o0");
        assertEquals(Optional.empty(), store.head("p/o0"));
        assertTrue(proxy.faults() - before > 10, "faults injected: " + (proxy.faults() - before));
        assertTrue(store.metrics().retries() >= proxy.faults() - before, store.metrics().toString());
    }

    @Test
    void connectionsDroppedMidBodyAreRetried() throws Exception {
        int before = proxy.faults(Fault.DROP_REQUEST);
        proxy.plan(onceEach(Fault.DROP_REQUEST, FaultProxy.Request::isPut));
        byte[] small = bytes(1, 200_000);
        byte[] big = bytes(2, (11 << 20) + 3);
        store.put("d/small", Content.of(small));
        store.put("d/big", Content.of(big));
        assertEquals(4, proxy.faults(Fault.DROP_REQUEST) - before, "one PUT and three parts dropped");
        assertArrayEquals(small, read(store.get("d/small")));
        assertArrayEquals(big, read(store.get("d/big")));
    }

    @Test
    void cutResponsesResumeWhereTheyStopped() throws Exception {
        byte[] b = bytes(3, 3 << 20);
        store.put("c/x", Content.of(b));
        AtomicInteger cuts = new AtomicInteger(3);
        proxy.plan(r -> r.isGet() && cuts.getAndDecrement() > 0 ? Fault.CUT_RESPONSE : Fault.PASS);
        long gets = store.metrics().count(StoreMetrics.Kind.GET);
        assertArrayEquals(b, read(store.get("c/x")));
        assertEquals(4, store.metrics().count(StoreMetrics.Kind.GET) - gets, "one GET and three resumed ones");
        cuts.set(2);
        assertArrayEquals(Arrays.copyOfRange(b, 1000, 2_001_000), read(store.get("c/x", 1000, 2_000_000)));
    }

    @Test
    void corruptResponsesAreNeverReturnedAsGood() throws Exception {
        byte[] b = bytes(4, 1 << 20);
        store.put("k/x", Content.of(b));
        proxy.plan(r -> r.isGet() ? Fault.CORRUPT_RESPONSE : Fault.PASS);
        IntegrityException e = assertThrows(IntegrityException.class, () -> read(store.get("k/x")));
        assertEquals("k/x", e.objectName());
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
        proxy.plan(r -> Fault.PASS);
        assertArrayEquals(b, read(store.get("k/x")));
    }

    @Test
    void corruptUploadsAreRefusedByTheServerAndSentAgain() throws Exception {
        // signed (SigV4 over HTTP signs the body): the server finds that the signature does not match
        corruptUploads(proxy);
    }

    @Test
    void corruptUploadsAreCaughtByContentMd5WhereNoSignatureCoversTheBody() throws Exception {
        reopenUnsigned();
        corruptUploads(unsignedProxy);
    }

    private void corruptUploads(FaultProxy via) throws Exception {
        byte[] b = bytes(5, 300_000);
        byte[] big = bytes(55, (9 << 20) + 1);
        int before = via.faults(Fault.CORRUPT_REQUEST);
        via.plan(onceEach(Fault.CORRUPT_REQUEST, FaultProxy.Request::isPut));
        store.put("u/x", Content.of(b));
        store.put("u/big", Content.of(big));
        assertEquals(3, via.faults(Fault.CORRUPT_REQUEST) - before, "one PUT and two parts damaged once");
        assertArrayEquals(b, read(store.get("u/x")));
        assertArrayEquals(big, read(store.get("u/big")));
        // always corrupted: refused every time, and nothing becomes visible
        via.plan(r -> r.isPut() ? Fault.CORRUPT_REQUEST : Fault.PASS);
        IntegrityException e = assertThrows(IntegrityException.class, () -> store.put("u/y", Content.of(b)));
        assertEquals("u/y", e.objectName());
        via.plan(r -> Fault.PASS);
        assertEquals(Optional.empty(), store.head("u/y"));
    }

    @Test
    void slowResponsesPastTheReadTimeoutAreRetried() throws Exception {
        store.close();
        store = open(Retry.of(4, Duration.ofMillis(5), Duration.ofMillis(50)), Duration.ofMillis(700));
        proxy.delayMillis = 1500;
        byte[] b = bytes(6, 50_000);
        int before = proxy.faults(Fault.DELAY);
        proxy.plan(onceEach(Fault.DELAY, r -> r.isPut() || r.isGet()));
        store.put("s/x", Content.of(b));
        assertArrayEquals(b, read(store.get("s/x")));
        assertEquals(2, proxy.faults(Fault.DELAY) - before, "one PUT and one GET held back");
        assertTrue(store.metrics().retries() >= 2, store.metrics().toString());
    }

    @Test
    void aFailureThatLastsIsTransientNamesTheObjectAndLeavesNothing() throws Exception {
        AtomicInteger puts = new AtomicInteger();
        proxy.plan(r -> r.isPut() && puts.incrementAndGet() > 0 ? Fault.SLOW_DOWN : Fault.PASS);
        TransientStoreException e = assertThrows(TransientStoreException.class,
                () -> store.put("t/x", Content.of(new byte[100])));
        assertEquals("t/x", e.objectName());
        assertTrue(e.getMessage().contains("SlowDown") && e.getMessage().contains("t/x"), e.getMessage());
        assertEquals(10, puts.get(), "attempts");
        proxy.plan(r -> Fault.PASS);
        assertEquals(Optional.empty(), store.head("t/x"));
    }

    @Test
    void aFailedMultipartUploadIsAborted() throws Exception {
        proxy.plan(r -> r.isPut() && r.target().contains("partNumber=2") ? Fault.SERVER_ERROR : Fault.PASS);
        assertThrows(TransientStoreException.class, () -> store.put("m/x", Content.of(bytes(7, 12 << 20))));
        proxy.plan(r -> Fault.PASS);
        assertEquals(Optional.empty(), store.head("m/x"));
        assertEquals(1, store.metrics().count(StoreMetrics.Kind.MULTIPART_ABORT));
        try (S3Client c = server.client()) {
            assertEquals(0, c.listMultipartUploads(r -> r.bucket(BUCKET).prefix(store.prefix())).uploads().size());
        }
    }

    @Test
    void aServerThatIgnoresIfNoneMatchIsFoundAndWorkedAround() throws Exception {
        reopenUnsigned();
        assertEquals(S3Store.ConditionalWrites.UNKNOWN, store.conditionalWrites());
        unsignedProxy.plan(r -> Fault.STRIP_IF_NONE_MATCH);
        byte[] first = bytes(8, 1000);
        store.putIfAbsent("i/x", Content.of(first));
        assertEquals(S3Store.ConditionalWrites.IGNORED, store.conditionalWrites());
        assertEquals(false, store.capabilities().atomicPutIfAbsent());
        assertTrue(store.capabilities().putIfAbsent().contains("ignores"), store.capabilities().putIfAbsent());
        assertThrows(ObjectExistsException.class, () -> store.putIfAbsent("i/x", Content.of(bytes(9, 1000))));
        assertArrayEquals(first, read(store.get("i/x")));
        // the probe leaves nothing behind
        assertEquals(1, count(store, ""));
        try (S3Client c = unsigned.client()) {
            assertEquals(1, c.listObjectsV2(r -> r.bucket(BUCKET).prefix(store.prefix())).contents().size());
        }
    }

    @Test
    void aServerThatIgnoresRangesIsNeverSplicedIn() throws Exception {
        reopenUnsigned();
        byte[] b = bytes(10, 2 << 20);
        store.put("g/x", Content.of(b));
        unsignedProxy.plan(r -> r.isGet() ? Fault.STRIP_RANGE : Fault.PASS);
        PermanentStoreException e = assertThrows(PermanentStoreException.class,
                () -> read(store.get("g/x", 1000, 500)));
        assertTrue(e.getMessage().contains("ranged GET"), e.getMessage());
        // a whole get cut short resumes with a ranged GET: refused too, rather than the first bytes again
        AtomicInteger n = new AtomicInteger();
        unsignedProxy.plan(r -> !r.isGet() ? Fault.PASS : n.getAndIncrement() == 0 ? Fault.CUT_RESPONSE
                : Fault.STRIP_RANGE);
        assertThrows(PermanentStoreException.class, () -> read(store.get("g/x")));
        unsignedProxy.plan(r -> Fault.PASS);
        assertArrayEquals(Arrays.copyOfRange(b, 1000, 1500), read(store.get("g/x", 1000, 500)));
    }

    @Test
    void aConditionalWriteWhoseAnswerWasLostIsNotMistakenForALoss() throws Exception {
        store.putIfAbsent("l/probe", Content.of(new byte[1])); // the probe runs before the faults
        byte[] small = bytes(11, 100_000);
        byte[] big = bytes(12, (9 << 20) + 5);
        proxy.plan(onceEach(Fault.LOSE_RESPONSE, r -> r.isPut() || r.method().equals("POST")
                && r.target().contains("uploadId=")));
        store.putIfAbsent("l/small", Content.of(small)); // the retry gets 412: its own object
        store.putIfAbsent("l/big", Content.of(big)); // parts and the complete answered once each into the void
        proxy.plan(r -> Fault.PASS);
        assertArrayEquals(small, read(store.get("l/small")));
        assertArrayEquals(big, read(store.get("l/big")));
        // another writer's object is still another's
        proxy.plan(onceEach(Fault.LOSE_RESPONSE, FaultProxy.Request::isPut));
        assertThrows(ObjectExistsException.class, () -> store.putIfAbsent("l/small", Content.of(bytes(13, 100_000))));
    }

    @Test
    void anHonouringServerIsFoundToBeSo() throws Exception {
        store.putIfAbsent("h/x", Content.of(new byte[1]));
        assertEquals(S3Store.ConditionalWrites.HONOURED, store.conditionalWrites());
        assertTrue(store.capabilities().atomicPutIfAbsent());
    }
}
