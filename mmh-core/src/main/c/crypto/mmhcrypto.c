/*
 * libmmhcrypto.so: mmh's binding to the system's OpenSSL libcrypto (3.x, EVP), for dev.mmh.crypto.NativeCrypto.
 * It exists because the JDK's SHA-256 runs at 63-80 MB/s under the launcher's C1-only JVM (C2's SHA-NI intrinsic
 * is not there), against ~1.8 GB/s for OpenSSL on the same CPU. Built by build.sh only where openssl/evp.h is found
 * (Debian: libssl-dev) and linked with -lcrypto (libssl3 at run time); without it the JDK's MessageDigest and Mac
 * do the same work.
 *
 * A handle is one context, used by one thread at a time (CryptoContext serialises its calls), freed by close. The
 * encryption work adds its AEAD state (an EVP_CIPHER_CTX) to crypto_handle and its calls beside these, with the
 * same rules: every length checked here as in Java, Java arrays pinned for at most MMHC_SLICE bytes per call,
 * failures returned as codes that Java turns into exceptions.
 */
#include "mmhcrypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
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
} crypto_handle;

JNIEXPORT jint JNICALL Java_dev_mmh_crypto_NativeCrypto_version(JNIEnv *env, jclass cls) {
    return 1;
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
