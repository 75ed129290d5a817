package dev.mmh.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.store.Content;
import dev.mmh.store.ObjectStore;
import dev.mmh.store.PermanentStoreException;
import dev.mmh.store.Retry;
import dev.mmh.store.StoreOptions;
import dev.mmh.store.Stores;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/** Opening S3 stores: URLs, the SDK's credential chain, and what a missing bucket or a wrong key gives. */
class S3StoreTest {

    @Test
    void urlsNameABucketAndAPrefix() {
        assertArrayEquals(new String[] {"bkt", ""}, S3Store.parse(URI.create("s3://bkt")));
        assertArrayEquals(new String[] {"bkt", ""}, S3Store.parse(URI.create("s3://bkt/")));
        assertArrayEquals(new String[] {"bkt", "a/b/"}, S3Store.parse(URI.create("s3://bkt/a/b")));
        assertArrayEquals(new String[] {"my.bucket-1", "repo/"}, S3Store.parse(URI.create("s3://my.bucket-1/repo/")));
        for (String bad : new String[] {"http://bkt/a", "s3://B/a", "s3://ab/x", "s3://bkt/a//b", "s3://bkt/.a"}) {
            assertThrows(IllegalArgumentException.class, () -> S3Store.parse(URI.create(bad)), bad);
        }
    }

    @Test
    void storesOpenS3UrlsWithTheSdksCredentialChain() throws Exception {
        S3Servers.Server s = S3Servers.s3proxy();
        try (S3Client c = s.client()) {
            c.createBucket(r -> r.bucket("chain"));
        }
        // the SDK's default chain reads these system properties before the environment and ~/.aws
        System.setProperty("aws.accessKeyId", S3Servers.ACCESS);
        System.setProperty("aws.secretAccessKey", S3Servers.SECRET);
        try {
            StoreOptions o = StoreOptions.builder().endpoint(s.endpoint()).build();
            try (ObjectStore store = Stores.open("s3://chain/some/repo", o)) {
                assertTrue(store instanceof S3Store, store.getClass().toString());
                assertEquals("s3://chain/some/repo", store.url());
                store.put("config", Content.of(new byte[] {1, 2}));
            }
            try (S3Client c = s.client()) {
                assertEquals(2, c.headObject(r -> r.bucket("chain").key("some/repo/config")).contentLength());
            }
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    private static S3Store open(String url, S3Store.Tuning t) throws Exception {
        S3Servers.Server s = S3Servers.s3proxy();
        try (S3Client c = s.client()) {
            String bucket = URI.create(url).getAuthority();
            if (!c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket))) {
                c.createBucket(r -> r.bucket(bucket));
            }
        }
        return S3Store.open(URI.create(url), StoreOptions.builder().endpoint(s.endpoint()).build(), t,
                S3Servers.CREDENTIALS);
    }

    @Test
    void incompleteUploadsOfKilledPutsAreRemovedWhenOldEnough() throws Exception {
        try (S3Store store = open("s3://leftovers/repo", S3Store.Tuning.DEFAULTS); S3Client c =
                S3Servers.s3proxy().client()) {
            // what a put killed between its parts leaves: an upload that was never completed nor aborted
            c.createMultipartUpload(r -> r.bucket("leftovers").key("repo/packs/ab/killed"));
            c.createMultipartUpload(r -> r.bucket("leftovers").key("elsewhere/not-ours"));
            assertEquals(0, store.removeIncomplete(Duration.ofHours(1)), "too young");
            Thread.sleep(1100);
            assertEquals(1, store.removeIncomplete(Duration.ofSeconds(1)));
            assertEquals(0, c.listMultipartUploads(r -> r.bucket("leftovers").prefix("repo/")).uploads().size());
            assertEquals(1, c.listMultipartUploads(r -> r.bucket("leftovers")).uploads().size(), "other prefixes kept");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void getsReadToTheEndGiveTheirConnectionBackWithoutClose() throws Exception {
        S3Store.Tuning one = new S3Store.Tuning(64L << 20, 32L << 20, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(30), 1000);
        try (S3Store store = open("s3://pool/repo", one)) {
            store.put("x", Content.of(new byte[5000]));
            for (int i = 0; i < 5; i++) {
                assertEquals(5000, store.get("x").readAllBytes().length); // not closed, on purpose
            }
            store.head("x");
        }
    }

    @Test
    void aMissingBucketOrAWrongKeyFailsAtOpenInOneLine() throws Exception {
        S3Servers.Server s = S3Servers.s3proxy();
        StoreOptions o = StoreOptions.builder().endpoint(s.endpoint())
                .retry(Retry.of(3, Duration.ofMillis(1), Duration.ofMillis(5))).build();
        PermanentStoreException e = assertThrows(PermanentStoreException.class, () -> S3Store.open(
                URI.create("s3://no-such-bucket/x"), o, S3Store.Tuning.DEFAULTS, S3Servers.CREDENTIALS));
        assertTrue(e.getMessage().startsWith("s3://no-such-bucket/x: no such bucket"), e.getMessage());
        try (S3Client c = s.client()) {
            c.createBucket(r -> r.bucket("wrongkey"));
        }
        PermanentStoreException d = assertThrows(PermanentStoreException.class, () -> S3Store.open(
                URI.create("s3://wrongkey"), o, S3Store.Tuning.DEFAULTS,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Servers.ACCESS, "wrong"))));
        assertTrue(d.getMessage().contains("access denied"), d.getMessage());
        assertTrue(!d.getMessage().contains("\n"), d.getMessage());
    }
}
