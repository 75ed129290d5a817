/*
 * Native decoder of the bwt codec's blocks (dev.mmh.codec.bwt.NativeBwt): the same block format, checks and
 * output as BwtCodec's Java decoder (RankCoder.decode, then Bwt.inverse, chunk by chunk), in one JNI call per
 * block. It exists because the mmh launcher runs the JVM with C1 only, where the Java decoder does ~30 MB/s.
 *
 * Every index computed from the input is checked as the Java code checks it, so damaged input ends in an error
 * code, never in a read or write out of bounds; Java then reruns its own decoder for the exception's message.
 *
 * JNI conventions (as every C file of mmh): NativeBwt validates every argument in Java before the call and holds
 * the context in a dev.mmh.io.NativeHandle (one call at a time, never after close); this file checks again what
 * is cheap (null context, offsets and lengths against the arrays' lengths) and throws IllegalArgumentException or
 * IllegalStateException rather than touch memory outside an array. No Java array is pinned: the block is copied
 * in (GetByteArrayRegion) and each decoded chunk copied out (SetByteArrayRegion), about 1% of the decoding time,
 * so a long decode never holds up the GC.
 *
 * Memory: each decompressor owns one context (open/close), which holds the scratch area, allocated at the first
 * block and grown when a block needs more (bwt_scratch_size): the inverse table and the output of one chunk (5
 * bytes per byte of a chunk, as the Java decoder), and the block's input with zero padding (the range decoder
 * reads past a chunk's end without a bounds check; the padding and the per-token overrun check keep it in bounds).
 * close() frees it; nothing is kept per thread.
 */
#include <jni.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmhjni.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mmhbwt.c reads pairs of 16-bit estimates as one little-endian word"
#endif

#define BWT_MAX_CHUNK ((1 << 24) - 1)
#define BWT_MAX_CHAINS 1024

/* RankCoder's context layout */
#define HIST 16
#define CLASS_TREE 0
#define RANK_BITS (CLASS_TREE + HIST * 16)
#define RUN_TREE (RANK_BITS + 16 * 256)
#define RUN_BITS (RUN_TREE + HIST * 32)
#define NCTX (RUN_BITS + 32 * 32 * 2)

/*
 * Zero bytes after a chunk's coded data. The decoder checks the overrun after every token, as the Java decoder
 * does: at most 4 bytes past the end are allowed before a token, and one token reads at most 2 bytes for each of
 * its 4 + 5 + 30 decisions; the start reads 5.
 */
#define IN_PAD 128

/* src/test/c/bwtbench.c times the two stages through these; no-ops in the library */
#ifndef MMHBWT_PROFILE_RANK
#define MMHBWT_PROFILE_RANK(x) x
#define MMHBWT_PROFILE_INV(x) x
#endif

/* error codes (the Java side reruns its decoder for the message) */
#define E_FORMAT (-1)
#define E_SIZE (-2)
#define E_CHUNK_SIZE (-3)
#define E_TRUNCATED (-4)
#define E_STORED (-5)
#define E_MODE (-6)
#define E_PRIMARY (-7)
#define E_ROW (-8)
#define E_CODED_SIZE (-9)
#define E_DAMAGED (-10)
#define E_TRAILING (-11)
#define E_VARINT (-12)
#define E_SCRATCH (-13)

/* Varints.get: unsigned LEB128 of a non-negative int, at most 5 bytes */
static int varint(const uint8_t *s, uint32_t *pos, uint32_t end, uint32_t *out) {
    uint32_t v = 0;
    uint32_t i = *pos;
    for (int shift = 0; shift < 32; shift += 7) {
        if (i >= end) {
            return E_TRUNCATED;
        }
        uint32_t b = s[i++];
        v |= (b & 0x7F) << shift;
        if (b < 0x80) {
            if (v > 0x7FFFFFFFu || (shift == 28 && (b & 0x70) != 0)) {
                return E_VARINT;
            }
            *pos = i;
            *out = v;
            return 0;
        }
    }
    return E_VARINT;
}

/*
 * RankCoder.decode: n bytes into dst from in[0, len) (followed by IN_PAD readable zero bytes), counting them
 * into count. dst has 16 writable bytes after the n (a short run is written as 16 bytes). Returns 0, or
 * E_DAMAGED where the Java decoder returns false.
 *
 * The same model, decision by decision. Two forms of a decision: with a branch where the bit is usually
 * predictable (the class and run-length trees, whose upper levels are skewed), and branch-free (the bits
 * inside a rank class and a run length, close to even odds, where a branch would mispredict every other time).
 */
static int rank_decode(const uint8_t *in, uint32_t len, uint8_t *dst, uint32_t n, uint32_t *count) {
    uint16_t prob[2 * NCTX]; /* fast estimate at 2*ctx, slow at 2*ctx+1, as RankCoder.decodeProb */
    uint8_t mtf[256];
    for (int k = 0; k < 2 * NCTX; k++) {
        prob[k] = 1 << 15;
    }
    for (int k = 0; k < 256; k++) {
        mtf[k] = (uint8_t) k;
        count[k] = 0;
    }
    const uint8_t *p = in;
    const uint8_t *end = in + len;
    uint32_t range = 0xFFFFFFFFu;
    uint32_t code = 0;
    for (int k = 0; k < 5; k++) {
        code = (code << 8) | *p++;
    }
    uint32_t hist = 0;
    uint32_t i = 0;

#define NORMALIZE()                                                                                          \
    if (range < (1u << 24)) {                                                                                \
        range <<= 8;                                                                                         \
        code = (code << 8) | *p++;                                                                           \
        if (range < (1u << 24)) {                                                                            \
            range <<= 8;                                                                                     \
            code = (code << 8) | *p++;                                                                       \
        }                                                                                                    \
    }
/* one decision under context ctx, shifted into node: 1 if code < bound, as in the Java decoder */
#define DECIDE(ctx, node)                                                                                    \
    {                                                                                                        \
        uint16_t *pp = prob + 2 * (ctx);                                                                     \
        int32_t p0 = pp[0], p1 = pp[1];                                                                      \
        uint32_t bound = (range >> 16) * (uint32_t) ((p0 + p1) >> 1);                                        \
        if (code < bound) {                                                                                  \
            range = bound;                                                                                   \
            pp[0] = (uint16_t) (p0 + ((65504 - p0) >> 4));                                                   \
            pp[1] = (uint16_t) (p1 + ((65504 - p1) >> 7));                                                   \
            node = (node << 1) | 1;                                                                          \
        } else {                                                                                             \
            range -= bound;                                                                                  \
            code -= bound;                                                                                   \
            pp[0] = (uint16_t) (p0 + ((32 - p0) >> 4));                                                      \
            pp[1] = (uint16_t) (p1 + ((32 - p1) >> 7));                                                      \
            node <<= 1;                                                                                      \
        }                                                                                                    \
        NORMALIZE()                                                                                          \
    }
/* the same decision without a branch (>> of a negative int is arithmetic in gcc, as in Java) */
#define DECIDE_FLAT(ctx, node)                                                                               \
    {                                                                                                        \
        uint16_t *pp = prob + 2 * (ctx);                                                                     \
        int32_t p0 = pp[0], p1 = pp[1];                                                                      \
        uint32_t bound = (range >> 16) * (uint32_t) ((p0 + p1) >> 1);                                        \
        uint32_t bit = code < bound;                                                                         \
        uint32_t mask = 0u - bit;                                                                            \
        int32_t target = 32 + (int32_t) (65472 & mask);                                                      \
        range = ((range - bound) & ~mask) | (bound & mask);                                                  \
        code -= bound & ~mask;                                                                               \
        pp[0] = (uint16_t) (p0 + ((target - p0) >> 4));                                                      \
        pp[1] = (uint16_t) (p1 + ((target - p1) >> 7));                                                      \
        node = (node << 1) + bit;                                                                            \
        NORMALIZE()                                                                                          \
    }

    while (i < n) {
        /* the class: 4 decisions down the tree of this history */
        uint32_t node = 1;
        uint32_t base = CLASS_TREE + hist * 16;
        DECIDE(base + node, node)
        DECIDE(base + node, node)
        DECIDE(base + node, node)
        DECIDE(base + node, node)
        uint32_t cls = node - 16;
        if (cls == 0) {
            /* a run: Elias gamma, the exponent down a 5-decision tree, then the bits below the leading one */
            node = 1;
            base = RUN_TREE + hist * 32;
            DECIDE(base + node, node)
            DECIDE(base + node, node)
            DECIDE(base + node, node)
            DECIDE(base + node, node)
            DECIDE(base + node, node)
            uint32_t g = node - 32;
            uint32_t run = 1;
            if (g > 0) {
                DECIDE_FLAT(RUN_BITS + (g * 32 + g - 1) * 2, run)
                for (uint32_t j = g - 1; j-- > 0;) {
                    DECIDE_FLAT(RUN_BITS + (g * 32 + j) * 2 + 1, run)
                }
            }
            if (run > n - i) {
                return E_DAMAGED;
            }
            uint8_t x = mtf[0];
            count[x] += run;
#ifdef __SSE2__
            if (run <= 16) {
                _mm_storeu_si128((__m128i *) (dst + i), _mm_set1_epi8((char) x));
            } else
#endif
            {
                memset(dst + i, x, run);
            }
            i += run;
            hist = (hist << 2) & 0xC;
        } else {
            uint32_t r = cls;
            if (cls > 2) {
                /* classes 3..9 hold ranks 2^(cls-2)+1 .. 2^(cls-1); a damaged stream may name 10..15: cap them */
                uint32_t top = 1u << ((cls < 9 ? cls : 9) - 2);
                base = RANK_BITS + (cls << 8);
                /*
                 * branch-free down the class's tree; both children's estimates are loaded before the bit that
                 * picks one is known, so a step does not wait for a load (children lie next to each other)
                 */
                node = 1;
                uint32_t pair;
                memcpy(&pair, prob + 2 * (base + 1), 4);
                do {
                    uint64_t kids;
                    memcpy(&kids, prob + 2 * (base + 2 * node), 8);
                    int32_t p0 = (int32_t) (pair & 0xffff), p1 = (int32_t) (pair >> 16);
                    uint32_t bound = (range >> 16) * (uint32_t) ((p0 + p1) >> 1);
                    uint32_t bit = code < bound;
                    uint32_t mask = 0u - bit;
                    int32_t target = 32 + (int32_t) (65472 & mask);
                    range = ((range - bound) & ~mask) | (bound & mask);
                    code -= bound & ~mask;
                    uint16_t *pp = prob + 2 * (base + node);
                    pp[0] = (uint16_t) (p0 + ((target - p0) >> 4));
                    pp[1] = (uint16_t) (p1 + ((target - p1) >> 7));
                    node = (node << 1) + bit;
                    pair = (uint32_t) (kids >> (bit * 32)); /* little-endian: the left child is the low half */
                    NORMALIZE()
                } while (node < top);
                r = node + 1 < 255 ? node + 1 : 255;
                cls = 3;
            }
            uint8_t x = mtf[r];
#ifdef __SSE2__
            if (r < 16) {
                /* mtf[1..r] = mtf[0..r-1], the rest of the first 16 kept */
                __m128i v = _mm_loadu_si128((const __m128i *) mtf);
                __m128i keep = _mm_cmpgt_epi8(
                        _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm_set1_epi8((char) r));
                v = _mm_or_si128(_mm_and_si128(keep, v), _mm_andnot_si128(keep, _mm_slli_si128(v, 1)));
                _mm_storeu_si128((__m128i *) mtf, v);
            } else
#endif
            {
                memmove(mtf + 1, mtf, r);
            }
            mtf[0] = x;
            count[x]++;
            dst[i++] = x;
            hist = ((hist << 2) & 0xC) | cls;
        }
        if (p > end + 4) {
            return E_DAMAGED;
        }
    }
    return 0;
#undef DECIDE
#undef DECIDE_FLAT
#undef NORMALIZE
}

/*
 * Bwt.inverse in place: buf[0, m) holds the BWT output on entry and the chunk on return. table has m + 1
 * entries; count[c] is the number of bytes c in buf. primary and the rows are in [0, m] (checked by the caller),
 * so every table entry, and so every row the chains visit, is in [0, m].
 */
static void inverse(uint8_t *buf, uint32_t m, uint32_t primary, uint32_t step, const uint32_t *rows,
        uint32_t chains, uint32_t *table, const uint32_t *count) {
    uint32_t next[256];
    uint32_t sum = 1; /* row 0 is the sentinel's suffix */
    for (int c = 0; c < 256; c++) {
        next[c] = sum;
        sum += count[c];
    }
    /*
     * Row i holds buf[i] before the primary row and buf[i - 1] after it. The four quarters of buf are done side by
     * side, each from its own next[] (counted ahead), so that a run of one byte value, where each step waits for
     * the previous one's next[c]++, holds up only its own quarter.
     */
    uint32_t q = m / 4;
    uint32_t nx[4][256];
    memcpy(nx[0], next, sizeof next);
    for (int k = 1; k < 4; k++) {
        uint32_t h[4][256];
        memset(h, 0, sizeof h);
        const uint8_t *b = buf + (size_t) (k - 1) * q;
        uint32_t j = 0;
        for (; j + 4 <= q; j += 4) {
            h[0][b[j]]++;
            h[1][b[j + 1]]++;
            h[2][b[j + 2]]++;
            h[3][b[j + 3]]++;
        }
        for (; j < q; j++) {
            h[0][b[j]]++;
        }
        for (int c = 0; c < 256; c++) {
            nx[k][c] = nx[k - 1][c] + h[0][c] + h[1][c] + h[2][c] + h[3][c];
        }
    }
    table[primary] = 0;
    for (uint32_t j = 0; j < q; j++) {
        for (uint32_t k = 0; k < 4; k++) {
            uint32_t i = k * q + j;
            uint32_t c = buf[i];
            table[i + (i >= primary)] = (nx[k][c]++ << 8) | c;
        }
    }
    for (uint32_t i = 4 * q; i < m; i++) {
        uint32_t c = buf[i];
        table[i + (i >= primary)] = (nx[3][c]++ << 8) | c;
    }
    /* chain k < chains - 1 writes [k*step, (k+1)*step) backwards from rows[k]; the last one ends at m, from row 0 */
    uint32_t cur[BWT_MAX_CHAINS];
    for (uint32_t k = 0; k + 1 < chains; k++) {
        cur[k] = rows[k];
    }
    cur[chains - 1] = 0;
    uint32_t last = m - (chains - 1) * step; /* length of the last chain, 1..step */
    /* all chains in lock step for the last chain's length, then the others' rest */
    if (chains == 16) {
        uint8_t *out = buf + step - 1;
        uint32_t c[16];
        for (int k = 0; k < 16; k++) {
            c[k] = cur[k];
        }
        uint8_t *out15 = buf + m - 1;
        for (uint32_t s = 0; s < last; s++) {
            uint32_t v[16];
            for (int k = 0; k < 15; k++) {
                v[k] = table[c[k]];
            }
            v[15] = table[c[15]];
            for (int k = 0; k < 15; k++) {
                out[(size_t) k * step - s] = (uint8_t) v[k];
                c[k] = v[k] >> 8;
            }
            out15[-(ptrdiff_t) s] = (uint8_t) v[15];
            c[15] = v[15] >> 8;
        }
        for (int k = 0; k < 16; k++) {
            cur[k] = c[k];
        }
    } else {
        for (uint32_t s = 0; s < last; s++) {
            for (uint32_t k = 0; k + 1 < chains; k++) {
                uint32_t v = table[cur[k]];
                buf[(k + 1) * step - 1 - s] = (uint8_t) v;
                cur[k] = v >> 8;
            }
            uint32_t v = table[cur[chains - 1]];
            buf[m - 1 - s] = (uint8_t) v;
            cur[chains - 1] = v >> 8;
        }
    }
    for (uint32_t k = 0; k + 1 < chains; k++) {
        uint32_t r = cur[k];
        for (uint32_t s = last; s < step; s++) {
            uint32_t v = table[r];
            buf[(k + 1) * step - 1 - s] = (uint8_t) v;
            r = v >> 8;
        }
    }
}

/* The largest chunk a block of rawLen bytes can hold. */
static uint32_t chunk_room(uint32_t rawLen) {
    return rawLen < BWT_MAX_CHUNK ? rawLen : BWT_MAX_CHUNK;
}

/* Scratch bytes bwt_decode_scratch needs for a block of srcLen bytes decoding to rawLen. */
static uint64_t bwt_scratch_size(uint32_t srcLen, uint32_t rawLen) {
    uint64_t w = chunk_room(rawLen);
    /* alignment, the table, a chunk's output (and 16 bytes after it), the input and its padding */
    return 64 + 4 * (w + 1) + w + 16 + srcLen + IN_PAD;
}

/* Where decoded chunks go: emit(sink, offset in the block, bytes, n) returns 0, or nonzero to stop. */
typedef int (*bwt_emit)(void *sink, uint32_t offset, const uint8_t *bytes, uint32_t n);

/*
 * BwtDecompressor.decompress: src[0, srcLen) (followed by IN_PAD writable bytes) into rawLen bytes, handed to
 * emit chunk by chunk. out (with 16 bytes more) and table (one entry more) hold min(rawLen, BWT_MAX_CHUNK).
 */
static int bwt_decode(uint8_t *src, uint32_t srcLen, uint32_t rawLen, uint8_t *out, uint32_t *table, bwt_emit emit,
        void *sink) {
    uint32_t in = 0;
    uint32_t end = srcLen;
    uint32_t v;
    int e;
    if (srcLen < 2 || src[in++] != 0) {
        return E_FORMAT;
    }
    if ((e = varint(src, &in, end, &v)) != 0) {
        return e;
    }
    if (v != rawLen) {
        return E_SIZE;
    }
    uint32_t chunkSize;
    if ((e = varint(src, &in, end, &chunkSize)) != 0) {
        return e;
    }
    if (chunkSize < 1 || chunkSize > BWT_MAX_CHUNK) {
        return E_CHUNK_SIZE;
    }
    uint32_t rows[BWT_MAX_CHAINS];
    uint32_t count[256];
    for (uint32_t done = 0; done < rawLen;) {
        uint32_t m = rawLen - done < chunkSize ? rawLen - done : chunkSize;
        if (in >= end) {
            return E_TRUNCATED;
        }
        uint32_t mode = src[in++];
        if (mode == 0) {
            if (end - in < m) {
                return E_STORED;
            }
            if (emit(sink, done, src + in, m) != 0) {
                return E_SCRATCH;
            }
            in += m;
            done += m;
            continue;
        }
        if (mode != 1) {
            return E_MODE;
        }
        uint32_t primary, step, len;
        if ((e = varint(src, &in, end, &primary)) != 0 || (e = varint(src, &in, end, &step)) != 0) {
            return e;
        }
        if (primary > m || step < 1 || step > m || ((uint64_t) m + step - 1) / step > BWT_MAX_CHAINS) {
            return E_PRIMARY;
        }
        uint32_t chains = (m + step - 1) / step;
        for (uint32_t k = 0; k + 1 < chains; k++) {
            if ((e = varint(src, &in, end, &rows[k])) != 0) {
                return e;
            }
            if (rows[k] > m) {
                return E_ROW;
            }
        }
        if ((e = varint(src, &in, end, &len)) != 0) {
            return e;
        }
        if (len > end - in) {
            return E_CODED_SIZE;
        }
        /* the coded data must be followed by zeros, as the Java decoder reads zeros past its end */
        uint8_t saved[IN_PAD];
        memcpy(saved, src + in + len, IN_PAD);
        memset(src + in + len, 0, IN_PAD);
        MMHBWT_PROFILE_RANK(e = rank_decode(src + in, len, out, m, count));
        memcpy(src + in + len, saved, IN_PAD);
        if (e != 0) {
            return e;
        }
        in += len;
        MMHBWT_PROFILE_INV(inverse(out, m, primary, step, rows, chains, table, count));
        if (emit(sink, done, out, m) != 0) {
            return E_SCRATCH;
        }
        done += m;
    }
    if (in != end) {
        return E_TRAILING;
    }
    return 0;
}

/* The scratch area: the inverse table (64-byte aligned), a chunk's output and 16 bytes, the input and padding. */
static uint32_t *scratch_table(uint8_t *base) {
    return (uint32_t *) (((uintptr_t) base + 63) & ~(uintptr_t) 63);
}

static uint8_t *scratch_output(uint8_t *base, uint32_t rawLen) {
    return (uint8_t *) (scratch_table(base) + chunk_room(rawLen) + 1);
}

static uint8_t *scratch_input(uint8_t *base, uint32_t rawLen) {
    return scratch_output(base, rawLen) + chunk_room(rawLen) + 16;
}

/* Decodes the srcLen bytes at scratch_input; base holds bwt_scratch_size(srcLen, rawLen) bytes. */
static int bwt_decode_scratch(uint8_t *base, uint32_t srcLen, uint32_t rawLen, bwt_emit emit, void *sink) {
    uint8_t *in = scratch_input(base, rawLen);
    memset(in + srcLen, 0, IN_PAD);
    return bwt_decode(in, srcLen, rawLen, scratch_output(base, rawLen), scratch_table(base), emit, sink);
}

/* A decompressor's context: its scratch area, grown as blocks need. */
typedef struct {
    uint8_t *base;
    uint64_t cap;
} bwt_context;

JNIEXPORT jint JNICALL Java_dev_mmh_codec_bwt_NativeBwt_version(JNIEnv *env, jclass cls) {
    return 2;
}

JNIEXPORT jlong JNICALL Java_dev_mmh_codec_bwt_NativeBwt_scratchSize(JNIEnv *env, jclass cls, jint srcLen,
        jint rawLen) {
    if (srcLen < 0 || rawLen < 0) {
        mmh_throw(env, MMH_IAE, "mmhbwt: negative size");
        return 0;
    }
    return (jlong) bwt_scratch_size((uint32_t) srcLen, (uint32_t) rawLen);
}

/* A new context without scratch yet, or 0 when out of memory. */
JNIEXPORT jlong JNICALL Java_dev_mmh_codec_bwt_NativeBwt_open0(JNIEnv *env, jclass cls) {
    return (jlong) (intptr_t) calloc(1, sizeof(bwt_context));
}

JNIEXPORT void JNICALL Java_dev_mmh_codec_bwt_NativeBwt_close0(JNIEnv *env, jclass cls, jlong handle) {
    bwt_context *c = (bwt_context *) (intptr_t) handle;
    if (c != NULL) {
        free(c->base);
        free(c);
    }
}

/* Bytes of scratch the context holds. */
JNIEXPORT jlong JNICALL Java_dev_mmh_codec_bwt_NativeBwt_scratchHeld0(JNIEnv *env, jclass cls, jlong handle) {
    bwt_context *c = (bwt_context *) (intptr_t) handle;
    if (c == NULL) {
        mmh_throw(env, MMH_ISE, "mmhbwt: null context (closed?)");
        return 0;
    }
    return (jlong) c->cap;
}

/* emit for the JNI entry point: into the Java array */
struct java_sink {
    JNIEnv *env;
    jbyteArray dst;
    jint dstOff;
};

static int to_java(void *sink, uint32_t offset, const uint8_t *bytes, uint32_t n) {
    struct java_sink *j = sink;
    (*j->env)->SetByteArrayRegion(j->env, j->dst, j->dstOff + (jint) offset, (jint) n, (const jbyte *) bytes);
    return (*j->env)->ExceptionCheck(j->env) ? 1 : 0;
}

/*
 * Decodes src[srcOff, srcOff + srcLen) into dst[dstOff, dstOff + rawLen) in the context's scratch, which grows to
 * at least scratchSize(srcLen, rawLen) bytes (roomy, if more, when it must grow: later blocks of the same raw
 * size then fit whatever their coded size). Returns 0 or a negative code (E_SCRATCH: no memory for the scratch).
 * Chunks are written to dst as they are decoded, so a damaged block may leave some written, as the Java decoder
 * does.
 */
JNIEXPORT jint JNICALL Java_dev_mmh_codec_bwt_NativeBwt_decode0(JNIEnv *env, jclass cls, jlong handle,
        jbyteArray src, jint srcOff, jint srcLen, jbyteArray dst, jint dstOff, jint rawLen, jlong roomy) {
    bwt_context *c = (bwt_context *) (intptr_t) handle;
    if (c == NULL) {
        mmh_throw(env, MMH_ISE, "mmhbwt: null context (closed?)");
        return E_SCRATCH;
    }
    if (!mmh_in_array(env, src, srcOff, srcLen, 0, MMH_IAE, "mmhbwt: range outside its array")
            || !mmh_in_array(env, dst, dstOff, rawLen, 0, MMH_IAE, "mmhbwt: range outside its array")) {
        return E_SCRATCH;
    }
    uint64_t need = bwt_scratch_size((uint32_t) srcLen, (uint32_t) rawLen);
    if (c->cap < need) {
        uint64_t want = roomy > 0 && (uint64_t) roomy > need ? (uint64_t) roomy : need;
        free(c->base); /* let the smaller one go before allocating */
        c->cap = 0;
        c->base = want <= SIZE_MAX ? malloc((size_t) want) : NULL;
        if (c->base == NULL) {
            return E_SCRATCH;
        }
        c->cap = want;
    }
    (*env)->GetByteArrayRegion(env, src, srcOff, srcLen, (jbyte *) scratch_input(c->base, (uint32_t) rawLen));
    if ((*env)->ExceptionCheck(env)) {
        return E_SCRATCH;
    }
    struct java_sink sink = {env, dst, dstOff};
    return bwt_decode_scratch(c->base, (uint32_t) srcLen, (uint32_t) rawLen, to_java, &sink);
}
