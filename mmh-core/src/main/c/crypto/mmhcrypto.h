/*
 * The crypto context of libmmhcrypto.so, shared by its two JNI files: mmhcrypto.c (dev.mmh.crypto.NativeCrypto, the
 * general digests; the AEAD of the encryption work goes there too) and mmhchunkid.c (dev.mmh.chunk.NativeChunkHash,
 * FastCDC cut points and chunk IDs in one call). Everything here is hidden: the library exports only JNI functions.
 */
#ifndef MMH_CRYPTO_H
#define MMH_CRYPTO_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#define MMHC_HIDDEN __attribute__((visibility("hidden")))

/* Error codes returned to Java (NativeCrypto.E_*); the Java side turns them into exceptions. */
#define MMHC_E_ARG (-1)     /* an argument the Java side should have refused: a bug, not bad data */
#define MMHC_E_STATE (-2)   /* begin / update / end out of order */
#define MMHC_E_OPENSSL (-3) /* an OpenSSL call failed */
#define MMHC_E_JNI (-4)     /* a Java array could not be pinned */
#define MMHC_E_MEM (-5)     /* out of native memory */

#define MMHC_SHA256 1      /* algorithm ids (NativeCrypto.ALG_*) */
#define MMHC_HMAC_SHA256 2
#define MMHC_DIGEST_LEN 32
#define MMHC_MAX_KEY 1024  /* CryptoContext.MAX_HMAC_KEY */
#define MMHC_SLICE (1 << 20) /* the most bytes of a Java array pinned at once */

/*
 * One message at a time (SHA-256 or HMAC-SHA-256), with the algorithms fetched once: OpenSSL 3 looks an algorithm
 * up by name on every EVP_DigestInit_ex(EVP_sha256()) otherwise, which costs more than hashing a small blob.
 */
typedef struct {
    EVP_MD *sha256;
    EVP_MD_CTX *md;
    EVP_MAC *hmac;     /* fetched at the first HMAC */
    EVP_MAC_CTX *mac;
    int active;        /* the algorithm of the message in progress, 0 when none */
} mmhc_digest;

/* 0 or MMHC_E_*; on failure d holds nothing to free. */
MMHC_HIDDEN int mmhc_digest_init(mmhc_digest *d);
MMHC_HIDDEN void mmhc_digest_free(mmhc_digest *d);
/* Starts a message; key (keylen 1..MMHC_MAX_KEY) only for MMHC_HMAC_SHA256. */
MMHC_HIDDEN int mmhc_begin(mmhc_digest *d, int alg, const uint8_t *key, size_t keylen);
MMHC_HIDDEN int mmhc_update(mmhc_digest *d, const uint8_t *p, size_t n);
/* Ends the message, 32 bytes to out. */
MMHC_HIDDEN int mmhc_end(mmhc_digest *d, uint8_t *out);

/* Whether [off, off + len) lies inside a Java array of n bytes (off, len >= 0). */
static inline int mmhc_range_ok(jint off, jint len, jsize n) {
    return off >= 0 && len >= 0 && off <= n - len;
}

#endif
