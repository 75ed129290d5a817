package dev.mmh.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link ObjectStore} keeps, run against each real backend (as rclone's fstests): a store is done
 * when this suite passes on it. A subclass opens a fresh, empty store for each test.
 */
public abstract class ObjectStoreContract {

    /** An empty store, private to the current test. */
    protected abstract ObjectStore openEmpty() throws Exception;

    /** Whether this backend's conditional put is atomic (the racing-writers test holds it to exactly one winner). */
    protected abstract boolean atomicPutIfAbsent();

    /**
     * What the store's {@link Capabilities#atomicPutIfAbsent()} says; the same as {@link #atomicPutIfAbsent()}
     * unless the store cannot know (an S3 server that honours {@code If-None-Match} but not atomically).
     */
    protected boolean reportsAtomicPutIfAbsent() {
        return atomicPutIfAbsent();
    }

    /** Checks that a failed put left nothing behind, beyond what {@link ObjectStore#list} shows (temp files). */
    protected void assertNoLeftovers(ObjectStore store) throws Exception {
    }

    /** Size of the "large object" test; above the S3 store's multipart threshold in its subclass. */
    protected long largeSize() {
        return 24L << 20;
    }

    @TempDir
    protected Path tmp;

    protected ObjectStore store;

    @BeforeEach
    void openStore() throws Exception {
        store = openEmpty();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    protected static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    protected static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    protected static Set<String> names(ObjectStore s, String prefix) throws StoreException {
        Set<String> out = new HashSet<>();
        try (Listing l = s.list(prefix)) {
            for (ObjectInfo i; (i = l.next()) != null; ) {
                assertTrue(out.add(i.name()), "listed twice: " + i.name());
            }
        }
        return out;
    }

    @Test
    public void putThenGetGivesTheBytesBack() throws Exception {
        for (int n : new int[] {0, 1, 1000, 300_000}) {
            byte[] b = bytes(n, n);
            store.put("obj/n" + n, Content.of(b));
            assertArrayEquals(b, readAll(store.get("obj/n" + n)), "size " + n);
        }
    }

    @Test
    public void getOfAMissingNameIsNotFound() throws Exception {
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> readAll(store.get("no/such")));
        assertEquals("no/such", e.objectName());
        assertTrue(e.getMessage().contains("no/such"), e.getMessage());
        assertThrows(ObjectNotFoundException.class, () -> readAll(store.get("no/such", 0, 1)));
        store.put("no/other", Content.of(new byte[3]));
        assertThrows(ObjectNotFoundException.class, () -> readAll(store.get("no/such")));
    }

    @Test
    public void rangedGetGivesExactlyTheRange() throws Exception {
        byte[] b = bytes(7, 100_000);
        store.put("r/x", Content.of(b));
        long[][] ranges = {{0, 10}, {0, 100_000}, {99_990, 10}, {12_345, 54_321}, {50_000, 0}, {100_000, 0}};
        for (long[] r : ranges) {
            byte[] got = readAll(store.get("r/x", r[0], r[1]));
            assertArrayEquals(java.util.Arrays.copyOfRange(b, (int) r[0], (int) (r[0] + r[1])), got,
                    r[0] + "+" + r[1]);
        }
        assertThrows(PermanentStoreException.class, () -> readAll(store.get("r/x", 99_990, 11)));
        assertThrows(PermanentStoreException.class, () -> readAll(store.get("r/x", 200_000, 1)));
        assertThrows(IllegalArgumentException.class, () -> store.get("r/x", -1, 1));
    }

    @Test
    public void headGivesSizeAndTime() throws Exception {
        Instant before = Instant.now().minusSeconds(120);
        store.put("h/a", Content.of(new byte[1234]));
        Optional<ObjectInfo> h = store.head("h/a");
        assertTrue(h.isPresent());
        assertEquals("h/a", h.get().name());
        assertEquals(1234, h.get().size());
        assertTrue(h.get().lastModified().isAfter(before), h.get().lastModified().toString());
        assertTrue(h.get().lastModified().isBefore(Instant.now().plusSeconds(120)));
        assertEquals(Optional.empty(), store.head("h/b"));
        assertEquals(Optional.empty(), store.head("h"));
    }

    @Test
    public void listGivesExactlyTheNamesUnderAPrefix() throws Exception {
        for (String n : List.of("a/b/1", "a/b/2", "a/c/3", "ab/4", "b/5", "a/bc/6")) {
            store.put(n, Content.of(n.getBytes()));
        }
        assertEquals(Set.of("a/b/1", "a/b/2", "a/c/3", "a/bc/6"), names(store, "a/"));
        assertEquals(Set.of("a/b/1", "a/b/2", "a/c/3", "ab/4", "a/bc/6"), names(store, "a"));
        assertEquals(Set.of("a/b/1", "a/b/2", "a/bc/6"), names(store, "a/b"));
        assertEquals(Set.of("a/b/1", "a/b/2"), names(store, "a/b/"));
        assertEquals(Set.of("a/b/1"), names(store, "a/b/1"));
        assertEquals(6, names(store, "").size());
        assertEquals(Set.of(), names(store, "zz"));
        assertEquals(Set.of(), names(store, "a/b/1/"));
        try (Listing l = store.list("a/c/")) {
            ObjectInfo i = l.next();
            assertEquals(new ObjectInfo("a/c/3", 5, i.lastModified()), i);
            assertEquals(null, l.next());
            assertEquals(null, l.next());
        }
    }

    @Test
    public void listPagesThroughMoreThanAThousandNames() throws Exception {
        int n = 1_100;
        Set<String> put = new HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = String.format("many/%02x/%06d", i % 16, i);
                put.add(name);
                fs.add(pool.submit(() -> {
                    store.put(name, Content.of(new byte[] {1}));
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        store.put("manyother", Content.of(new byte[1]));
        assertEquals(put, names(store, "many/"));
        // a listing closed early releases what it holds and ends
        Listing l = store.list("many/");
        assertNotNull(l.next());
        l.close();
        assertEquals(null, l.next());
    }

    @Test
    public void deleteRemovesAndIsIdempotent() throws Exception {
        store.put("d/1", Content.of(new byte[] {1}));
        store.put("d/2", Content.of(new byte[] {2}));
        store.delete("d/1");
        assertEquals(Optional.empty(), store.head("d/1"));
        assertThrows(ObjectNotFoundException.class, () -> readAll(store.get("d/1")));
        assertEquals(Set.of("d/2"), names(store, "d/"));
        store.delete("d/1");
        store.delete("never/was");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add("d/m" + i);
            store.put("d/m" + i, Content.of(new byte[] {(byte) i}));
        }
        many.add("d/missing");
        store.delete(many);
        assertEquals(Set.of("d/2"), names(store, "d/"));
    }

    @Test
    public void putIfAbsentRefusesATakenName() throws Exception {
        byte[] first = bytes(1, 5000);
        store.putIfAbsent("c/x", Content.of(first));
        ObjectExistsException e = assertThrows(ObjectExistsException.class,
                () -> store.putIfAbsent("c/x", Content.of(bytes(2, 6000))));
        assertEquals("c/x", e.objectName());
        assertArrayEquals(first, readAll(store.get("c/x")));
        assertEquals(Set.of("c/x"), names(store, "c/"));
        assertNoLeftovers(store);
        assertEquals(reportsAtomicPutIfAbsent(), store.capabilities().atomicPutIfAbsent(),
                store.capabilities().putIfAbsent());
    }

    @Test
    public void racingConditionalWritersHaveExactlyOneWinner() throws Exception {
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < Integer.getInteger("mmh.store.raceRounds", 12); round++) {
                String name = "race/r" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> fs = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    byte[] mine = bytes(round * 100 + w, 20_000 + w);
                    fs.add(pool.submit(() -> {
                        go.await();
                        try {
                            store.putIfAbsent(name, Content.of(mine));
                            return true;
                        } catch (ObjectExistsException e) {
                            return false;
                        }
                    }));
                }
                go.countDown();
                int winners = 0;
                int winner = -1;
                for (int w = 0; w < writers; w++) {
                    if (fs.get(w).get(60, TimeUnit.SECONDS)) {
                        winners++;
                        winner = w;
                    }
                }
                byte[] stored = readAll(store.get(name));
                if (atomicPutIfAbsent()) {
                    assertEquals(1, winners, "round " + round + ": writers that succeeded");
                    assertArrayEquals(bytes(round * 100 + winner, 20_000 + winner), stored, "the winner's bytes");
                } else {
                    assertTrue(winners >= 1, "round " + round);
                    int w = stored.length - 20_000;
                    assertArrayEquals(bytes(round * 100 + w, 20_000 + w), stored, "one writer's bytes, whole");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertNoLeftovers(store);
    }

    @Test
    public void putAgainWithTheSameBytesIsHarmless() throws Exception {
        byte[] b = bytes(3, 70_000);
        store.put("i/x", Content.of(b));
        store.put("i/x", Content.of(b));
        assertArrayEquals(b, readAll(store.get("i/x")));
        assertEquals(Set.of("i/x"), names(store, "i/"));
        // a plain put replaces an object whole
        byte[] c = bytes(4, 1000);
        store.put("i/x", Content.of(c));
        assertArrayEquals(c, readAll(store.get("i/x")));
        assertEquals(1000, store.head("i/x").orElseThrow().size());
    }

    @Test
    public void largeObjectsStreamBothWays() throws Exception {
        long size = largeSize();
        Path f = tmp.resolve("large");
        MessageDigest want = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(f)) {
            byte[] chunk = new byte[1 << 20];
            SplittableRandom r = new SplittableRandom(42);
            for (long done = 0; done < size; ) {
                int n = (int) Math.min(chunk.length, size - done);
                for (int i = 0; i < n; i += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8 && i + k < n; k++) {
                        chunk[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(chunk, 0, n);
                want.update(chunk, 0, n);
                done += n;
            }
        }
        byte[] wantHash = want.digest();
        store.put("big/x", Content.of(f));
        assertEquals(size, store.head("big/x").orElseThrow().size());
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (InputStream in = store.get("big/x")) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                got.update(buf, 0, r);
                n += r;
            }
        }
        assertEquals(size, n);
        assertArrayEquals(wantHash, got.digest());
        // a range across the middle, as a pack reader reads one block
        byte[] mid = readAll(store.get("big/x", size / 2 - 1000, 5000));
        byte[] ref = new byte[5000];
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            ch.read(java.nio.ByteBuffer.wrap(ref), size / 2 - 1000);
        }
        assertArrayEquals(ref, mid);
        // and the same file again, conditionally: refused, and nothing changes
        assertThrows(ObjectExistsException.class, () -> store.putIfAbsent("big/x", Content.of(f)));
        assertEquals(size, store.head("big/x").orElseThrow().size());
    }

    /** Content that fails after {@code failAfter} bytes, like a disk error or a killed producer mid-put. */
    protected static Content failing(long size, long failAfter) {
        return new Content() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    long pos;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (pos >= failAfter) {
                            throw new IOException("source failed at byte " + pos);
                        }
                        int n = (int) Math.min(len, failAfter - pos);
                        java.util.Arrays.fill(b, off, off + n, (byte) 7);
                        pos += n;
                        return n;
                    }
                };
            }
        };
    }

    @Test
    public void anInterruptedPutLeavesNothingVisible() throws Exception {
        for (long[] c : new long[][] {{100_000, 50_000}, {largeSize(), largeSize() / 2 + 12345}}) {
            String name = "x/broken" + c[0];
            StoreException e = assertThrows(StoreException.class, () -> store.put(name, failing(c[0], c[1])));
            assertFalse(e.retryable() && !(e instanceof TransientStoreException), e.toString());
            assertEquals(name, e.objectName());
            assertEquals(Optional.empty(), store.head(name));
            assertThrows(ObjectNotFoundException.class, () -> readAll(store.get(name)));
            assertThrows(StoreException.class, () -> store.putIfAbsent(name, failing(c[0], c[1])));
            assertEquals(Optional.empty(), store.head(name));
        }
        assertEquals(Set.of(), names(store, ""));
        // an earlier object of the name survives a failed replacement whole
        byte[] b = bytes(9, 1000);
        store.put("x/kept", Content.of(b));
        assertThrows(StoreException.class, () -> store.put("x/kept", failing(5000, 2500)));
        assertArrayEquals(b, readAll(store.get("x/kept")));
        assertNoLeftovers(store);
    }

    @Test
    public void contentOfTheWrongSizeIsRefused() throws Exception {
        byte[] b = new byte[100];
        Content liar = new Content() {
            @Override
            public long size() {
                return 150;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(b);
            }
        };
        StoreException e = assertThrows(StoreException.class, () -> store.put("w/short", liar));
        assertFalse(e instanceof TransientStoreException, e.toString());
        assertEquals(Optional.empty(), store.head("w/short"));
        Content longer = new Content() {
            @Override
            public long size() {
                return 50;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(b);
            }
        };
        assertThrows(StoreException.class, () -> store.put("w/long", longer));
        assertEquals(Optional.empty(), store.head("w/long"));
        assertNoLeftovers(store);
    }

    @Test
    public void badNamesAreRefusedBeforeAnyRequest() throws Exception {
        long before = store.metrics().requests();
        for (String bad : new String[] {"", "/a", "a/", "a//b", "../a", "a/../b", ".hidden", "a/.b", "a b", "a\\b",
            "é", "x".repeat(Names.MAX_SEGMENT + 1)}) {
            assertThrows(IllegalArgumentException.class, () -> store.put(bad, Content.of(new byte[1])), bad);
            assertThrows(IllegalArgumentException.class, () -> store.get(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.head(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.delete(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> store.list("/a"));
        assertThrows(IllegalArgumentException.class, () -> store.list("a//"));
        assertEquals(before, store.metrics().requests(), store.metrics().toString());
    }

    @Test
    public void metricsCountRequests() throws Exception {
        store.put("m/a", Content.of(new byte[10]));
        readAll(store.get("m/a"));
        store.head("m/a");
        names(store, "m/");
        store.delete("m/a");
        StoreMetrics m = store.metrics();
        assertTrue(m.count(StoreMetrics.Kind.PUT) >= 1 && m.count(StoreMetrics.Kind.GET) >= 1
                && m.count(StoreMetrics.Kind.HEAD) >= 1 && m.count(StoreMetrics.Kind.LIST) >= 1
                && m.count(StoreMetrics.Kind.DELETE) >= 1, m.toString());
        assertTrue(m.bytesSent() >= 10 && m.bytesReceived() >= 10, m.toString());
    }

    /** Sleeps a little, for tests that need distinct modification times. */
    protected static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
