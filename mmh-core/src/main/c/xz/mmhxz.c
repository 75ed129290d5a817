/*
 * Native decoder of the xz codec's blocks (dev.mmh.codec.xz.NativeXz) over the system's liblzma: each block is a
 * raw LZMA2 stream (chunks, then the end marker), decoded with lzma_raw_decoder and the dictionary size the Java
 * side computes (XzCodec.dictSize). It exists because XZ for Java, under the launcher's C1-only JVM, decodes at
 * half liblzma's speed (35 against 75 MB/s on the xz blocks of Silesia samba and ooffice at --max). The encoder
 * stays XZ for Java, so archives do not depend on the machine.
 *
 * Built into its own libmmhxz.so (linked with -llzma) and only where lzma.h is found, so that libmmhcore.so
 * neither needs liblzma-dev to build nor liblzma5 to load; without it XzCodec decodes in Java.
 *
 * One handle (an lzma_stream) per Java decompressor, re-initialised for every block. liblzma keeps the decoder's
 * state and its dictionary buffer across lzma_raw_decoder calls as long as the dictionary size does not change
 * (lz_decoder.c in 5.4.1: the buffer is freed and allocated again only when the size differs), so a handle that
 * keeps a larger size than a block needs decodes it in the same buffer: no allocation and no page faults per
 * block. A larger dictionary than a block needs decodes it the same: matches never reach before the block's start,
 * and liblzma checks each match distance against the bytes decoded so far, not against the dictionary size.
 * What a handle keeps is bounded (keep_dict): the dictionary it holds is kept for a block that needs at least half
 * of it, or when it is at most KEEP_ALWAYS; otherwise it is freed and one of the block's size made, so a handle
 * holds at most max(KEEP_ALWAYS, twice the last block's dictionary), never the largest it ever saw.
 *
 * The checks are the Java decoder's: exactly rawLen bytes, then the end marker, then no more input. Errors come
 * back as negative codes; the Java side turns them into CorruptDataException with totalIn/totalOut for detail.
 *
 * JNI conventions (as every C file of mmh): NativeXz validates every argument in Java before the call and holds
 * each handle in a dev.mmh.io.NativeHandle (one call at a time, never after close); this file checks again what
 * is cheap (null handle, offsets and lengths against the arrays' lengths, the dictionary size) and throws
 * IllegalArgumentException or IllegalStateException rather than touch memory outside an array.
 */
#include <jni.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>

#include "../mmhjni.h"

#define E_DATA (-1)      /* LZMA_DATA_ERROR (or LZMA_OPTIONS_ERROR): not LZMA2 data */
#define E_TRUNCATED (-2) /* LZMA_BUF_ERROR: the input ended before the end marker */
#define E_SHORT (-3)     /* the end marker came before rawLen bytes */
#define E_LONG (-4)      /* more than rawLen bytes before the end marker */
#define E_TRAILING (-5)  /* bytes after the end marker */
#define E_MEM (-6)       /* LZMA_MEM_ERROR: no memory for the decoder or its dictionary */
#define E_JNI (-7)       /* the Java arrays could not be reached */
#define E_OTHER (-100)   /* E_OTHER - lzma_ret for any other liblzma result */

/*
 * The Java arrays are reached through GetPrimitiveArrayCritical (no copy), but for at most SLICE bytes of output
 * at a time: a critical region holds up the garbage collector (and every thread that allocates meanwhile), and
 * an 8 MiB block takes 60-160 ms to decode. liblzma keeps no pointer into the caller's buffers between lzma_code
 * calls, so the arrays can be released (and moved by the GC) between slices. 1 MiB bounds the hold to ~20 ms at
 * the slowest rate measured (54 MB/s); slicing costs nothing measurable (src/test/c/xzbench.c: whole block,
 * 1 MiB slices and lzma_raw_buffer_decode all within noise of 75 MB/s), nor does JNI (XzDecodeBench: the same).
 * Copying in and out instead (as mmhbwt.c does) would add two copies of each block for no gain here.
 */
#define SLICE (1u << 20)

/*
 * A dictionary up to this size is kept for any smaller block: the default block size (8 MiB), so that the last,
 * shorter block of an archive does not cost a new dictionary for the next archive's first block.
 */
#define KEEP_ALWAYS (8u << 20)

typedef struct {
    lzma_stream strm;
    uint32_t dict; /* the dictionary size the stream's decoder holds; 0 when it holds none */
} xz_handle;

/* The dictionary size to decode a block needing `need` bytes with, given the one held (0: none). */
static uint32_t keep_dict(uint32_t held, uint32_t need) {
    if (held >= need && (held <= KEEP_ALWAYS || held / 2 <= need)) {
        return held;
    }
    return need;
}

/* The handle; throws IllegalStateException for a null one. */
static xz_handle *handle_of(JNIEnv *env, jlong handle) {
    if (handle == 0) {
        mmh_throw(env, MMH_ISE, "mmhxz: null handle (closed?)");
    }
    return (xz_handle *) (intptr_t) handle;
}

/* 1 if [off, off + len) lies in arr; else throws IllegalArgumentException and returns 0. */
static int in_array(JNIEnv *env, jbyteArray arr, jint off, jint len) {
    return mmh_in_array(env, arr, off, len, 0, MMH_IAE, "mmhxz: range outside its array");
}

JNIEXPORT jint JNICALL Java_dev_mmh_codec_xz_NativeXz_version(JNIEnv *env, jclass cls) {
    return 2;
}

JNIEXPORT jstring JNICALL Java_dev_mmh_codec_xz_NativeXz_liblzmaVersion(JNIEnv *env, jclass cls) {
    return (*env)->NewStringUTF(env, lzma_version_string());
}

/* A new handle, or 0 when out of memory. liblzma allocates the decoder at the first block. */
JNIEXPORT jlong JNICALL Java_dev_mmh_codec_xz_NativeXz_open0(JNIEnv *env, jclass cls) {
    xz_handle *h = malloc(sizeof *h);
    if (h == NULL) {
        return 0;
    }
    lzma_stream init = LZMA_STREAM_INIT;
    h->strm = init;
    h->dict = 0;
    return (jlong) (intptr_t) h;
}

JNIEXPORT void JNICALL Java_dev_mmh_codec_xz_NativeXz_close0(JNIEnv *env, jclass cls, jlong handle) {
    xz_handle *h = (xz_handle *) (intptr_t) handle;
    if (h != NULL) {
        lzma_end(&h->strm);
        free(h);
    }
}

/* Input bytes and output bytes of the last block, for error messages (output counts a byte past rawLen). */
JNIEXPORT jlong JNICALL Java_dev_mmh_codec_xz_NativeXz_totalIn0(JNIEnv *env, jclass cls, jlong handle) {
    xz_handle *h = handle_of(env, handle);
    return h == NULL ? 0 : (jlong) h->strm.total_in;
}

JNIEXPORT jlong JNICALL Java_dev_mmh_codec_xz_NativeXz_totalOut0(JNIEnv *env, jclass cls, jlong handle) {
    xz_handle *h = handle_of(env, handle);
    return h == NULL ? 0 : (jlong) h->strm.total_out;
}

/* The dictionary size the handle's decoder holds (0: none). */
JNIEXPORT jlong JNICALL Java_dev_mmh_codec_xz_NativeXz_dictHeld0(JNIEnv *env, jclass cls, jlong handle) {
    xz_handle *h = handle_of(env, handle);
    return h == NULL ? 0 : (jlong) h->dict;
}

/*
 * One lzma_code call with the arrays pinned: input from src[srcOff + total_in, srcOff + srcLen), output to at most
 * outLen bytes at dst[dstOff + total_out], or, when extra is not NULL, to that one byte instead.
 */
static int code_pinned(JNIEnv *env, lzma_stream *s, jbyteArray src, jint srcOff, jint srcLen, jbyteArray dst,
        jint dstOff, uint32_t outLen, uint8_t *extra, lzma_ret *ret) {
    uint8_t *in = (*env)->GetPrimitiveArrayCritical(env, src, NULL);
    if (in == NULL) {
        return E_JNI;
    }
    uint8_t *out = NULL;
    if (extra == NULL) {
        out = (*env)->GetPrimitiveArrayCritical(env, dst, NULL);
        if (out == NULL) {
            (*env)->ReleasePrimitiveArrayCritical(env, src, in, JNI_ABORT);
            return E_JNI;
        }
    }
    s->next_in = in + srcOff + s->total_in;
    s->avail_in = (size_t) srcLen - s->total_in;
    s->next_out = extra != NULL ? extra : out + dstOff + s->total_out;
    s->avail_out = extra != NULL ? 1 : outLen;
    /* LZMA_RUN: all input is there from the first call; the LZMA2 end marker ends the stream either way */
    *ret = lzma_code(s, LZMA_RUN);
    if (out != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, dst, out, 0);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, src, in, JNI_ABORT);
    s->next_in = NULL;
    s->next_out = NULL;
    return 0;
}

/*
 * Decodes src[srcOff, srcOff + srcLen) into exactly dst[dstOff, dstOff + rawLen) with a dictionary of at least
 * dictSize bytes (LZMA_DICT_SIZE_MIN..1.5 GiB). Returns 0 or a negative code (see E_*); a damaged block may leave
 * part of dst written, as the Java decoder does.
 *
 * Ends: every lzma_code call either makes progress (bounded by srcLen input and rawLen + 1 output bytes) or is
 * answered, at the second call in a row without progress, by LZMA_BUF_ERROR.
 */
JNIEXPORT jint JNICALL Java_dev_mmh_codec_xz_NativeXz_decode0(JNIEnv *env, jclass cls, jlong handle,
        jbyteArray src, jint srcOff, jint srcLen, jbyteArray dst, jint dstOff, jint rawLen, jint dictSize) {
    xz_handle *h = handle_of(env, handle);
    if (h == NULL || !in_array(env, src, srcOff, srcLen) || !in_array(env, dst, dstOff, rawLen)) {
        return E_JNI;
    }
    if (dictSize < (jint) LZMA_DICT_SIZE_MIN || (uint32_t) dictSize > (3u << 29)) {
        mmh_throw(env, MMH_IAE, "mmhxz: dictionary size out of range");
        return E_JNI;
    }
    lzma_stream *s = &h->strm;
    uint32_t dict = keep_dict(h->dict, (uint32_t) dictSize); /* see the top of the file */
    lzma_options_lzma opt;
    if (lzma_lzma_preset(&opt, 0)) { /* lc, lp, pb: the stream's first chunk sets them anyway */
        return E_OTHER - LZMA_PROG_ERROR;
    }
    opt.dict_size = dict;
    lzma_filter filters[2] = {{LZMA_FILTER_LZMA2, &opt}, {LZMA_VLI_UNKNOWN, NULL}};
    lzma_ret ret = lzma_raw_decoder(s, filters);
    if (ret != LZMA_OK) {
        h->dict = 0; /* a failed initialisation frees the decoder */
        return ret == LZMA_MEM_ERROR ? E_MEM : E_OTHER - (int) ret;
    }
    h->dict = dict;

    uint8_t extra;
    ret = LZMA_OK;
    while (ret == LZMA_OK) {
        uint64_t left = (uint64_t) rawLen - s->total_out;
        int rc;
        if (left > 0) {
            rc = code_pinned(env, s, src, srcOff, srcLen, dst, dstOff, left < SLICE ? (uint32_t) left : SLICE,
                    NULL, &ret);
        } else {
            /* rawLen bytes are out: the next thing must be the end marker, so a byte more is an error */
            extra = 0;
            rc = code_pinned(env, s, src, srcOff, srcLen, dst, dstOff, 0, &extra, &ret);
            if (rc == 0 && s->total_out > (uint64_t) rawLen) {
                return E_LONG;
            }
        }
        if (rc != 0) {
            return rc;
        }
    }
    switch (ret) {
    case LZMA_STREAM_END:
        if (s->total_out < (uint64_t) rawLen) {
            return E_SHORT;
        }
        return s->total_in < (uint64_t) srcLen ? E_TRAILING : 0;
    case LZMA_DATA_ERROR:
    case LZMA_OPTIONS_ERROR:
        return E_DATA;
    case LZMA_BUF_ERROR:
        return E_TRUNCATED;
    case LZMA_MEM_ERROR:
        return E_MEM;
    default:
        return E_OTHER - (int) ret;
    }
}
