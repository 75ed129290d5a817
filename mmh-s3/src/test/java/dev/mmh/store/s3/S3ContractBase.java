package dev.mmh.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmh.store.ObjectStore;
import dev.mmh.store.ObjectStoreContract;
import dev.mmh.store.Retry;
import dev.mmh.store.StoreOptions;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The store contract against a real S3 server on loopback: each test gets its own prefix in one bucket. Objects
 * above 8 MiB go up in 5 MiB parts here, so the large-object test runs multipart uploads.
 */
abstract class S3ContractBase extends ObjectStoreContract {
    static final S3Store.Tuning TUNING = new S3Store.Tuning(8L << 20, 5L << 20, 8, Duration.ofSeconds(5),
            Duration.ofSeconds(30), 1000);
    private static final Set<String> BUCKETS = new HashSet<>();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    abstract S3Servers.Server server() throws Exception;

    S3Store lastStore;

    @Override
    protected ObjectStore openEmpty() throws Exception {
        S3Servers.Server s = server();
        String bucket = "contract-" + getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        synchronized (BUCKETS) {
            if (BUCKETS.add(s.name() + bucket)) {
                try (S3Client c = s.client()) {
                    c.createBucket(r -> r.bucket(bucket));
                }
            }
        }
        StoreOptions o = StoreOptions.builder().endpoint(s.endpoint())
                .retry(Retry.of(6, Duration.ofMillis(20), Duration.ofMillis(500))).build();
        lastStore = S3Store.open(URI.create("s3://" + bucket + "/t" + COUNTER.incrementAndGet() + "/repo"), o, TUNING,
                S3Servers.CREDENTIALS);
        return lastStore;
    }

    /** No multipart upload of this test's prefix is left behind by a failed put. */
    @Override
    protected void assertNoLeftovers(ObjectStore store) throws Exception {
        S3Store s = (S3Store) store;
        try (S3Client c = server().client()) {
            int open = c.listMultipartUploads(r -> r.bucket(s.bucket()).prefix(s.prefix())).uploads().size();
            assertEquals(0, open, "incomplete multipart uploads left");
        }
    }

    @Override
    protected long largeSize() {
        return (21L << 20) + 12345; // five parts, the last short
    }
}
