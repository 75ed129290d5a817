/*
 * libmmhcrypto.so: mmh's binding to the system's OpenSSL libcrypto (3.x, EVP), for dev.mmh.crypto.NativeCrypto.
 * It exists because the JDK's SHA-256 runs at 63-80 MB/s under the launcher's C1-only JVM (C2's SHA-NI intrinsic
 * is not there), against ~1.8 GB/s for OpenSSL on the same CPU. Built by build.sh only where openssl/evp.h is found
 * (Debian: libssl-dev) and linked with -lcrypto (libssl3 at run time); without it the JDK's MessageDigest and Mac
 * do the same work.
 *
 * A handle is one context, used by one thread at a time (CryptoContext serialises its calls), freed by close: its
 * digests and its AEAD state (the ciphers fetched once, one EVP_CIPHER_CTX). The same rules for both: every length
 * checked here as in Java, Java arrays pinned for at most MMHC_SLICE bytes at a time, failures returned as codes that
 * Java turns into exceptions. The AEADs (ChaCha20-Poly1305, AES-256-GCM) run at 1.5-3 GB/s here against tens of MB/s
 * for the JDK's under the launcher's C1-only JVM.
 */
#include "mmhcrypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#error "libmmhcrypto needs OpenSSL 3 (EVP_MD_fetch, EVP_MAC)"
#endif

int mmhc_digest_init(mmhc_digest *d) {
    memset(d, 0, sizeof *d);
    d->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    d->md = EVP_MD_CTX_new();
    if (d->sha256 == NULL || d->md == NULL) {
        mmhc_digest_free(d);
        return MMHC_E_OPENSSL;
    }
    return 0;
}

void mmhc_digest_free(mmhc_digest *d) {
    EVP_MAC_CTX_free(d->mac);
    EVP_MAC_free(d->hmac);
    EVP_MD_CTX_free(d->md);
    EVP_MD_free(d->sha256);
    memset(d, 0, sizeof *d);
}

/* The HMAC context, made at the first HMAC with SHA-256 as its digest (set once: setting it per message re-fetches). */
static int hmac_ready(mmhc_digest *d) {
    if (d->mac != NULL) {
        return 0;
    }
    d->hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (d->hmac == NULL) {
        return MMHC_E_OPENSSL;
    }
    d->mac = EVP_MAC_CTX_new(d->hmac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
    if (d->mac == NULL || !EVP_MAC_CTX_set_params(d->mac, params)) {
        EVP_MAC_CTX_free(d->mac);
        d->mac = NULL;
        return MMHC_E_OPENSSL;
    }
    return 0;
}

int mmhc_begin(mmhc_digest *d, int alg, const uint8_t *key, size_t keylen) {
    if (d->active != 0) {
        return MMHC_E_STATE;
    }
    if (alg == MMHC_SHA256) {
        if (!EVP_DigestInit_ex(d->md, d->sha256, NULL)) {
            return MMHC_E_OPENSSL;
        }
    } else if (alg == MMHC_HMAC_SHA256) {
        if (key == NULL || keylen < 1 || keylen > MMHC_MAX_KEY) {
            return MMHC_E_ARG;
        }
        int rc = hmac_ready(d);
        if (rc != 0) {
            return rc;
        }
        /* the key every time: EVP_MAC_init with a NULL key to reuse the last one is not reliable across 3.0.x */
        if (!EVP_MAC_init(d->mac, key, keylen, NULL)) {
            return MMHC_E_OPENSSL;
        }
    } else {
        return MMHC_E_ARG;
    }
    d->active = alg;
    return 0;
}

int mmhc_update(mmhc_digest *d, const uint8_t *p, size_t n) {
    if (n == 0) {
        return d->active != 0 ? 0 : MMHC_E_STATE;
    }
    if (d->active == MMHC_SHA256) {
        return EVP_DigestUpdate(d->md, p, n) ? 0 : MMHC_E_OPENSSL;
    }
    if (d->active == MMHC_HMAC_SHA256) {
        return EVP_MAC_update(d->mac, p, n) ? 0 : MMHC_E_OPENSSL;
    }
    return MMHC_E_STATE;
}

int mmhc_end(mmhc_digest *d, uint8_t *out) {
    int alg = d->active;
    d->active = 0;
    if (alg == MMHC_SHA256) {
        unsigned int n = 0;
        return EVP_DigestFinal_ex(d->md, out, &n) && n == MMHC_DIGEST_LEN ? 0 : MMHC_E_OPENSSL;
    }
    if (alg == MMHC_HMAC_SHA256) {
        size_t n = 0;
        return EVP_MAC_final(d->mac, out, &n, MMHC_DIGEST_LEN) && n == MMHC_DIGEST_LEN ? 0 : MMHC_E_OPENSSL;
    }
    return MMHC_E_STATE;
}

/* ---- dev.mmh.crypto.NativeCrypto ---- */

typedef struct {
    mmhc_digest d;
    EVP_CIPHER *aead[2];   /* ChaCha20-Poly1305, AES-256-GCM: fetched at their first use */
    EVP_CIPHER_CTX *cc;    /* made at the first AEAD call */
} crypto_handle;

JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_version(JNIEnv *env, jclass cls) {
    return 3; /* 2: AEAD, 3: STREAM runs (streamDirect), X25519, random bytes */
}

JNIEXPORT jstring JNICALL Java_dev_mmh_crypto_NativeCrypto_opensslVersion(JNIEnv *env, jclass cls) {
    return (*env)->NewStringUTF(env, OpenSSL_version(OPENSSL_VERSION));
}

/* A new context, or 0 (out of memory, or OpenSSL has no SHA-256). */
JNIEXPORT jlong JNICALL Java_dev_mmh_crypto_NativeCrypto_open(JNIEnv *env, jclass cls) {
    crypto_handle *h = malloc(sizeof *h);
    if (h == NULL) {
        return 0;
    }
    memset(h, 0, sizeof *h);
    if (mmhc_digest_init(&h->d) != 0) {
        free(h);
        return 0;
    }
    return (jlong) (intptr_t) h;
}

JNIEXPORT void JNICALL Java_dev_mmh_crypto_NativeCrypto_close(JNIEnv *env, jclass cls, jlong handle) {
    crypto_handle *h = (crypto_handle *) (intptr_t) handle;
    if (h != NULL) {
        mmhc_digest_free(&h->d);
        EVP_CIPHER_CTX_free(h->cc);
        EVP_CIPHER_free(h->aead[0]);
        EVP_CIPHER_free(h->aead[1]);
        free(h);
    }
}

/* The key (NULL for SHA-256) copied into buf; its length, or MMHC_E_ARG. */
static int key_of(JNIEnv *env, jint alg, jbyteArray key, uint8_t *buf) {
    if (alg == MMHC_SHA256) {
        return key == NULL ? 0 : MMHC_E_ARG;
    }
    if (key == NULL) {
        return MMHC_E_ARG;
    }
    jsize n = (*env)->GetArrayLength(env, key);
    if (n < 1 || n > MMHC_MAX_KEY) {
        return MMHC_E_ARG;
    }
    (*env)->GetByteArrayRegion(env, key, 0, n, (jbyte *) buf);
    return n;
}

JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_begin(JNIEnv *env, jclass cls, jlong handle, jint alg,
        jbyteArray key) {
    crypto_handle *h = (crypto_handle *) (intptr_t) handle;
    uint8_t k[MMHC_MAX_KEY];
    int n = key_of(env, alg, key, k);
    if (h == NULL || n < 0) {
        return MMHC_E_ARG;
    }
    int rc = mmhc_begin(&h->d, alg, n > 0 ? k : NULL, (size_t) n);
    OPENSSL_cleanse(k, sizeof k);
    return rc;
}

/* Hashes b[off, off+len), len <= MMHC_SLICE, with the array pinned for that long only. */
static int update_pinned(JNIEnv *env, mmhc_digest *d, jbyteArray b, jint off, jint len) {
    if (b == NULL || len > MMHC_SLICE || !mmhc_range_ok(off, len, (*env)->GetArrayLength(env, b))) {
        return MMHC_E_ARG;
    }
    if (len == 0) {
        return mmhc_update(d, NULL, 0);
    }
    uint8_t *p = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    if (p == NULL) {
        return MMHC_E_JNI;
    }
    int rc = mmhc_update(d, p + off, (size_t) len);
    (*env)->ReleasePrimitiveArrayCritical(env, b, p, JNI_ABORT);
    return rc;
}

JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_update(JNIEnv *env, jclass cls, jlong handle, jbyteArray b,
        jint off, jint len) {
    crypto_handle *h = (crypto_handle *) (intptr_t) handle;
    if (h == NULL) {
        return MMHC_E_ARG;
    }
    int rc = update_pinned(env, &h->d, b, off, len);
    if (rc != 0 && rc != MMHC_E_STATE) {
        h->d.active = 0; /* a failed message is over: the next begin starts afresh */
    }
    return rc;
}

JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_end(JNIEnv *env, jclass cls, jlong handle, jbyteArray out,
        jint outOff) {
    crypto_handle *h = (crypto_handle *) (intptr_t) handle;
    if (h == NULL || out == NULL || !mmhc_range_ok(outOff, MMHC_DIGEST_LEN, (*env)->GetArrayLength(env, out))) {
        return MMHC_E_ARG;
    }
    uint8_t md[MMHC_DIGEST_LEN];
    int rc = mmhc_end(&h->d, md);
    if (rc == 0) {
        (*env)->SetByteArrayRegion(env, out, outOff, MMHC_DIGEST_LEN, (jbyte *) md);
    }
    return rc;
}

/* begin, update and end in one call, for messages of at most MMHC_SLICE bytes. */
JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_digest(JNIEnv *env, jclass cls, jlong handle, jint alg,
        jbyteArray key, jbyteArray b, jint off, jint len, jbyteArray out, jint outOff) {
    crypto_handle *h = (crypto_handle *) (intptr_t) handle;
    if (h == NULL || out == NULL || !mmhc_range_ok(outOff, MMHC_DIGEST_LEN, (*env)->GetArrayLength(env, out))) {
        return MMHC_E_ARG;
    }
    int rc = Java_dev_mmh_crypto_NativeCrypto_begin(env, cls, handle, alg, key);
    if (rc == 0) {
        rc = update_pinned(env, &h->d, b, off, len);
    }
    uint8_t md[MMHC_DIGEST_LEN];
    if (rc == 0) {
        rc = mmhc_end(&h->d, md);
    }
    if (rc == 0) {
        (*env)->SetByteArrayRegion(env, out, outOff, MMHC_DIGEST_LEN, (jbyte *) md);
    } else if (rc != MMHC_E_STATE) {
        h->d.active = 0;
    }
    return rc;
}

/* ---- AEAD: ChaCha20-Poly1305 (RFC 8439) and AES-256-GCM, one message per call ---- */

/* The cipher of alg, fetched once per handle; NULL when OpenSSL has none. */
static EVP_CIPHER *aead_cipher(crypto_handle *h, jint alg) {
    int i = alg == MMHC_CHACHA20_POLY1305 ? 0 : 1;
    if (h->aead[i] == NULL) {
        h->aead[i] = EVP_CIPHER_fetch(NULL, i == 0 ? "ChaCha20-Poly1305" : "AES-256-GCM", NULL);
    }
    return h->aead[i];
}

/*
 * Runs the cipher over in[inOff, inOff+n) into out[outOff, ...), MMHC_SLICE bytes at a time, each slice with the
 * arrays pinned for that slice only (in and out may be the same array: in place at the same offset, or ranges apart,
 * which CryptoContext checks).
 */
static int aead_update(JNIEnv *env, EVP_CIPHER_CTX *cc, jbyteArray in, jint inOff, jbyteArray out, jint outOff,
        jint n) {
    int same = (*env)->IsSameObject(env, in, out);
    for (jint done = 0; done < n;) {
        jint k = n - done < MMHC_SLICE ? n - done : MMHC_SLICE;
        uint8_t *pi = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
        if (pi == NULL) {
            return MMHC_E_JNI;
        }
        uint8_t *po = same ? pi : (*env)->GetPrimitiveArrayCritical(env, out, NULL);
        if (po == NULL) {
            (*env)->ReleasePrimitiveArrayCritical(env, in, pi, JNI_ABORT);
            return MMHC_E_JNI;
        }
        int outl = 0;
        int ok = EVP_CipherUpdate(cc, po + outOff + done, &outl, pi + inOff + done, k) && outl == k;
        if (!same) {
            (*env)->ReleasePrimitiveArrayCritical(env, out, po, 0);
        }
        (*env)->ReleasePrimitiveArrayCritical(env, in, pi, same ? 0 : JNI_ABORT);
        if (!ok) {
            return MMHC_E_OPENSSL;
        }
        done += k;
    }
    return 0;
}

/* Zeroes out[off, off+n): what an open that failed had written is not plaintext anyone may see. */
static void wipe(JNIEnv *env, jbyteArray out, jint off, jint n) {
    static const uint8_t zero[4096];
    for (jint done = 0; done < n;) {
        jint k = n - done < (jint) sizeof zero ? n - done : (jint) sizeof zero;
        (*env)->SetByteArrayRegion(env, out, off + done, k, (const jbyte *) zero);
        done += k;
    }
}

/*
 * Seals (encrypt != 0) in[inOff, inOff+inLen) into out[outOff, outOff+inLen+16): ciphertext, then the tag. Opens
 * (encrypt == 0) in[inOff, inOff+inLen), ciphertext and tag, into out[outOff, outOff+inLen-16). Returns the bytes
 * written, or MMHC_E_*: MMHC_E_AUTH when the tag does not match, and then the output range is zeroed.
 */
JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_aead(JNIEnv *env, jclass cls, jlong handle, jint alg,
        jboolean encrypt, jbyteArray key, jbyteArray nonce, jbyteArray aad, jint aadOff, jint aadLen,
        jbyteArray in, jint inOff, jint inLen, jbyteArray out, jint outOff) {
    crypto_handle *h = (crypto_handle *) (intptr_t) handle;
    if (h == NULL || (alg != MMHC_CHACHA20_POLY1305 && alg != MMHC_AES_256_GCM) || key == NULL || nonce == NULL
            || in == NULL || out == NULL
            || (*env)->GetArrayLength(env, key) != MMHC_AEAD_KEY
            || (*env)->GetArrayLength(env, nonce) != MMHC_AEAD_NONCE
            || !mmhc_range_ok(inOff, inLen, (*env)->GetArrayLength(env, in))
            || (!encrypt && inLen < MMHC_AEAD_TAG) || (encrypt && inLen > INT32_MAX - MMHC_AEAD_TAG)) {
        return MMHC_E_ARG;
    }
    jint n = encrypt ? inLen : inLen - MMHC_AEAD_TAG; /* message bytes */
    jint outLen = encrypt ? inLen + MMHC_AEAD_TAG : n;
    if (!mmhc_range_ok(outOff, outLen, (*env)->GetArrayLength(env, out))) {
        return MMHC_E_ARG;
    }
    if (aad != NULL ? aadLen > MMHC_MAX_AAD || !mmhc_range_ok(aadOff, aadLen, (*env)->GetArrayLength(env, aad))
            : aadLen != 0) {
        return MMHC_E_ARG;
    }
    EVP_CIPHER *cipher = aead_cipher(h, alg);
    if (cipher == NULL) {
        return MMHC_E_OPENSSL;
    }
    if (h->cc == NULL && (h->cc = EVP_CIPHER_CTX_new()) == NULL) {
        return MMHC_E_MEM;
    }
    EVP_CIPHER_CTX *cc = h->cc;
    uint8_t k[MMHC_AEAD_KEY], iv[MMHC_AEAD_NONCE], tag[MMHC_AEAD_TAG];
    (*env)->GetByteArrayRegion(env, key, 0, MMHC_AEAD_KEY, (jbyte *) k);
    (*env)->GetByteArrayRegion(env, nonce, 0, MMHC_AEAD_NONCE, (jbyte *) iv);
    int ok = EVP_CipherInit_ex2(cc, cipher, k, iv, encrypt ? 1 : 0, NULL);
    OPENSSL_cleanse(k, sizeof k);
    if (!ok) {
        return MMHC_E_OPENSSL;
    }
    int rc = 0;
    if (aadLen > 0) {
        uint8_t *pa = (*env)->GetPrimitiveArrayCritical(env, aad, NULL);
        if (pa == NULL) {
            return MMHC_E_JNI;
        }
        int outl = 0;
        ok = EVP_CipherUpdate(cc, NULL, &outl, pa + aadOff, aadLen);
        (*env)->ReleasePrimitiveArrayCritical(env, aad, pa, JNI_ABORT);
        if (!ok) {
            return MMHC_E_OPENSSL;
        }
    }
    if (!encrypt) {
        (*env)->GetByteArrayRegion(env, in, inOff + n, MMHC_AEAD_TAG, (jbyte *) tag);
        if (!EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_SET_TAG, MMHC_AEAD_TAG, tag)) {
            return MMHC_E_OPENSSL;
        }
    }
    rc = aead_update(env, cc, in, inOff, out, outOff, n);
    if (rc == 0) {
        uint8_t rest[32];
        int outl = 0;
        if (!EVP_CipherFinal_ex(cc, rest, &outl) || outl != 0) {
            rc = encrypt ? MMHC_E_OPENSSL : MMHC_E_AUTH;
        } else if (encrypt) {
            if (EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_GET_TAG, MMHC_AEAD_TAG, tag)) {
                (*env)->SetByteArrayRegion(env, out, outOff + n, MMHC_AEAD_TAG, (jbyte *) tag);
            } else {
                rc = MMHC_E_OPENSSL;
            }
        }
    }
    if (rc != 0) {
        wipe(env, out, outOff, outLen);
        return rc;
    }
    return outLen;
}

/*
 * The same over direct buffers (no pinning: their memory does not move): in is inLen bytes at inAddr + inOff of the
 * buffer in, out at outAddr + outOff of out; the Java side checks the ranges, and they are checked again here against
 * the buffers' capacities. The same results as Java_dev_mmh_crypto_NativeCrypto_aead.
 */
JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_aeadDirect(JNIEnv *env, jclass cls, jlong handle, jint alg,
        jboolean encrypt, jbyteArray key, jbyteArray nonce, jbyteArray aad, jint aadOff, jint aadLen,
        jobject in, jlong inOff, jint inLen, jobject out, jlong outOff) {
    crypto_handle *h = (crypto_handle *) (intptr_t) handle;
    if (h == NULL || (alg != MMHC_CHACHA20_POLY1305 && alg != MMHC_AES_256_GCM) || key == NULL || nonce == NULL
            || in == NULL || out == NULL || inLen < 0 || inOff < 0 || outOff < 0
            || (*env)->GetArrayLength(env, key) != MMHC_AEAD_KEY
            || (*env)->GetArrayLength(env, nonce) != MMHC_AEAD_NONCE
            || (!encrypt && inLen < MMHC_AEAD_TAG) || (encrypt && inLen > INT32_MAX - MMHC_AEAD_TAG)) {
        return MMHC_E_ARG;
    }
    uint8_t *pi = (*env)->GetDirectBufferAddress(env, in);
    uint8_t *po = (*env)->GetDirectBufferAddress(env, out);
    jlong ci = (*env)->GetDirectBufferCapacity(env, in);
    jlong co = (*env)->GetDirectBufferCapacity(env, out);
    jint n = encrypt ? inLen : inLen - MMHC_AEAD_TAG;
    jint outLen = encrypt ? inLen + MMHC_AEAD_TAG : n;
    if (pi == NULL || po == NULL || ci < 0 || co < 0 || inOff > ci - inLen || outOff > co - outLen) {
        return MMHC_E_ARG;
    }
    if (aad != NULL ? aadLen > MMHC_MAX_AAD || !mmhc_range_ok(aadOff, aadLen, (*env)->GetArrayLength(env, aad))
            : aadLen != 0) {
        return MMHC_E_ARG;
    }
    pi += inOff;
    po += outOff;
    EVP_CIPHER *cipher = aead_cipher(h, alg);
    if (cipher == NULL) {
        return MMHC_E_OPENSSL;
    }
    if (h->cc == NULL && (h->cc = EVP_CIPHER_CTX_new()) == NULL) {
        return MMHC_E_MEM;
    }
    EVP_CIPHER_CTX *cc = h->cc;
    uint8_t k[MMHC_AEAD_KEY], iv[MMHC_AEAD_NONCE], tag[MMHC_AEAD_TAG], a[256];
    (*env)->GetByteArrayRegion(env, key, 0, MMHC_AEAD_KEY, (jbyte *) k);
    (*env)->GetByteArrayRegion(env, nonce, 0, MMHC_AEAD_NONCE, (jbyte *) iv);
    int ok = EVP_CipherInit_ex2(cc, cipher, k, iv, encrypt ? 1 : 0, NULL);
    OPENSSL_cleanse(k, sizeof k);
    if (!ok) {
        return MMHC_E_OPENSSL;
    }
    int outl = 0;
    for (jint done = 0; done < aadLen;) {
        jint c = aadLen - done < (jint) sizeof a ? aadLen - done : (jint) sizeof a;
        (*env)->GetByteArrayRegion(env, aad, aadOff + done, c, (jbyte *) a);
        if (!EVP_CipherUpdate(cc, NULL, &outl, a, c)) {
            return MMHC_E_OPENSSL;
        }
        done += c;
    }
    if (!encrypt) {
        memcpy(tag, pi + n, MMHC_AEAD_TAG);
        if (!EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_SET_TAG, MMHC_AEAD_TAG, tag)) {
            return MMHC_E_OPENSSL;
        }
    }
    int rc = 0;
    if (n > 0 && (!EVP_CipherUpdate(cc, po, &outl, pi, n) || outl != n)) {
        rc = MMHC_E_OPENSSL;
    }
    if (rc == 0) {
        uint8_t rest[32];
        if (!EVP_CipherFinal_ex(cc, rest, &outl) || outl != 0) {
            rc = encrypt ? MMHC_E_OPENSSL : MMHC_E_AUTH;
        } else if (encrypt && !EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_GET_TAG, MMHC_AEAD_TAG, po + n)) {
            rc = MMHC_E_OPENSSL;
        }
    }
    if (rc != 0) {
        OPENSSL_cleanse(po, (size_t) outLen);
        return rc;
    }
    return outLen;
}

/*
 * A run of STREAM chunks (age's payload, c2sp.org/age) in one call, ChaCha20-Poly1305 under one key: chunk i of the
 * run has the 12-byte nonce of an 11-byte big-endian counter firstCounter + i and a flag byte, 1 only for the run's
 * last chunk when lastFinal. Sealing (encrypt != 0): in holds inLen plaintext bytes, chunk bytes each (the last one
 * shorter, or the only one empty); each chunk's ciphertext and tag go to out one after the other, inLen + 16 per
 * chunk in all. Opening: in holds inLen sealed bytes, chunk + 16 each (the last shorter, at least 16); the plaintexts
 * go to out one after the other. One JNI call, one key set-up and no Java allocation per chunk: per-chunk calls cost
 * about 2 us each at 64 KiB, 3% of the cipher's time. Returns the number of chunks done: all of them, or (opening) the
 * index of the first whose tag does not match, whose output range is then zeroed; or MMHC_E_*.
 */
JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_streamDirect(JNIEnv *env, jclass cls, jlong handle,
        jboolean encrypt, jbyteArray key, jobject in, jlong inOff, jint inLen, jobject out, jlong outOff, jint chunk,
        jlong firstCounter, jboolean lastFinal) {
    crypto_handle *h = (crypto_handle *) (intptr_t) handle;
    if (h == NULL || key == NULL || in == NULL || out == NULL || inLen < 0 || inOff < 0 || outOff < 0 || chunk < 1
            || chunk > INT32_MAX - MMHC_AEAD_TAG || firstCounter < 0
            || (*env)->GetArrayLength(env, key) != MMHC_AEAD_KEY) {
        return MMHC_E_ARG;
    }
    jlong step = encrypt ? chunk : (jlong) chunk + MMHC_AEAD_TAG;
    jlong chunks = inLen == 0 ? 1 : (inLen + step - 1) / step;
    jlong last = inLen - (chunks - 1) * step; /* the last chunk's bytes in in */
    if (!encrypt && last < MMHC_AEAD_TAG) {
        return MMHC_E_ARG;
    }
    jlong outLen = encrypt ? inLen + chunks * MMHC_AEAD_TAG : inLen - chunks * MMHC_AEAD_TAG;
    uint8_t *pi = (*env)->GetDirectBufferAddress(env, in);
    uint8_t *po = (*env)->GetDirectBufferAddress(env, out);
    jlong ci = (*env)->GetDirectBufferCapacity(env, in);
    jlong co = (*env)->GetDirectBufferCapacity(env, out);
    if (pi == NULL || po == NULL || ci < 0 || co < 0 || inOff > ci - inLen || outOff > co - outLen) {
        return MMHC_E_ARG;
    }
    pi += inOff;
    po += outOff;
    EVP_CIPHER *cipher = aead_cipher(h, MMHC_CHACHA20_POLY1305);
    if (cipher == NULL) {
        return MMHC_E_OPENSSL;
    }
    if (h->cc == NULL && (h->cc = EVP_CIPHER_CTX_new()) == NULL) {
        return MMHC_E_MEM;
    }
    EVP_CIPHER_CTX *cc = h->cc;
    uint8_t k[MMHC_AEAD_KEY], iv[MMHC_AEAD_NONCE], rest[32];
    (*env)->GetByteArrayRegion(env, key, 0, MMHC_AEAD_KEY, (jbyte *) k);
    memset(iv, 0, sizeof iv);
    int rc = (int) chunks;
    for (jlong i = 0; i < chunks; i++) {
        jlong n = (i == chunks - 1 ? last : step) - (encrypt ? 0 : MMHC_AEAD_TAG); /* message bytes */
        const uint8_t *src = pi + i * step;
        uint8_t *dst = po + i * (jlong) (encrypt ? chunk + MMHC_AEAD_TAG : chunk);
        uint64_t c = (uint64_t) firstCounter + (uint64_t) i;
        for (int b = 0; b < 8; b++) {
            iv[3 + b] = (uint8_t) (c >> (56 - 8 * b));
        }
        iv[11] = lastFinal && i == chunks - 1 ? 1 : 0;
        int outl = 0;
        if (!EVP_CipherInit_ex2(cc, cipher, k, iv, encrypt ? 1 : 0, NULL)
                || (!encrypt && !EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_SET_TAG, MMHC_AEAD_TAG, (void *) (src + n)))
                || (n > 0 && (!EVP_CipherUpdate(cc, dst, &outl, src, (int) n) || outl != n))) {
            rc = MMHC_E_OPENSSL;
            break;
        }
        if (!EVP_CipherFinal_ex(cc, rest, &outl) || outl != 0) {
            if (encrypt) {
                rc = MMHC_E_OPENSSL;
            } else {
                OPENSSL_cleanse(dst, (size_t) n);
                rc = (int) i;
            }
            break;
        }
        if (encrypt && !EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_AEAD_GET_TAG, MMHC_AEAD_TAG, dst + n)) {
            rc = MMHC_E_OPENSSL;
            break;
        }
    }
    OPENSSL_cleanse(k, sizeof k);
    return rc;
}

/*
 * X25519 (RFC 7748) of the 32-byte scalar and u-coordinate (its top bit ignored) into out: 0, or MMHC_E_OPENSSL,
 * also when the result is all zeros (u of small order), which OpenSSL refuses; Java then asks the JDK, which tells
 * the two apart. Through OpenSSL because the JDK's first X25519 costs 40-90 ms of provider look-ups and C1-compiled
 * field arithmetic at start-up, against microseconds here.
 */
JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_x25519(JNIEnv *env, jclass cls, jbyteArray scalar,
        jbyteArray u, jbyteArray out) {
    if (scalar == NULL || u == NULL || out == NULL || (*env)->GetArrayLength(env, scalar) != 32
            || (*env)->GetArrayLength(env, u) != 32 || (*env)->GetArrayLength(env, out) != 32) {
        return MMHC_E_ARG;
    }
    uint8_t k[32], p[32], r[32];
    (*env)->GetByteArrayRegion(env, scalar, 0, 32, (jbyte *) k);
    (*env)->GetByteArrayRegion(env, u, 0, 32, (jbyte *) p);
    p[31] &= 0x7f;
    EVP_PKEY *priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, k, sizeof k);
    EVP_PKEY *peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, p, sizeof p);
    EVP_PKEY_CTX *ctx = priv != NULL ? EVP_PKEY_CTX_new(priv, NULL) : NULL;
    size_t n = sizeof r;
    int ok = ctx != NULL && peer != NULL && EVP_PKEY_derive_init(ctx) > 0
            && EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) > 0 && EVP_PKEY_derive(ctx, r, &n) > 0 && n == sizeof r;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
    EVP_PKEY_free(priv);
    OPENSSL_cleanse(k, sizeof k);
    if (ok) {
        (*env)->SetByteArrayRegion(env, out, 0, 32, (jbyte *) r);
    }
    OPENSSL_cleanse(r, sizeof r);
    return ok ? 0 : MMHC_E_OPENSSL;
}

/* Fills b with bytes of OpenSSL's CSPRNG (RAND_bytes: its DRBG seeded from getrandom): 0 or MMHC_E_OPENSSL. */
JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_random(JNIEnv *env, jclass cls, jbyteArray b) {
    if (b == NULL) {
        return MMHC_E_ARG;
    }
    jsize n = (*env)->GetArrayLength(env, b);
    uint8_t buf[256];
    for (jsize done = 0; done < n;) {
        jsize k = n - done < (jsize) sizeof buf ? n - done : (jsize) sizeof buf;
        if (RAND_bytes(buf, k) != 1) {
            OPENSSL_cleanse(buf, sizeof buf);
            return MMHC_E_OPENSSL;
        }
        (*env)->SetByteArrayRegion(env, b, done, k, (jbyte *) buf);
        done += k;
    }
    OPENSSL_cleanse(buf, sizeof buf);
    return 0;
}
