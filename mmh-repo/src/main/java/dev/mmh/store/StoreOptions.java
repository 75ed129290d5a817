package dev.mmh.store;

import java.net.URI;

/**
 * How to reach a store, beyond its URL: what {@code --endpoint} and the like set. Immutable; build with
 * {@link #builder()}.
 *
 * @param endpoint an S3-compatible server's URL ({@code http://127.0.0.1:9000}), or {@code null} for AWS S3 (the
 *     SDK's endpoint for the region, or {@code AWS_ENDPOINT_URL})
 * @param pathStyle path-style addressing ({@code http://host/bucket/key}) instead of virtual-hosted
 *     ({@code http://bucket.host/key}); {@code null}: path style when an endpoint is given (what self-hosted servers
 *     need), virtual-hosted for AWS
 * @param region the S3 region, or {@code null} for the SDK's chain ({@code AWS_REGION}, {@code ~/.aws/config});
 *     with an endpoint and no region anywhere, {@code us-east-1}
 * @param retry the retry policy of every request
 */
public record StoreOptions(URI endpoint, Boolean pathStyle, String region, Retry retry) {
    /** No endpoint, region or addressing given; the default retry policy. */
    public static final StoreOptions DEFAULTS = new StoreOptions(null, null, null, Retry.DEFAULT);

    public StoreOptions {
        if (retry == null) {
            throw new IllegalArgumentException("retry policy missing");
        }
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link StoreOptions}; not thread-safe. */
    public static final class Builder {
        private URI endpoint;
        private Boolean pathStyle;
        private String region;
        private Retry retry = Retry.DEFAULT;

        private Builder() {
        }

        /** The server's URL, e.g. {@code http://127.0.0.1:9000}. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Path-style addressing on or off ({@code null}: decided from the endpoint). */
        public Builder pathStyle(Boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder retry(Retry retry) {
            this.retry = retry;
            return this;
        }

        public StoreOptions build() {
            return new StoreOptions(endpoint, pathStyle, region, retry);
        }
    }
}
