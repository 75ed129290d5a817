package dev.mmh.store.s3;

import dev.mmh.store.Capabilities;
import dev.mmh.store.Content;
import dev.mmh.store.IntegrityException;
import dev.mmh.store.Listing;
import dev.mmh.store.Names;
import dev.mmh.store.ObjectExistsException;
import dev.mmh.store.ObjectInfo;
import dev.mmh.store.ObjectNotFoundException;
import dev.mmh.store.ObjectStore;
import dev.mmh.store.PermanentStoreException;
import dev.mmh.store.Retry;
import dev.mmh.store.StoreException;
import dev.mmh.store.StoreMetrics;
import dev.mmh.store.StoreOptions;
import dev.mmh.store.TransientStoreException;
import dev.mmh.store.s3.S3Errors.Op;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A store in an S3 bucket, on AWS or an S3-compatible server: {@code s3://bucket/prefix}, object {@code a/b} is the
 * key {@code prefix/a/b}.
 *
 * <h2>Reaching the server</h2>
 * Through the AWS SDK for Java v2 with its usual configuration: credentials from the default chain
 * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code AWS_PROFILE} and {@code ~/.aws/credentials},
 * SSO, container and instance roles; for a server given by endpoint the Java properties, the environment and the
 * profile only), the region from {@link StoreOptions#region()} or the SDK's chain
 * ({@code AWS_REGION}, {@code ~/.aws/config}, on EC2 the instance's; for a server given by endpoint the first two
 * only, else {@code us-east-1}), the endpoint from
 * {@link StoreOptions#endpoint()} ({@code --endpoint}) or {@code AWS_ENDPOINT_URL}, path-style addressing for a
 * server given by endpoint. One blocking HTTP client with a bounded pool ({@link Tuning#maxConnections()}).
 *
 * <h2>What it guarantees</h2>
 * <ul>
 *   <li><b>Atomic puts</b>: S3 makes an object visible only when its PUT (or its multipart upload's complete)
 *       succeeds. Objects above {@link Tuning#multipartThreshold()} go up in parts of {@link Tuning#partSize()},
 *       each retried alone; a failed upload is aborted (a killed process leaves an incomplete upload, invisible
 *       and billed until a lifecycle rule or {@code aws s3api abort-multipart-upload} removes it).</li>
 *   <li><b>Conditional puts</b> with {@code If-None-Match: *} (on the PUT, or on the complete of a multipart
 *       upload, after a HEAD that spares uploading a large object that exists). AWS S3 has honoured it since August
 *       2024, atomically; some servers honour it, some ignore it (and overwrite), some refuse it. The store finds out
 *       on its first conditional put by a probe (two conditional PUTs of a hidden {@code .mmh-probe-...} object,
 *       then a DELETE: 3 requests once per store object), reports it in {@link #conditionalWrites()} and
 *       {@link #capabilities()}, and where the server does not honour it falls back to HEAD, then PUT: not atomic
 *       (two writers racing between the HEAD and the PUT both succeed, the later object whole).</li>
 *   <li><b>Checked transfers</b>: every PUT and part carries {@code Content-MD5}, so the server refuses bytes
 *       damaged on the way ({@code BadDigest}: retried, then an {@link IntegrityException}); every object carries
 *       the CRC32C of its bytes as user metadata ({@code x-amz-meta-mmh-crc32c}), which a whole get checks at the
 *       end of the stream. A ranged get checks its length; the repository's blocks carry their own checksums.</li>
 *   <li><b>Retries in one place</b>: the SDK's own retries are off; every request goes through the store's
 *       {@link Retry} (throttling 503 SlowDown and 429, 500s, resets, timeouts). A get whose connection drops or
 *       whose response is cut short resumes with a ranged GET from the byte it reached ({@code If-Match} on the
 *       ETag, so it never splices two versions of an object).</li>
 * </ul>
 * The contents are sent twice from the caller's {@link Content}: once to compute the checksums, once to send them.
 * Thread-safe; {@link #close()} closes the HTTP connections.
 */
public final class S3Store implements ObjectStore {
    static final String CRC_METADATA = "mmh-crc32c";

    /**
     * How large objects are cut, and the HTTP client's limits.
     *
     * @param multipartThreshold objects larger than this (bytes) go up as multipart uploads
     * @param partSize bytes per part (at least 5 MiB, S3's minimum, except for tests against servers that allow less)
     * @param maxConnections the HTTP connection pool's size
     * @param connectTimeout to open a connection
     * @param readTimeout of silence on an open connection before it counts as dropped
     * @param listPageSize names per LIST request (at most 1,000)
     */
    public record Tuning(long multipartThreshold, long partSize, int maxConnections, Duration connectTimeout,
            Duration readTimeout, int listPageSize) {
        /** 64 MiB threshold, 32 MiB parts, 16 connections, 10 s to connect, 60 s of silence, 1,000 names a page. */
        public static final Tuning DEFAULTS = new Tuning(64L << 20, 32L << 20, 16, Duration.ofSeconds(10),
                Duration.ofSeconds(60), 1000);

        public Tuning {
            if (partSize < 1 || multipartThreshold < partSize || maxConnections < 1 || listPageSize < 1
                    || listPageSize > 1000) {
                throw new IllegalArgumentException("bad S3 tuning: " + multipartThreshold + ", " + partSize + ", "
                        + maxConnections + ", " + listPageSize);
            }
        }
    }

    /** What the server does with {@code If-None-Match: *} on a PUT. */
    public enum ConditionalWrites {
        /** Not probed yet (no conditional put so far). */
        UNKNOWN,
        /** Refuses a second conditional PUT of a name with 412: honoured. */
        HONOURED,
        /** Accepts the header and overwrites anyway. */
        IGNORED,
        /** Refuses the header (e.g. 501 Not Implemented). */
        REFUSED
    }

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String url;
    private final Retry retry;
    private final Tuning tuning;
    private final StoreMetrics metrics = new StoreMetrics();
    private volatile ConditionalWrites conditional = ConditionalWrites.UNKNOWN;

    private S3Store(S3Client s3, String bucket, String prefix, Retry retry, Tuning tuning) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.url = "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
        this.retry = retry;
        this.tuning = tuning;
    }

    /** Opens {@code s3://bucket/prefix} with default tuning; see {@link #open(URI, StoreOptions, Tuning)}. */
    public static S3Store open(URI url, StoreOptions options) throws StoreException {
        return open(url, options, Tuning.DEFAULTS);
    }

    /**
     * Opens {@code s3://bucket/prefix} and checks that the bucket exists (one HEAD request).
     *
     * @throws IllegalArgumentException if the URL is not {@code s3://bucket[/prefix]} with a valid bucket name and a
     *     prefix that follows {@link Names}
     * @throws PermanentStoreException if there is no such bucket, access is denied or no region is configured
     */
    public static S3Store open(URI url, StoreOptions options, Tuning tuning) throws StoreException {
        // with an endpoint the server is not AWS: keys from the Java properties, the environment or the profile,
        // never the container or EC2 instance roles that the SDK's default chain asks last (over the network)
        AwsCredentialsProvider credentials = options.endpoint() != null ? AwsCredentialsProviderChain.of(
                SystemPropertyCredentialsProvider.create(), EnvironmentVariableCredentialsProvider.create(),
                ProfileCredentialsProvider.create()) : DefaultCredentialsProvider.builder().build();
        return open(url, options, tuning, credentials);
    }

    /** As {@link #open(URI, StoreOptions, Tuning)}, with the given credentials instead of the SDK's chain. */
    public static S3Store open(URI url, StoreOptions options, Tuning tuning, AwsCredentialsProvider credentials)
            throws StoreException {
        String[] bp = parse(url);
        String where = url.toString();
        S3ClientBuilder b = S3Client.builder()
                .credentialsProvider(credentials)
                .region(region(options, where))
                .forcePathStyle(options.pathStyle() != null ? options.pathStyle() : options.endpoint() != null)
                // checksums are the store's own (Content-MD5 and a CRC32C in metadata): the SDK's default trailing
                // checksums (aws-chunked with a trailer) are refused by many S3-compatible servers
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // retries happen in one place, the store's Retry policy
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(tuning.maxConnections())
                        .connectionTimeout(tuning.connectTimeout())
                        .socketTimeout(tuning.readTimeout())
                        .expectContinueEnabled(false));
        if (options.endpoint() != null) {
            b.endpointOverride(options.endpoint());
        }
        S3Client client = b.build();
        S3Store store = new S3Store(client, bp[0], bp[1], options.retry(), tuning);
        try {
            store.call(null, Op.BUCKET, StoreMetrics.Kind.HEAD, a -> client.headBucket(r -> r.bucket(bp[0])));
        } catch (StoreException e) {
            client.close();
            throw e;
        }
        return store;
    }

    /** {@code [bucket, prefix]} of {@code s3://bucket/prefix}; the prefix is empty or ends with {@code /}. */
    static String[] parse(URI url) {
        if (!"s3".equalsIgnoreCase(url.getScheme()) || url.getHost() == null && url.getAuthority() == null) {
            throw new IllegalArgumentException("not an s3://bucket/prefix URL: " + url);
        }
        String bucket = url.getAuthority();
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("bad bucket name \"" + bucket + "\" in " + url
                    + " (3-63 characters: a-z 0-9 . -)");
        }
        String path = url.getPath() == null ? "" : url.getPath();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.isEmpty()) {
            Names.check(path);
            path += "/";
        }
        return new String[] {bucket, path};
    }

    private static Region region(StoreOptions options, String where) throws StoreException {
        if (options.region() != null) {
            return Region.of(options.region());
        }
        try {
            // with an endpoint the server is not AWS: the environment and the profile only, never the EC2 instance
            // metadata service that the SDK's default chain asks last (a request to 169.254.169.254)
            return (options.endpoint() != null ? new AwsRegionProviderChain(new SystemSettingsRegionProvider(),
                    new AwsProfileRegionProvider()) : new DefaultAwsRegionProviderChain()).getRegion();
        } catch (SdkException e) {
            if (options.endpoint() != null) {
                return Region.US_EAST_1; // self-hosted servers take any region in the signature
            }
            throw new PermanentStoreException(where, null, "no S3 region configured (set AWS_REGION)", e);
        }
    }

    @Override
    public String url() {
        return url;
    }

    /** The bucket. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix: empty, or ending with {@code /}. */
    public String prefix() {
        return prefix;
    }

    @Override
    public StoreMetrics metrics() {
        return metrics;
    }

    private String key(String name) {
        return prefix + Names.check(name);
    }

    /** One request through the retry policy, its failures classified, each attempt counted. */
    private <T> T call(String name, Op op, StoreMetrics.Kind kind, Retry.Attempt<T> request) throws StoreException {
        return retry.call(metrics, attempt -> {
            metrics.request(kind);
            try {
                return request.run(attempt);
            } catch (SdkException | UncheckedIOException e) {
                throw S3Errors.map(url, name, op, e);
            }
        });
    }

    // ---- conditional writes ----

    /** What the server does with {@code If-None-Match: *}; {@link ConditionalWrites#UNKNOWN} until probed. */
    public ConditionalWrites conditionalWrites() {
        return conditional;
    }

    @Override
    public Capabilities capabilities() throws StoreException {
        return switch (probe()) {
            case HONOURED -> new Capabilities(true, "If-None-Match: * (honoured by the server)");
            case IGNORED -> new Capabilities(false,
                    "HEAD, then PUT (the server ignores If-None-Match: not atomic)");
            default -> new Capabilities(false, "HEAD, then PUT (the server refuses If-None-Match: not atomic)");
        };
    }

    private ConditionalWrites probe() throws StoreException {
        ConditionalWrites c = conditional;
        if (c != ConditionalWrites.UNKNOWN) {
            return c;
        }
        synchronized (this) {
            if (conditional != ConditionalWrites.UNKNOWN) {
                return conditional;
            }
            String key = prefix + ".mmh-probe-" + HexFormat.of().toHexDigits(System.nanoTime())
                    + HexFormat.of().toHexDigits(ProcessHandle.current().pid());
            byte[] body = {'m', 'm', 'h'};
            try {
                try {
                    call(key, Op.PUT_IF_ABSENT, StoreMetrics.Kind.PUT, a -> s3.putObject(r -> r.bucket(bucket)
                            .key(key).ifNoneMatch("*"), RequestBody.fromBytes(body)));
                } catch (PermanentStoreException e) {
                    conditional = ConditionalWrites.REFUSED;
                    return conditional;
                } catch (ObjectExistsException e) {
                    // a retry after a first attempt that was written but whose answer was lost: written
                }
                try {
                    call(key, Op.PUT_IF_ABSENT, StoreMetrics.Kind.PUT, a -> s3.putObject(r -> r.bucket(bucket)
                            .key(key).ifNoneMatch("*"), RequestBody.fromBytes(body)));
                    conditional = ConditionalWrites.IGNORED;
                } catch (ObjectExistsException e) {
                    conditional = ConditionalWrites.HONOURED;
                }
            } finally {
                try {
                    call(key, Op.DELETE, StoreMetrics.Kind.DELETE, a -> s3.deleteObject(r -> r.bucket(bucket)
                            .key(key)));
                } catch (ObjectNotFoundException e) {
                    // never written (the server refused the first conditional PUT)
                }
            }
            return conditional;
        }
    }

    // ---- put ----

    @Override
    public void put(String name, Content content) throws StoreException {
        upload(name, content, false);
    }

    @Override
    public void putIfAbsent(String name, Content content) throws StoreException {
        upload(name, content, true);
    }

    private void upload(String name, Content content, boolean ifAbsent) throws StoreException {
        String key = key(name);
        boolean header = false;
        if (ifAbsent) {
            boolean honoured = probe() == ConditionalWrites.HONOURED;
            header = honoured;
            // without the header, the documented fallback: HEAD, then PUT. With it, a large object is still
            // checked first, so that a name that exists costs one HEAD, not an upload of its size
            if ((!honoured || content.size() > tuning.multipartThreshold()) && head(name).isPresent()) {
                throw new ObjectExistsException(url, name);
            }
        }
        Digests d = digests(name, content);
        int[] attempts = {0};
        try {
            if (content.size() > tuning.multipartThreshold()) {
                multipart(name, key, content, d, header, attempts);
            } else {
                boolean h = header;
                call(name, h ? Op.PUT_IF_ABSENT : Op.PUT, StoreMetrics.Kind.PUT, a -> {
                    attempts[0] = a;
                    return s3.putObject(r -> {
                        r.bucket(bucket).key(key).contentLength(content.size()).contentMD5(d.partMd5.get(0))
                                .metadata(Map.of(CRC_METADATA, d.crc32c));
                        if (h) {
                            r.ifNoneMatch("*");
                        }
                    }, body(name, content, 0, content.size()));
                });
            }
        } catch (ObjectExistsException | TransientStoreException e) {
            // a write retried after an attempt that succeeded but whose answer was lost finds its own object (412
            // to a conditional PUT; NoSuchUpload to a second complete): the same size and CRC32C is this put's, or
            // the same bytes, which is as good
            if (attempts[0] <= 1 || !sameObject(name, content.size(), d.crc32c)) {
                throw e;
            }
        }
    }

    /** Whether the object in the store has this size and the CRC32C this store records. */
    private boolean sameObject(String name, long size, String crc32c) throws StoreException {
        String key = key(name);
        try {
            HeadObjectResponse r = call(name, Op.HEAD, StoreMetrics.Kind.HEAD, a -> s3.headObject(q -> q
                    .bucket(bucket).key(key)));
            return r.contentLength() == size && r.metadata() != null
                    && crc32c.equalsIgnoreCase(r.metadata().get(CRC_METADATA));
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    /** The checksums of a content: the CRC32C of all of it, the MD5 of each part (one part below the threshold). */
    private record Digests(String crc32c, List<String> partMd5) {
    }

    private Digests digests(String name, Content content) throws StoreException {
        long size = content.size();
        boolean multi = size > tuning.multipartThreshold();
        long part = multi ? tuning.partSize() : Math.max(1, size);
        CRC32C crc = new CRC32C();
        List<String> md5s = new ArrayList<>();
        MessageDigest md5 = md5();
        long n = 0;
        long inPart = 0;
        try (InputStream in = content.open()) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                if (n + r > size) {
                    throw new S3Errors.ContentFailure("the content gave more than the " + size + " bytes it stated",
                            null);
                }
                crc.update(buf, 0, r);
                for (int off = 0; off < r; ) {
                    int take = (int) Math.min(r - off, part - inPart);
                    md5.update(buf, off, take);
                    off += take;
                    inPart += take;
                    if (inPart == part) {
                        md5s.add(Base64.getEncoder().encodeToString(md5.digest()));
                        inPart = 0;
                    }
                }
                n += r;
            }
        } catch (S3Errors.ContentFailure e) {
            throw new PermanentStoreException(url, name, e.getMessage(), e);
        } catch (IOException e) {
            throw new PermanentStoreException(url, name, "cannot read the content to put: " + e, e);
        }
        if (n != size) {
            throw new PermanentStoreException(url, name, "the content gave " + n + " bytes, not the " + size
                    + " it stated", null);
        }
        if (inPart > 0 || md5s.isEmpty()) {
            md5s.add(Base64.getEncoder().encodeToString(md5.digest()));
        }
        return new Digests(HexFormat.of().toHexDigits((int) crc.getValue()), md5s);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /**
     * The request body of {@code length} bytes of the content from {@code offset}: opened anew for each attempt,
     * counted, and failing with a {@link S3Errors.ContentFailure} if the content ends early or gives more.
     */
    private RequestBody body(String name, Content content, long offset, long length) {
        return RequestBody.fromContentProvider(() -> {
            try {
                InputStream in = content.open();
                in.skipNBytes(offset);
                return new CheckedBody(in, length);
            } catch (IOException e) {
                throw new UncheckedIOException(new S3Errors.ContentFailure("cannot read the content to put: " + e,
                        e));
            }
        }, length, "application/octet-stream");
    }

    /** Exactly {@code length} bytes of a content stream, or a {@link S3Errors.ContentFailure}. */
    private final class CheckedBody extends InputStream {
        private final InputStream in;
        private long remaining;

        CheckedBody(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, remaining));
            } catch (IOException e) {
                throw new S3Errors.ContentFailure("cannot read the content to put: " + e, e);
            }
            if (n < 0) {
                throw new S3Errors.ContentFailure("the content ended " + remaining + " bytes early", null);
            }
            remaining -= n;
            metrics.sent(n);
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private void multipart(String name, String key, Content content, Digests d, boolean ifNoneMatch, int[] attempts)
            throws StoreException {
        String uploadId = call(name, Op.PUT, StoreMetrics.Kind.MULTIPART_CREATE, a -> s3.createMultipartUpload(r ->
                r.bucket(bucket).key(key).metadata(Map.of(CRC_METADATA, d.crc32c)))).uploadId();
        boolean done = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = content.size();
            for (int i = 0; i * tuning.partSize() < size; i++) {
                int number = i + 1;
                long off = i * tuning.partSize();
                long len = Math.min(tuning.partSize(), size - off);
                String md5 = d.partMd5.get(i);
                String etag = call(name, Op.PUT, StoreMetrics.Kind.MULTIPART_PART, a -> s3.uploadPart(r -> r
                        .bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength(len)
                        .contentMD5(md5), body(name, content, off, len))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            call(name, ifNoneMatch ? Op.PUT_IF_ABSENT : Op.PUT, StoreMetrics.Kind.MULTIPART_COMPLETE, a -> {
                attempts[0] = a;
                return s3.completeMultipartUpload(r -> {
                    r.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
                    if (ifNoneMatch) {
                        r.ifNoneMatch("*");
                    }
                });
            });
            done = true;
        } finally {
            if (!done) {
                try {
                    call(name, Op.DELETE, StoreMetrics.Kind.MULTIPART_ABORT, a -> s3.abortMultipartUpload(r -> r
                            .bucket(bucket).key(key).uploadId(uploadId)));
                } catch (StoreException e) {
                    // best effort: an incomplete upload is invisible; a lifecycle rule removes it
                }
            }
        }
    }

    // ---- get ----

    @Override
    public InputStream get(String name) throws StoreException {
        return new ObjectStream(name, key(name), 0, -1);
    }

    @Override
    public InputStream get(String name, long offset, long length) throws StoreException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        String key = key(name);
        if (length == 0) {
            ObjectInfo info = head(name).orElseThrow(() -> new ObjectNotFoundException(url, name));
            if (offset > info.size()) {
                throw new PermanentStoreException(url, name, "range " + offset + "+0 is past the object's end ("
                        + info.size() + " bytes)", null);
            }
            return InputStream.nullInputStream();
        }
        return new ObjectStream(name, key, offset, length);
    }

    /**
     * An object's bytes from a GET, resumed with a ranged GET from where it stopped when the connection drops or
     * the response ends early; a whole object's CRC32C is checked against its metadata at the end.
     */
    private final class ObjectStream extends InputStream {
        private final String name;
        private final String key;
        private final boolean whole;
        private final CRC32C crc = new CRC32C();
        private long pos;
        private long end;
        private String expectedCrc;
        private String etag;
        private ResponseInputStream<GetObjectResponse> body;
        private boolean closed;

        ObjectStream(String name, String key, long offset, long length) throws StoreException {
            this.name = name;
            this.key = key;
            this.whole = length < 0;
            this.pos = offset;
            this.end = whole ? -1 : offset + length;
            open();
        }

        private void open() throws StoreException {
            retry.call(metrics, a -> {
                openOnce();
                return null;
            });
        }

        /** One GET from {@code pos}, no retries (a resuming read retries as a whole). */
        private void openOnce() throws StoreException {
            metrics.request(StoreMetrics.Kind.GET);
            boolean ranged = !(whole && pos == 0);
            try {
                body = s3.getObject(requestFrom(pos));
            } catch (SdkException | UncheckedIOException e) {
                throw S3Errors.map(url, name, Op.GET, e);
            }
            GetObjectResponse r = body.response();
            if (ranged && rangeStart(r.contentRange()) != pos) {
                // a server that ignores Range sends the object from its first byte: never splice that in
                abortBody();
                throw new PermanentStoreException(url, name, "the server answered a ranged GET from byte " + pos
                        + " with Content-Range " + r.contentRange(), null);
            }
            if (etag == null) {
                etag = r.eTag();
                expectedCrc = whole && r.metadata() != null ? r.metadata().get(CRC_METADATA) : null;
                if (whole) {
                    end = r.contentLength();
                } else {
                    long total = total(r.contentRange());
                    if (total >= 0 && end > total) {
                        abortBody();
                        throw new PermanentStoreException(url, name, "range " + pos + "+" + (end - pos)
                                + " is past the object's end (" + total + " bytes)", null);
                    }
                }
            }
        }

        private GetObjectRequest requestFrom(long from) {
            GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(bucket).key(key);
            if (!(whole && from == 0)) {
                b.range("bytes=" + from + "-" + (end - 1));
            }
            if (etag != null) {
                b.ifMatch(etag);
            }
            return b.build();
        }

        /** The first byte in a {@code Content-Range: bytes a-b/total}, or -1. */
        private long rangeStart(String contentRange) {
            if (contentRange == null || !contentRange.startsWith("bytes ")) {
                return -1;
            }
            int dash = contentRange.indexOf('-');
            try {
                return dash < 0 ? -1 : Long.parseLong(contentRange.substring(6, dash).trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** The total size in a {@code Content-Range: bytes a-b/total}, or -1. */
        private long total(String contentRange) {
            if (contentRange == null) {
                return -1;
            }
            int slash = contentRange.lastIndexOf('/');
            try {
                return slash < 0 ? -1 : Long.parseLong(contentRange.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("stream closed");
            }
            if (pos >= end) {
                finish();
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int want = (int) Math.min(len, end - pos);
            return retry.call(metrics, attempt -> {
                if (body == null) {
                    openOnce();
                }
                int n;
                try {
                    n = body.read(b, off, want);
                } catch (IOException | SdkException e) {
                    abortBody();
                    throw new TransientStoreException(url, name, "the connection dropped at byte " + pos + ": "
                            + e.getMessage(), e);
                }
                if (n < 0) {
                    abortBody();
                    throw new TransientStoreException(url, name, "the response ended at byte " + pos + " of "
                            + end, null);
                }
                if (whole) {
                    crc.update(b, off, n);
                }
                pos += n;
                metrics.received(n);
                return n;
            });
        }

        /**
         * At the end: the response is closed (its connection goes back to the pool now, not when the caller closes
         * this stream), and a whole object's CRC32C must match its metadata.
         */
        private void finish() throws StoreException {
            if (body != null) {
                try {
                    body.close();
                } catch (IOException | RuntimeException ignored) {
                    // every byte was read: nothing is lost with the connection
                }
                body = null;
            }
            if (whole && expectedCrc != null) {
                String actual = HexFormat.of().toHexDigits((int) crc.getValue());
                if (!actual.equalsIgnoreCase(expectedCrc)) {
                    throw new IntegrityException(url, name, "the object's bytes do not match its CRC32C",
                            expectedCrc.toLowerCase(Locale.ROOT), actual);
                }
                expectedCrc = null; // checked once
            }
        }

        private void abortBody() {
            if (body != null) {
                body.abort();
                try {
                    body.close();
                } catch (IOException | RuntimeException ignored) {
                    // the connection is being thrown away
                }
                body = null;
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (body != null) {
                if (pos < end) {
                    abortBody(); // do not drain the rest of a large object to reuse the connection
                } else {
                    try {
                        body.close();
                    } catch (IOException | RuntimeException ignored) {
                        // fully read: nothing lost
                    }
                    body = null;
                }
            }
        }
    }

    // ---- head, list, delete ----

    @Override
    public Optional<ObjectInfo> head(String name) throws StoreException {
        String key = key(name);
        try {
            HeadObjectResponse r = call(name, Op.HEAD, StoreMetrics.Kind.HEAD, a -> s3.headObject(q -> q
                    .bucket(bucket).key(key)));
            return Optional.of(new ObjectInfo(name, r.contentLength(), r.lastModified()));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public Listing list(String listPrefix) throws StoreException {
        Names.checkPrefix(listPrefix);
        return new Pages(prefix + listPrefix);
    }

    /** ListObjectsV2, one page of up to {@link Tuning#listPageSize()} names at a time. */
    private final class Pages implements Listing {
        private final String keyPrefix;
        private final Deque<S3Object> page = new ArrayDeque<>();
        private String token;
        private boolean last;
        private boolean closed;

        Pages(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        @Override
        public ObjectInfo next() throws StoreException {
            while (!closed) {
                S3Object o = page.poll();
                if (o != null) {
                    String name = o.key().substring(prefix.length());
                    if (Names.isValid(name)) {
                        return new ObjectInfo(name, o.size(), o.lastModified());
                    }
                    continue; // a probe, or a key another tool wrote that is no object name
                }
                if (last) {
                    return null;
                }
                String t = token;
                ListObjectsV2Response r = call(null, Op.LIST, StoreMetrics.Kind.LIST, a -> s3.listObjectsV2(q -> q
                        .bucket(bucket).prefix(keyPrefix).maxKeys(tuning.listPageSize()).continuationToken(t)));
                page.addAll(r.contents());
                token = r.nextContinuationToken();
                last = !Boolean.TRUE.equals(r.isTruncated()) || token == null;
            }
            return null;
        }

        @Override
        public void close() {
            closed = true;
            page.clear();
        }
    }

    @Override
    public void delete(String name) throws StoreException {
        String key = key(name);
        try {
            call(name, Op.DELETE, StoreMetrics.Kind.DELETE, a -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
        } catch (ObjectNotFoundException e) {
            // some servers answer 404 where S3 answers 204
        }
    }

    /** Deletes up to 1,000 names per request (DeleteObjects, quiet mode). */
    @Override
    public void delete(Collection<String> names) throws StoreException {
        Iterator<String> it = names.iterator();
        while (it.hasNext()) {
            List<ObjectIdentifier> batch = new ArrayList<>();
            while (it.hasNext() && batch.size() < 1000) {
                batch.add(ObjectIdentifier.builder().key(key(it.next())).build());
            }
            DeleteObjectsResponse r = call(null, Op.DELETE, StoreMetrics.Kind.DELETE, a -> s3.deleteObjects(q -> q
                    .bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build())));
            for (S3Error e : r.errors()) {
                if (!"NoSuchKey".equals(e.code())) {
                    String n = e.key().startsWith(prefix) ? e.key().substring(prefix.length()) : e.key();
                    throw new PermanentStoreException(url, n, "cannot delete (" + e.code() + ": " + e.message()
                            + ")", null);
                }
            }
        }
    }

    /** Aborts the incomplete multipart uploads under this store's prefix started more than {@code age} ago. */
    @Override
    public long removeIncomplete(Duration age) throws StoreException {
        java.time.Instant before = java.time.Instant.now().minus(age);
        long n = 0;
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String km = keyMarker;
            String im = idMarker;
            ListMultipartUploadsResponse r = call(null, Op.LIST, StoreMetrics.Kind.LIST, a -> s3.listMultipartUploads(
                    q -> q.bucket(bucket).prefix(prefix).keyMarker(km).uploadIdMarker(im)));
            for (MultipartUpload u : r.uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(before)) {
                    call(u.key(), Op.DELETE, StoreMetrics.Kind.MULTIPART_ABORT, a -> s3.abortMultipartUpload(q -> q
                            .bucket(bucket).key(u.key()).uploadId(u.uploadId())));
                    n++;
                }
            }
            if (!Boolean.TRUE.equals(r.isTruncated())) {
                return n;
            }
            keyMarker = r.nextKeyMarker();
            idMarker = r.nextUploadIdMarker();
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
