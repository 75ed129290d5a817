package dev.mmh.store;

/**
 * What a store guarantees beyond the rules of {@link ObjectStore}.
 *
 * @param atomicPutIfAbsent whether {@link ObjectStore#putIfAbsent} is atomic against a concurrent writer (of two
 *     racing writers exactly one succeeds). When false, the store checks and then writes: of two writers racing
 *     in that window both may succeed, and the later object replaces the earlier one whole. A repository whose
 *     names are derived from content loses nothing then (both wrote the same bytes); anything that relies on
 *     exactly one winner must not rely on such a store.
 * @param putIfAbsent how the store does it, in one line, for messages and {@code mmh repo} output (e.g.
 *     {@code "If-None-Match: * (honoured by the server)"})
 */
public record Capabilities(boolean atomicPutIfAbsent, String putIfAbsent) {
}
