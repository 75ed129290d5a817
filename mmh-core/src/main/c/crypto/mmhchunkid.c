/*
 * dev.mmh.chunk.NativeChunkHash: FastCDC cut points and each chunk's ID (SHA-256 or HMAC-SHA-256) in one JNI call
 * per slice of input, so a worker that chunks and hashes a file crosses into C once per MiB, not once per chunk,
 * and hashes each chunk right after scanning it, while it is still in the cache. The cut search is mmhcdc.h, the
 * same code as libmmhcore.so's; it is compiled in here so that the two libraries stay independent.
 *
 * A handle is one chunker's context: its parameters and gear table, its ID function and key, and the message of
 * the chunk in progress, which carries over from one call to the next (a chunk may span any number of calls).
 * One thread at a time; freed by close.
 */
#include "../mmhcdc.h"
#include "mmhcrypto.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    mmhc_digest d;
    mmh_cdc cdc;
    int alg;
    size_t keylen;
    uint8_t key[MMHC_MAX_KEY];
    int open; /* the current chunk's message has begun (it has at least one byte) */
} chunk_handle;

JNIEXPORT jint JNICALL Java_dev_mmh_chunk_NativeChunkHash_version(JNIEnv *env, jclass cls) {
    return 1;
}

static void free_handle(chunk_handle *h) {
    mmhc_digest_free(&h->d);
    OPENSSL_cleanse(h->key, sizeof h->key);
    free(h);
}

/* A context for (gear, min, avg, max) and the ID algorithm (key: NULL for SHA-256); 0 on bad arguments or no memory. */
JNIEXPORT jlong JNICALL Java_dev_mmh_chunk_NativeChunkHash_open(JNIEnv *env, jclass cls, jlongArray gear, jint min,
        jint avg, jint max, jint alg, jbyteArray key) {
    if (gear == NULL || (*env)->GetArrayLength(env, gear) != 256) {
        return 0;
    }
    if (alg == MMHC_SHA256 ? key != NULL
            : alg != MMHC_HMAC_SHA256 || key == NULL || (*env)->GetArrayLength(env, key) < 1
                || (*env)->GetArrayLength(env, key) > MMHC_MAX_KEY) {
        return 0;
    }
    chunk_handle *h = calloc(1, sizeof *h);
    if (h == NULL) {
        return 0;
    }
    if (mmhc_digest_init(&h->d) != 0) {
        free(h);
        return 0;
    }
    if (mmh_cdc_params(&h->cdc, min, avg, max) != 0) {
        free_handle(h);
        return 0;
    }
    (*env)->GetLongArrayRegion(env, gear, 0, 256, (jlong *) h->cdc.gear);
    h->alg = alg;
    if (key != NULL) {
        h->keylen = (size_t) (*env)->GetArrayLength(env, key);
        (*env)->GetByteArrayRegion(env, key, 0, (jsize) h->keylen, (jbyte *) h->key);
    }
    return (jlong) (intptr_t) h;
}

JNIEXPORT void JNICALL Java_dev_mmh_chunk_NativeChunkHash_close(JNIEnv *env, jclass cls, jlong handle) {
    chunk_handle *h = (chunk_handle *) (intptr_t) handle;
    if (h != NULL) {
        free_handle(h);
    }
}

/* Adds p[0, n) to the current chunk's message, beginning it at the chunk's first byte. */
static int add(chunk_handle *h, const uint8_t *p, size_t n) {
    if (n == 0) {
        return 0;
    }
    if (!h->open) {
        int rc = mmhc_begin(&h->d, h->alg, h->alg == MMHC_HMAC_SHA256 ? h->key : NULL, h->keylen);
        if (rc != 0) {
            return rc;
        }
        h->open = 1;
    }
    return mmhc_update(&h->d, p, n);
}

/*
 * Scans b[off, off+len) (len <= 1 MiB) as the next bytes of the open chunk (state = {its bytes so far, gear hash}),
 * hashing them. For each chunk that ends in the range: its end (offset from off, exclusive) to cuts[n] and its ID to
 * ids[32n, 32n+32). Returns n, or a negative MMHC_E_* code; after an error the context is only good for close.
 */
JNIEXPORT jint JNICALL Java_dev_mmh_chunk_NativeChunkHash_scan(JNIEnv *env, jclass cls, jlong handle, jbyteArray b,
        jint off, jint len, jlongArray state, jintArray cuts, jbyteArray ids) {
    chunk_handle *h = (chunk_handle *) (intptr_t) handle;
    if (h == NULL || b == NULL || state == NULL || cuts == NULL || ids == NULL || len > MMHC_SLICE
            || !mmhc_range_ok(off, len, (*env)->GetArrayLength(env, b)) || (*env)->GetArrayLength(env, state) != 2) {
        return MMHC_E_ARG;
    }
    /* at most len / min + 1 cuts: the first may come after one byte, each next one min bytes later at least */
    jint most = len / (jint) h->cdc.min + 1;
    if ((*env)->GetArrayLength(env, cuts) < most || (*env)->GetArrayLength(env, ids) / MMHC_DIGEST_LEN < most) {
        return MMHC_E_ARG;
    }
    jlong st[2];
    (*env)->GetLongArrayRegion(env, state, 0, 2, st);
    if (st[0] < 0 || st[0] >= (jlong) h->cdc.max || (st[0] > 0) != h->open) {
        return MMHC_E_STATE;
    }
    uint64_t k = (uint64_t) st[0];
    uint64_t hash = (uint64_t) st[1];
    uint8_t *in = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    if (in == NULL) {
        return MMHC_E_JNI;
    }
    jint *outc = (*env)->GetPrimitiveArrayCritical(env, cuts, NULL);
    uint8_t *outi = outc == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, ids, NULL);
    if (outi == NULL) {
        if (outc != NULL) {
            (*env)->ReleasePrimitiveArrayCritical(env, cuts, outc, JNI_ABORT);
        }
        (*env)->ReleasePrimitiveArrayCritical(env, b, in, JNI_ABORT);
        return MMHC_E_JNI;
    }
    const uint8_t *p = in + off;
    size_t pos = 0;
    jint n = 0;
    int rc = 0;
    while (pos < (size_t) len) {
        size_t r = mmh_cdc_scan(&h->cdc, p + pos, (size_t) len - pos, &k, &hash);
        size_t end = r != 0 ? pos + r : (size_t) len;
        rc = add(h, p + pos, end - pos);
        if (rc != 0 || r == 0) {
            break;
        }
        h->open = 0;
        rc = mmhc_end(&h->d, outi + (size_t) n * MMHC_DIGEST_LEN);
        if (rc != 0) {
            break;
        }
        outc[n++] = (jint) end;
        pos = end;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, ids, outi, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, cuts, outc, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, b, in, JNI_ABORT);
    if (rc != 0) {
        return rc;
    }
    st[0] = (jlong) k;
    st[1] = (jlong) hash;
    (*env)->SetLongArrayRegion(env, state, 0, 2, st);
    return n;
}

/* Ends the chunk in progress (at a forced cut or the end of the input): its ID to id[0, 32). */
JNIEXPORT jint JNICALL Java_dev_mmh_chunk_NativeChunkHash_finish(JNIEnv *env, jclass cls, jlong handle,
        jbyteArray id) {
    chunk_handle *h = (chunk_handle *) (intptr_t) handle;
    if (h == NULL || id == NULL || (*env)->GetArrayLength(env, id) < MMHC_DIGEST_LEN) {
        return MMHC_E_ARG;
    }
    if (!h->open) {
        return MMHC_E_STATE;
    }
    h->open = 0;
    uint8_t md[MMHC_DIGEST_LEN];
    int rc = mmhc_end(&h->d, md);
    if (rc == 0) {
        (*env)->SetByteArrayRegion(env, id, 0, MMHC_DIGEST_LEN, (jbyte *) md);
    }
    return rc;
}
