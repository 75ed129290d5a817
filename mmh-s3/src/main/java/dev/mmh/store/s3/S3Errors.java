package dev.mmh.store.s3;

import dev.mmh.store.IntegrityException;
import dev.mmh.store.ObjectExistsException;
import dev.mmh.store.ObjectNotFoundException;
import dev.mmh.store.PermanentStoreException;
import dev.mmh.store.StoreException;
import dev.mmh.store.TransientStoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Classifies what the SDK throws into the store's exception family: the one place that knows S3's status codes and
 * error codes. Everything without a response (a reset, a timeout, a response cut short) is transient.
 */
final class S3Errors {
    /** Error codes that mean "try again" whatever their status (S3 sends some of them as 400 or 409). */
    private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "RequestTimeout", "InternalError",
            "ServiceUnavailable", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
            "ConditionalRequestConflict", "OperationAborted", "RequestTimeTooSkewed");
    /** Error codes that mean the server received other bytes than the client sent. */
    private static final Set<String> DIGEST_CODES = Set.of("BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch",
            "InvalidChecksum", "IncompleteBody");

    /** What the failed request was: decides what a 404 or a 412 means. */
    enum Op { PUT, PUT_IF_ABSENT, GET, HEAD, LIST, DELETE, BUCKET }

    private S3Errors() {
    }

    /** Thrown by the content stream the SDK reads when the caller's content fails or has the wrong size. */
    static final class ContentFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ContentFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static StoreException map(String store, String name, Op op, Throwable t) {
        if (t instanceof StoreException se) {
            return se;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ContentFailure cf) {
                return new PermanentStoreException(store, name, cf.getMessage(), t);
            }
            if (c instanceof StoreException se) {
                return se;
            }
        }
        if (t instanceof AwsServiceException ase) {
            return service(store, name, op, ase.statusCode(), ase.awsErrorDetails() == null ? null
                    : ase.awsErrorDetails().errorCode(), retryAfter(ase), ase);
        }
        if (t instanceof SdkServiceException sse) {
            return service(store, name, op, sse.statusCode(), null, null, sse);
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof SdkException && msg.toLowerCase(Locale.ROOT).contains("checksum")) {
            return new IntegrityException(store, name, "the bytes received do not match their checksum: " + msg,
                    null, null);
        }
        // no response: a refused or reset connection, a timeout, a response cut short
        return new TransientStoreException(store, name, "no answer from the server: " + msg, t);
    }

    private static StoreException service(String store, String name, Op op, int status, String code,
            Duration retryAfter, Throwable t) {
        String what = "HTTP " + status + (code == null ? "" : " " + code);
        if (code != null && DIGEST_CODES.contains(code)) {
            return new IntegrityException(store, name, "the server received bytes that do not match their checksum ("
                    + what + ")", null, null);
        }
        if ("SignatureDoesNotMatch".equals(code) && (op == Op.PUT || op == Op.PUT_IF_ABSENT)) {
            // the store's requests were signed well enough to open it (its HEAD of the bucket): a body whose
            // signed chunks no longer match (SigV4 streaming over HTTP) was damaged on the way
            return new IntegrityException(store, name, "the server received a body that does not match its signature ("
                    + what + ")", null, null);
        }
        if (status == 412 && op == Op.PUT_IF_ABSENT) {
            return new ObjectExistsException(store, name);
        }
        if (status == 404) {
            if ("NoSuchBucket".equals(code) || op == Op.BUCKET || op == Op.LIST) {
                return new PermanentStoreException(store, null, "no such bucket (" + what + ")", t);
            }
            if ("NoSuchUpload".equals(code)) {
                return new TransientStoreException(store, name, "the multipart upload vanished (" + what + ")", t);
            }
            return new ObjectNotFoundException(store, name);
        }
        if (status == 416) {
            return new PermanentStoreException(store, name, "the range is past the object's end (" + what + ")", t);
        }
        if (status == 429 || status >= 500 && status != 501 || code != null && TRANSIENT_CODES.contains(code)) {
            return new TransientStoreException(store, name, "the server asks to try again (" + what + ")", t,
                    retryAfter);
        }
        if (status == 403) {
            return new PermanentStoreException(store, name, "access denied (" + what
                    + "): check the credentials and the bucket's policy", t);
        }
        if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
            return new PermanentStoreException(store, name, "the bucket is in another region (" + what
                    + "): set AWS_REGION", t);
        }
        return new PermanentStoreException(store, name, "the server refused the request (" + what + ")", t);
    }

    private static Duration retryAfter(AwsServiceException e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
            return null;
        }
        return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException nfe) {
                return null; // an HTTP date: the backoff decides
            }
        }).orElse(null);
    }
}
