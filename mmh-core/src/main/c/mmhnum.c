/*
 * Native coder of the numeric codec's static-model block formats (dev.mmh.codec.numeric.NativeRans): 0x01 (the
 * same bytes as dev.mmh.codec.numeric.RansModel) and 0x03 (the same bytes as dev.mmh.codec.numeric.LanesModel),
 * encode and decode, one call per block. Layouts: those classes and docs/TRANSFORMS.md. In short: each element of
 * s = 1, 2 or 4 bytes gives a top byte (coded under a context made from the exponents of the elements before it)
 * and, for s >= 2, a second byte (coded under the top byte); the lower bytes are stored as planes. Frequency
 * tables (12-bit) are range coded with an adaptive binary model. Format 01 codes the symbols with four interleaved
 * 31-bit rANS states and byte-wise renormalisation; format 03 with 64 states per stream, one stream of top bytes
 * and one of second bytes, 16-bit renormalisation, and contexts per group of 64 elements, so that a group decodes
 * as four 16-lane vectors (AVX-512, chosen at run time; a scalar loop elsewhere).
 *
 * Decoding validates everything Java does and never reads or writes outside the arrays it was given: a damaged
 * block gives a negative error code (NativeRans maps it to the Java path's CorruptDataException).
 *
 * JNI conventions (as every C file of mmh): NativeRans validates every argument in Java before the call and holds
 * each context in a dev.mmh.io.NativeHandle (one call at a time, never after close); the entry points at the end
 * of this file check again what is cheap (null context, offsets and lengths against the arrays' lengths, the
 * layout that indexes the tables) and throw IllegalArgumentException or IllegalStateException rather than touch
 * memory outside an array. The arrays are pinned (GetPrimitiveArrayCritical) a slice of 1 MiB at a time, never for
 * a whole block (see pins). Scratch memory (tables, the encoder's output buffer) belongs to a context, one per Java
 * compressor or decompressor: allocated as blocks need it, freed by its close (scratch_free); nothing is kept per
 * thread.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmhjni.h"
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_X86 1
#else
#define HAVE_X86 0
#endif

#define PROB_BITS 12
#define M (1u << PROB_BITS)
#define TOP_CTX 512
#define WINDOW_LOG_MAX 5
#define MAX_TABLES (1 + TOP_CTX + 256)

/* format 01: 31-bit states in [2^23, 2^31), byte-wise renormalisation */
#define RANS_L (1u << 23)
/* format 03: 31-bit states in [2^15, 2^31), 16-bit renormalisation, 64 lanes, contexts per group of 64 */
#define LANES 64
#define GROUP_SHIFT 5 /* a group's context: the previous group's exponent sum >> 5 */
#define VECS (LANES / 16)
#define LANES_L (1u << 15)
#define LANES_STATES (4 * LANES)

/* error codes, mirrored in NativeRans */
#define E_TOO_SMALL (-1)
#define E_NO_MEMORY (-2)
#define E_FORMAT (-3)
#define E_LAYOUT (-4)
#define E_RAW_SIZE (-5)
#define E_VARINT_TRUNCATED (-6)
#define E_VARINT_RANGE (-7)
#define E_TABLES_TRUNCATED (-8)
#define E_SECTIONS (-9)
#define E_FREQ_PAST (-10)
#define E_FREQ_SUM (-11)
#define E_TABLES_DAMAGED (-12)
#define E_DATA (-13)


#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define INLINE static inline __attribute__((always_inline))
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define INLINE static inline
#endif

/* ---------------------------------------------------------------------------------------------------------- */
/* a context's scratch */

#define SEC03 (1 + TOP_CTX)
#define TABLES03 (SEC03 + 256)

/*
 * Format 01's decoder table: the symbol of each of the M slots, and per symbol its frequency | start << 16. 5 KiB,
 * a third of a table of one int per slot: a block has up to 769 tables, and the 100-odd that float16 data keeps
 * hot then fit the L2 cache.
 */
struct dtable {
    uint32_t info[256];
    uint8_t sym[M];
};

/* encoder: per (context, symbol) the reciprocal (< 2^32) and start | (M - f) << 12 | shift << 24 */
typedef struct {
    uint32_t rcp;
    uint32_t pack;
} enc_sym;

typedef struct {
    uint32_t top_count[TOP_CTX * 256];
    uint32_t sec_count[256 * 256];
    uint16_t top_freq[TOP_CTX * 256];
    uint16_t sec_freq[256 * 256];
    enc_sym top_enc[TOP_CTX * 256];
    enc_sym sec_enc[256 * 256];
    uint8_t present[TOP_CTX];
    uint8_t sec_used[256];
    /* decoder: the frequency tables read, and which table each context uses */
    uint16_t dfreq[MAX_TABLES][256];
    uint32_t top_idx[TOP_CTX];
    uint32_t sec_idx[256];
    uint8_t *buf; /* encoder's backward output; format 03's decoded top bytes */
    size_t buf_cap;
    uint16_t *gctx; /* format 03 encoder: the context of each group */
    size_t gctx_cap;
    struct dtable *dtab; /* format 01 decoder tables */
    size_t dtab_tables;
    /* format 03 decoder tables, M entries of symbol | (f - 1) << 8 | (slot - start) << 20 each (one gather a
       symbol): top tables by number, then the second-byte tables by top byte from SEC03 */
    uint32_t *tab03;
} scratch;

/* A new context's scratch, or NULL when out of memory. The big arrays are calloc'ed: pages never touched cost no
   memory, so a compressor never pays for the decoder's tables, nor a decompressor for the encoder's. */
static scratch *scratch_new(void) {
    return calloc(1, sizeof(scratch));
}

static void scratch_free(scratch *s) {
    if (s != NULL) {
        free(s->buf);
        free(s->gctx);
        free(s->dtab);
        free(s->tab03);
        free(s);
    }
}

/* Bytes the context holds (its own size, and each buffer at its capacity). */
static uint64_t scratch_held(const scratch *s) {
    return sizeof *s + s->buf_cap + s->gctx_cap * sizeof *s->gctx + s->dtab_tables * sizeof *s->dtab
            + (s->tab03 != NULL ? (uint64_t)TABLES03 * M * sizeof *s->tab03 : 0);
}

static int ensure_buf(scratch *s, size_t cap) {
    if (s->buf_cap < cap) {
        free(s->buf);
        s->buf = malloc(cap);
        s->buf_cap = s->buf == NULL ? 0 : cap;
    }
    return s->buf != NULL;
}

static int ensure_gctx(scratch *s, size_t n) {
    if (s->gctx_cap < n) {
        free(s->gctx);
        s->gctx = malloc(n * sizeof *s->gctx);
        s->gctx_cap = s->gctx == NULL ? 0 : n;
    }
    return s->gctx != NULL;
}

static int ensure_dtab(scratch *s, size_t n) {
    if (s->dtab_tables < n) {
        free(s->dtab);
        s->dtab = malloc(n * sizeof *s->dtab);
        s->dtab_tables = s->dtab == NULL ? 0 : n;
    }
    return s->dtab != NULL;
}

static int ensure_tables03(scratch *s) {
    if (s->tab03 == NULL) {
        s->tab03 = malloc((size_t)TABLES03 * M * sizeof *s->tab03);
    }
    return s->tab03 != NULL;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* adaptive binary range coder (dev.mmh.codec.rc: AdaptiveBits, RangeEncoder, RangeDecoder) */

#define BIT_CONTEXTS 512

typedef struct {
    int32_t prob[2 * BIT_CONTEXTS];
} bits_model;

static void bits_reset(bits_model *b) {
    for (int i = 0; i < 2 * BIT_CONTEXTS; i++) {
        b->prob[i] = 1 << 15;
    }
}

static inline void bits_update(bits_model *b, int i, int bit) {
    int32_t target = 32 + bit * (65536 - 64);
    b->prob[i] += (target - b->prob[i]) >> 4;
    b->prob[i + 1] += (target - b->prob[i + 1]) >> 7;
}

typedef struct {
    uint8_t *out;
    int64_t pos;
    int64_t limit;
    uint64_t low;
    uint64_t range;
    uint32_t cache;
    int64_t cache_size;
} range_enc;

static void renc_reset(range_enc *r, uint8_t *out, int64_t pos, int64_t limit) {
    r->out = out;
    r->pos = pos;
    r->limit = limit;
    r->low = 0;
    r->range = 0xFFFFFFFFu;
    r->cache = 0;
    r->cache_size = 1;
}

static inline void renc_put(range_enc *r, uint32_t b) {
    if (r->pos < r->limit) {
        r->out[r->pos] = (uint8_t)b;
    }
    r->pos++;
}

static void renc_shift_low(range_enc *r) {
    if (r->low < 0xFF000000u || r->low > 0xFFFFFFFFu) {
        uint32_t carry = (uint32_t)(r->low >> 32);
        uint32_t c = r->cache;
        do {
            renc_put(r, c + carry);
            c = 0xFF;
        } while (--r->cache_size != 0);
        r->cache = (uint32_t)(r->low >> 24) & 0xFF;
    }
    r->cache_size++;
    r->low = (r->low & 0x00FFFFFFu) << 8;
}

static inline void renc_encode(range_enc *r, int bit, uint32_t p1) {
    uint64_t bound = (r->range >> 16) * p1;
    if (bit) {
        r->range = bound;
    } else {
        r->low += bound;
        r->range -= bound;
    }
    while (r->range < (1u << 24)) {
        r->range <<= 8;
        renc_shift_low(r);
    }
}

static int64_t renc_finish(range_enc *r) {
    for (int i = 0; i < 5; i++) {
        renc_shift_low(r);
    }
    return r->pos;
}

static inline void bits_encode(bits_model *b, range_enc *r, int ctx, int bit) {
    int i = ctx << 1;
    renc_encode(r, bit, (uint32_t)(b->prob[i] + b->prob[i + 1]) >> 1);
    bits_update(b, i, bit);
}

typedef struct {
    const uint8_t *in;
    int64_t pos;
    int64_t end;
    int64_t overrun;
    uint64_t range;
    uint64_t code;
} range_dec;

static inline uint32_t rdec_next(range_dec *r) {
    if (r->pos < r->end) {
        return r->in[r->pos++];
    }
    r->overrun++;
    return 0;
}

static void rdec_reset(range_dec *r, const uint8_t *in, int64_t pos, int64_t end) {
    r->in = in;
    r->pos = pos;
    r->end = end;
    r->overrun = 0;
    r->range = 0xFFFFFFFFu;
    r->code = 0;
    for (int i = 0; i < 5; i++) {
        r->code = ((r->code << 8) | rdec_next(r)) & 0xFFFFFFFFu;
    }
}

static inline int rdec_exhausted(const range_dec *r) {
    return r->overrun > 4;
}

static inline int rdec_decode(range_dec *r, uint32_t p1) {
    uint64_t bound = (r->range >> 16) * p1;
    int bit = r->code < bound;
    if (bit) {
        r->range = bound;
    } else {
        r->code -= bound;
        r->range -= bound;
    }
    while (r->range < (1u << 24)) {
        r->range <<= 8;
        r->code = ((r->code << 8) | rdec_next(r)) & 0xFFFFFFFFu;
    }
    return bit;
}

static inline int bits_decode(bits_model *b, range_dec *r, int ctx) {
    int i = ctx << 1;
    int bit = rdec_decode(r, (uint32_t)(b->prob[i] + b->prob[i + 1]) >> 1);
    bits_update(b, i, bit);
    return bit;
}

/* frequency-table contexts, as RansModel */
static inline int ctx_zero(int prev_len) {
    return 2 + prev_len;
}

static inline int ctx_unary(int prev_len, int k) {
    return 16 + prev_len * 14 + k;
}

static inline int ctx_mantissa(int len, int j) {
    return 224 + len * 13 + j;
}

static inline int bit_length(uint32_t v) {
    return v == 0 ? 0 : 32 - __builtin_clz(v);
}

static void write_freqs(bits_model *b, range_enc *r, const uint16_t *freq) {
    uint32_t sum = 0;
    int prev_len = 0;
    for (int k = 0; k < 256 && sum < M; k++) {
        uint32_t f = freq[k];
        bits_encode(b, r, ctx_zero(prev_len), f == 0);
        if (f == 0) {
            prev_len = 0;
            continue;
        }
        uint32_t v = f - 1;
        int len = bit_length(v);
        for (int u = 0; u < len; u++) {
            bits_encode(b, r, ctx_unary(prev_len, u), 1);
        }
        if (len < 12) {
            bits_encode(b, r, ctx_unary(prev_len, len), 0);
        }
        for (int j = len - 2; j >= 0; j--) {
            bits_encode(b, r, ctx_mantissa(len, j), (v >> j) & 1);
        }
        sum += f;
        prev_len = len + 1;
    }
}

/*
 * Reads one table into freq[256]; 0, or an error code. The range decoder's state lives in locals here (the tables
 * are a large part of a block's decoding time): the same arithmetic as rdec_decode and bits_decode.
 */
static int read_freqs(bits_model *b, range_dec *r, uint16_t *freq) {
    uint32_t range = (uint32_t)r->range;
    uint32_t code = (uint32_t)r->code;
    const uint8_t *in = r->in;
    int64_t pos = r->pos;
    int64_t end = r->end;
    int64_t overrun = r->overrun;
    int32_t *prob = b->prob;
#define READ_BIT(ctx, bit)                                                                                  \
    do {                                                                                                    \
        int32_t *p_ = prob + 2 * (ctx);                                                                     \
        uint32_t bound_ = (range >> 16) * ((uint32_t)(p_[0] + p_[1]) >> 1);                                \
        uint32_t one_ = code < bound_;                                                                      \
        uint32_t mask_ = 0u - one_;                                                                         \
        range = (bound_ & mask_) | ((range - bound_) & ~mask_);                                             \
        code -= bound_ & ~mask_;                                                                            \
        int32_t target_ = 32 + (int32_t)one_ * (65536 - 64);                                                \
        p_[0] += (target_ - p_[0]) >> 4;                                                                    \
        p_[1] += (target_ - p_[1]) >> 7;                                                                    \
        while (range < (1u << 24)) {                                                                        \
            range <<= 8;                                                                                    \
            uint32_t byte_ = 0;                                                                             \
            if (LIKELY(pos < end)) {                                                                        \
                byte_ = in[pos++];                                                                          \
            } else {                                                                                        \
                overrun++;                                                                                  \
            }                                                                                               \
            code = code << 8 | byte_;                                                                       \
        }                                                                                                   \
        (bit) = (int)one_;                                                                                  \
    } while (0)
    uint32_t sum = 0;
    int prev_len = 0;
    int rc = 0;
    memset(freq, 0, 256 * sizeof *freq);
    for (int k = 0; k < 256 && sum < M; k++) {
        int bit;
        READ_BIT(ctx_zero(prev_len), bit);
        if (bit) {
            prev_len = 0;
            continue;
        }
        int len = 0;
        for (;;) {
            if (len >= 12) {
                break;
            }
            READ_BIT(ctx_unary(prev_len, len), bit);
            if (!bit) {
                break;
            }
            len++;
        }
        uint32_t v = len == 0 ? 0 : 1;
        for (int j = len - 2; j >= 0; j--) {
            READ_BIT(ctx_mantissa(len, j), bit);
            v = v << 1 | (uint32_t)bit;
        }
        uint32_t f = v + 1;
        if (f > M - sum) {
            rc = E_FREQ_PAST;
            break;
        }
        freq[k] = (uint16_t)f;
        sum += f;
        prev_len = len + 1;
    }
#undef READ_BIT
    r->range = range;
    r->code = code;
    r->pos = pos;
    r->overrun = overrun;
    if (rc != 0) {
        return rc;
    }
    return sum == M ? 0 : E_FREQ_SUM;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* varints (unsigned LEB128 of non-negative ints) */

static int64_t varint_put(uint8_t *d, int64_t o, uint32_t v) {
    while ((v & ~0x7Fu) != 0) {
        d[o++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    d[o++] = (uint8_t)v;
    return o;
}

/* Reads a varint at s[*pos] not past end: 0 and *out, or an error code. */
static int varint_get(const uint8_t *s, int64_t *pos, int64_t end, int32_t *out) {
    uint32_t v = 0;
    int64_t i = *pos;
    for (int shift = 0; shift < 32; shift += 7) {
        if (i >= end) {
            return E_VARINT_TRUNCATED;
        }
        uint32_t b = s[i++];
        v |= (b & 0x7F) << shift;
        if (b < 0x80) {
            if ((int32_t)v < 0 || (shift == 28 && (b & 0x70) != 0)) {
                break;
            }
            *pos = i;
            *out = (int32_t)v;
            return 0;
        }
    }
    return E_VARINT_RANGE;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* the model: splitting elements, normalising counts, the tables */

static inline int top_contexts(int wlog) {
    return wlog == 0 ? 256 : TOP_CTX;
}

/* the top 16 bits of the element at p (s >= 2), rotated left by one if asked */
INLINE uint32_t hi16(const uint8_t *p, int s, int rotate) {
    uint32_t hi = (uint32_t)p[s - 1] << 8 | p[s - 2];
    if (rotate) {
        hi = ((hi << 1) | (hi >> 15)) & 0xFFFF;
    }
    return hi;
}

INLINE void put32(uint8_t *d, uint32_t v) {
    d[0] = (uint8_t)v;
    d[1] = (uint8_t)(v >> 8);
    d[2] = (uint8_t)(v >> 16);
    d[3] = (uint8_t)(v >> 24);
}

INLINE uint32_t get32(const uint8_t *d) {
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

/* RansModel.normalise: count[256] to freq[256] summing to M; 0 if the context was never seen. */
static int normalise(const uint32_t *count, uint16_t *freq) {
    uint64_t total = 0;
    int max = -1;
    for (int k = 0; k < 256; k++) {
        uint32_t v = count[k];
        total += v;
        if (v != 0 && (max < 0 || v > count[max])) {
            max = k;
        }
    }
    if (total == 0) {
        memset(freq, 0, 256 * sizeof *freq);
        return 0;
    }
    int32_t f32[256];
    int32_t sum = 0;
    for (int k = 0; k < 256; k++) {
        uint64_t v = count[k];
        int32_t f = 0;
        if (v != 0) {
            uint64_t q = (v * M) / total;
            f = q < 1 ? 1 : (int32_t)q;
        }
        f32[k] = f;
        sum += f;
    }
    int32_t diff = (int32_t)M - sum;
    if (diff >= 0) {
        f32[max] += diff;
    } else {
        while (diff < 0) {
            int big = -1;
            for (int k = 0; k < 256; k++) {
                if (big < 0 || f32[k] > f32[big]) {
                    big = k;
                }
            }
            int32_t quarter = f32[big] / 4;
            int32_t take = -diff < (quarter > 1 ? quarter : 1) ? -diff : (quarter > 1 ? quarter : 1);
            f32[big] -= take;
            diff += take;
        }
    }
    for (int k = 0; k < 256; k++) {
        freq[k] = (uint16_t)f32[k];
    }
    return 1;
}

/* encoder entries of one context: reciprocal and start | (M - f) << 12 | shift << 24 per symbol seen */
static void encoder_table(const uint16_t *freq, enc_sym *es) {
    uint32_t start = 0;
    for (int k = 0; k < 256; k++) {
        uint32_t f = freq[k];
        if (f == 0) {
            continue;
        }
        int shift = 31 + bit_length(f - 1);
        es[k].rcp = (uint32_t)(((1ull << shift) + f - 1) / f);
        es[k].pack = start | (M - f) << 12 | (uint32_t)shift << 24;
        start += f;
    }
}

/*
 * Normalises the counted models into frequency and encoder tables: which top contexts are present, and a second-byte
 * table for every context (top byte >> sec_shift) of a top byte with a frequency in some top table (a flat one if
 * no element has it: its context was rounded up).
 */
static void build_encoder(scratch *S, int nctx, int s, int sec_shift) {
    uint8_t used[256] = {0};
    for (int c = 0; c < nctx; c++) {
        S->present[c] = (uint8_t)normalise(S->top_count + (c << 8), S->top_freq + (c << 8));
        if (S->present[c]) {
            encoder_table(S->top_freq + (c << 8), S->top_enc + (c << 8));
            for (int k = 0; k < 256; k++) {
                used[k] |= S->top_freq[c << 8 | k] != 0;
            }
        }
    }
    memset(S->sec_used, 0, sizeof S->sec_used);
    for (int k = 0; k < 256; k++) {
        S->sec_used[k >> sec_shift] |= used[k];
    }
    if (s >= 2) {
        for (int t = 0; t < 256; t++) {
            if (S->sec_used[t]) {
                if (!normalise(S->sec_count + (t << 8), S->sec_freq + (t << 8))) {
                    for (int k = 0; k < 256; k++) {
                        S->sec_freq[t << 8 | k] = M / 256;
                    }
                }
                encoder_table(S->sec_freq + (t << 8), S->sec_enc + (t << 8));
            }
        }
    }
}

/*
 * Writes varint table length and the range-coded tables at dst[o...], keeping raw bytes free before limit; the
 * position after them, or E_TOO_SMALL.
 */
static int64_t write_tables(scratch *S, int nctx, int s, uint8_t *dst, int64_t o, int64_t limit, int64_t raw) {
    int64_t tab_at = o + 5;
    if (tab_at >= limit) {
        return E_TOO_SMALL;
    }
    bits_model bits;
    bits_reset(&bits);
    range_enc renc;
    renc_reset(&renc, dst, tab_at, limit - raw);
    int prev = 0;
    for (int c = 0; c < nctx; c++) {
        bits_encode(&bits, &renc, prev, S->present[c]);
        prev = S->present[c];
        if (S->present[c]) {
            write_freqs(&bits, &renc, S->top_freq + (c << 8));
        }
    }
    if (s >= 2) {
        for (int t = 0; t < 256; t++) {
            if (S->sec_used[t]) {
                write_freqs(&bits, &renc, S->sec_freq + (t << 8));
            }
        }
    }
    int64_t tab_end = renc_finish(&renc);
    if (renc.pos > renc.limit) {
        return E_TOO_SMALL;
    }
    int64_t tab_len = tab_end - tab_at;
    int64_t at = varint_put(dst, o, (uint32_t)tab_len);
    memmove(dst + at, dst + tab_at, (size_t)tab_len);
    return at + tab_len;
}

/*
 * Reads the tables at src[tab_at, tab_at + tab_len) into S->dfreq (table 0 flat, for contexts that have none,
 * reachable only in damaged data) and S->top_idx / S->sec_idx (by top byte >> sec_shift); the number of tables, or
 * an error code.
 */
static int read_tables(scratch *S, const uint8_t *src, int64_t tab_at, int64_t tab_len, int nctx, int s,
        int sec_shift) {
    bits_model bits;
    bits_reset(&bits);
    range_dec rdec;
    rdec_reset(&rdec, src, tab_at, tab_at + tab_len);
    uint8_t sec_used[256] = {0};
    int tables = 1;
    for (int k = 0; k < 256; k++) {
        S->dfreq[0][k] = M / 256;
    }
    int prev = 0;
    for (int c = 0; c < nctx; c++) {
        int present = bits_decode(&bits, &rdec, prev);
        prev = present;
        S->top_idx[c] = 0;
        if (!present) {
            continue;
        }
        uint16_t *f = S->dfreq[tables];
        int rc = read_freqs(&bits, &rdec, f);
        if (rc != 0) {
            return rc;
        }
        for (int k = 0; k < 256; k++) {
            sec_used[k >> sec_shift] |= f[k] != 0;
        }
        S->top_idx[c] = (uint32_t)tables++;
        if (rdec_exhausted(&rdec)) {
            return E_TABLES_DAMAGED;
        }
    }
    for (int c = nctx; c < TOP_CTX; c++) {
        S->top_idx[c] = 0;
    }
    for (int t = 0; t < 256; t++) {
        S->sec_idx[t] = 0;
        if (s >= 2 && sec_used[t]) {
            int rc = read_freqs(&bits, &rdec, S->dfreq[tables]);
            if (rc != 0) {
                return rc;
            }
            S->sec_idx[t] = (uint32_t)tables++;
            if (rdec_exhausted(&rdec)) {
                return E_TABLES_DAMAGED;
            }
        }
    }
    if (rdec_exhausted(&rdec)) {
        return E_TABLES_DAMAGED;
    }
    return tables;
}

/* Reads the varint at src[*pos] into *v: 0 or an error code (a macro-free helper for the headers) */
#define GET_VARINT(v)                                  \
    do {                                               \
        int rc_ = varint_get(src, &pos, end, &(v));    \
        if (rc_ != 0) {                                \
            return rc_;                                \
        }                                              \
    } while (0)

/* ---------------------------------------------------------------------------------------------------------- */
/* the Java arrays, pinned a slice at a time */

/*
 * The coders reach the Java arrays through GetPrimitiveArrayCritical (no copy), but for at most SLICE bytes of raw
 * data at a time: a critical region holds up the garbage collector, and every thread that allocates meanwhile, and
 * a whole 8 MiB block takes 5 to 25 ms. Between slices the arrays are released and pinned again (pins_cycle), and
 * the GC may move them then, so no pointer into them is kept across a slice: the coders keep offsets, and take
 * their pointers from P->src and P->dst again after each cycle. Scratch (tables, the encoder's output, format 03's
 * top bytes) is the context's native memory and stays where it is. A slice of 1 MiB is 0.6 to 3 ms of work;
 * a cycle costs well under a microsecond. (Copying the blocks in and out of native buffers instead costs up to a
 * fifth of format 03's decoding time: two copies of 8 MiB against 5 ms of decoding.)
 */
#ifndef MMHNUM_SLICE
#define SLICE ((int64_t)1 << 20)
#else
#define SLICE ((int64_t)MMHNUM_SLICE) /* src/test/c/numfuzz.c: small slices, to fuzz the slicing itself */
#endif

typedef struct {
    JNIEnv *env; /* NULL: plain memory (the C harnesses), pinned for good */
    jbyteArray src_arr;
    jbyteArray dst_arr;
    jint src_off;
    jint dst_off;
    const uint8_t *src; /* src_arr from src_off, while pinned */
    uint8_t *dst;       /* dst_arr from dst_off, while pinned */
} pins;

/* Plain memory for the C harnesses: never released. */
static inline pins pins_plain(const uint8_t *src, uint8_t *dst) {
    pins P = {NULL, NULL, NULL, 0, 0, src, dst};
    return P;
}

static void pins_put(pins *P) {
    if (P->env == NULL) {
        return;
    }
    JNIEnv *env = P->env;
    if (P->dst != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, P->dst_arr, P->dst - P->dst_off, 0);
        P->dst = NULL;
    }
    if (P->src != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, P->src_arr, (void *)(P->src - P->src_off), JNI_ABORT);
        P->src = NULL;
    }
}

/* Pins both arrays: 0, or E_NO_MEMORY (with neither pinned) when the JVM would not. */
static int pins_get(pins *P) {
    if (P->env == NULL) {
        return 0;
    }
    JNIEnv *env = P->env;
    uint8_t *in = (*env)->GetPrimitiveArrayCritical(env, P->src_arr, NULL);
    if (in == NULL) {
        return E_NO_MEMORY;
    }
    P->src = in + P->src_off;
    uint8_t *out = (*env)->GetPrimitiveArrayCritical(env, P->dst_arr, NULL);
    if (out == NULL) {
        pins_put(P);
        return E_NO_MEMORY;
    }
    P->dst = out + P->dst_off;
    return 0;
}

#ifdef MMHNUM_TEST_MOVE
/* numfuzz.c moves plain arrays at every cycle, as the GC may move Java arrays: a stale pointer is then an ASan error */
static void test_move(pins *P);
#endif

/* Ends a slice: releases the arrays (the GC may run and move them) and pins them again. */
static int pins_cycle(pins *P) {
#ifdef MMHNUM_TEST_MOVE
    if (P->env == NULL) {
        test_move(P);
        return 0;
    }
#endif
    pins_put(P);
    return pins_get(P);
}

/* The end of the slice of [i, end) that starts at i, a slice being per_slice units. */
static inline int64_t slice_end(int64_t i, int64_t end, int64_t per_slice) {
    return end - i > per_slice ? i + per_slice : end;
}

/* memcpy of n bytes of native memory to P->dst + o, a slice at a time (cycling between slices). */
static int copy_out(pins *P, int64_t o, const uint8_t *from, int64_t n) {
    for (int64_t k = 0; k < n;) {
        int64_t m = n - k > SLICE ? SLICE : n - k;
        memcpy(P->dst + o + k, from + k, (size_t)m);
        k += m;
        if (k < n) {
            int rc = pins_cycle(P);
            if (rc != 0) {
                return rc;
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* format 01: four interleaved states, byte-wise renormalisation */

/* the window of exponents format 01 codes top bytes under, carried from slice to slice */
typedef struct {
    uint32_t ring[1 << WINDOW_LOG_MAX];
    uint32_t sum;
} window01;

/* Pass 1 of the encoder over elements [i, end) of src: counts both models (zeroed by the caller). */
static void count01(scratch *S, const uint8_t *src, int64_t i, int64_t end, int s, int rotate, int exp_shift,
        int wlog, window01 *w) {
    uint32_t wmask = (1u << wlog) - 1;
    int cshift = wlog > 0 ? wlog - 1 : 0;
    uint32_t sum = w->sum;
    uint32_t *ring = w->ring;
    uint32_t *tc = S->top_count;
    uint32_t *sc = S->sec_count;
    const uint8_t *p = src + i * s;
    for (; i < end; i++, p += s) {
        uint32_t ctx = sum >> cshift;
        uint32_t top;
        if (s == 1) {
            top = p[0];
        } else {
            uint32_t hi = hi16(p, s, rotate);
            top = hi >> 8;
            sc[hi]++;
        }
        tc[ctx << 8 | top]++;
        uint32_t exp = top >> exp_shift;
        uint32_t r = (uint32_t)i & wmask;
        sum += exp - ring[r];
        ring[r] = exp;
    }
    w->sum = sum;
}

/* one format-01 encoding step (byte-wise renormalisation, at most two bytes: both are written, the buffer has
   slack below, and only those needed are kept) */
INLINE uint32_t enc01(uint32_t x, enc_sym es, uint8_t **bpp) {
    uint32_t cmpl = (es.pack >> 12) & 0xFFF;
    uint32_t xm1 = ((M - cmpl) << 19) - 1;
    uint8_t *bp = *bpp;
    uint32_t n = (x > xm1) + ((x >> 8) > xm1);
    bp[-1] = (uint8_t)x;
    bp[-2] = (uint8_t)(x >> 8);
    *bpp = bp - n;
    x >>= 8 * n;
    uint32_t q = (uint32_t)(((uint64_t)x * es.rcp) >> (es.pack >> 24));
    return x + (es.pack & 0xFFF) + q * cmpl;
}

/*
 * RansModel.encode of n bytes at P->src: the block size written at P->dst[o...], or E_TOO_SMALL, E_NO_MEMORY. Reads
 * and writes the arrays a slice at a time (see pins).
 */
static int64_t encode01(scratch *S, pins *P, int64_t n, int s, int rotate, int exp_shift, int wlog, int64_t o,
        int64_t limit) {
    int64_t e = n / s;
    int64_t start = o;
    int64_t per_slice = SLICE / s;
    int rc;
    if (limit - o < 32) {
        return E_TOO_SMALL;
    }
    memset(S->top_count, 0, (size_t)top_contexts(wlog) * 256 * sizeof *S->top_count);
    if (s >= 2) {
        memset(S->sec_count, 0, sizeof S->sec_count);
    }
    window01 win;
    memset(&win, 0, sizeof win);
    for (int64_t i = 0; i < e;) {
        int64_t end = slice_end(i, e, per_slice);
        count01(S, P->src, i, end, s, rotate, exp_shift, wlog, &win);
        i = end;
        if (i < e && (rc = pins_cycle(P)) != 0) {
            return rc;
        }
    }
    int nctx = top_contexts(wlog);
    build_encoder(S, nctx, s, 0);
    uint8_t *dst = P->dst;
    dst[o++] = 1;
    dst[o++] = (uint8_t)s;
    dst[o++] = (uint8_t)rotate;
    dst[o++] = (uint8_t)(exp_shift | wlog << 4);
    o = varint_put(dst, o, (uint32_t)n);
    int64_t raw = (s > 2 ? (int64_t)(s - 2) * e : 0) + n - e * s;
    o = write_tables(S, nctx, s, dst, o, limit, raw);
    if (o < 0) {
        return o;
    }

    /* rANS data, encoded backwards into buf */
    int64_t nsym = s >= 2 ? 2 * e : e;
    if (2 * nsym + 64 > (int64_t)INT32_MAX - 16) {
        return E_TOO_SMALL; /* as the Java coder, whose arrays cannot hold 2 bytes a symbol here */
    }
    size_t cap = (size_t)(2 * nsym + 64);
    if (!ensure_buf(S, cap)) {
        return E_NO_MEMORY;
    }
    uint8_t *bend = S->buf + cap;
    uint8_t *bp = bend;
    uint32_t xs[4] = {RANS_L, RANS_L, RANS_L, RANS_L};
    const enc_sym *te = S->top_enc;
    const enc_sym *se = S->sec_enc;
    /* the contexts again, backwards: the sum before element i is the window over [i - W, i) */
    int64_t w = (int64_t)1 << wlog;
    int cshift = wlog > 0 ? wlog - 1 : 0;
    uint32_t sum = win.sum;
    for (int64_t hi_end = e; hi_end > 0;) {
        int64_t lo = hi_end > per_slice ? hi_end - per_slice : 0;
        const uint8_t *src = P->src;
        for (int64_t i = hi_end - 1; i >= lo; i--) {
            const uint8_t *p = src + i * s;
            uint32_t top;
            uint32_t hi = 0;
            if (s == 1) {
                top = p[0];
            } else {
                hi = hi16(p, s, rotate);
                top = hi >> 8;
            }
            sum -= top >> exp_shift;
            if (i - w >= 0) {
                const uint8_t *q = src + (i - w) * s;
                uint32_t t = s == 1 ? q[0] : hi16(q, s, rotate) >> 8;
                sum += t >> exp_shift;
            }
            uint32_t x = xs[i & 3];
            if (s >= 2) {
                x = enc01(x, se[hi], &bp);
            }
            x = enc01(x, te[(sum >> cshift) << 8 | top], &bp);
            xs[i & 3] = x;
        }
        hi_end = lo;
        if ((rc = pins_cycle(P)) != 0) {
            return rc;
        }
    }
    int64_t body = bend - bp;
    int64_t data_len = 16 + body;
    if (o + 5 + data_len + raw > limit) {
        return E_TOO_SMALL;
    }
    o = varint_put(P->dst, o, (uint32_t)data_len);
    for (int j = 0; j < 4; j++) {
        put32(P->dst + o, xs[j]);
        o += 4;
    }
    if ((rc = copy_out(P, o, bp, body)) != 0) {
        return rc;
    }
    o += body;
    for (int k = s - 3; k >= 0; k--) {
        for (int64_t i = 0; i < e;) {
            int64_t end = slice_end(i, e, SLICE);
            rc = pins_cycle(P);
            if (rc != 0) {
                return rc;
            }
            const uint8_t *p = P->src + k + i * s;
            uint8_t *d = P->dst + o;
            for (int64_t j = i; j < end; j++, p += s) {
                *d++ = *p;
            }
            o += end - i;
            i = end;
        }
    }
    memcpy(P->dst + o, P->src + e * s, (size_t)(n - e * s));
    return o + n - e * s - start;
}

/* format 01's decoder table of freq */
static void dtable_build(const uint16_t *freq, struct dtable *t) {
    uint32_t start = 0;
    for (int k = 0; k < 256; k++) {
        uint32_t f = freq[k];
        t->info[k] = f | start << 16;
        memset(t->sym + start, k, f);
        start += f;
    }
}

/* one format-01 decoding step with table t: the symbol, and the state updated (not renormalised) in *xp */
INLINE uint32_t dec01(const struct dtable *t, uint32_t *xp) {
    uint32_t x = *xp;
    uint32_t slot = x & (M - 1);
    uint32_t sym = t->sym[slot];
    uint32_t info = t->info[sym];
    *xp = (info & 0xFFFF) * (x >> PROB_BITS) + slot - (info >> 16);
    return sym;
}

/* reads 0, 1 or 2 bytes into x; the caller guarantees two readable bytes at *pp */
INLINE uint32_t renorm01_fast(uint32_t x, const uint8_t **pp) {
    const uint8_t *p = *pp;
    uint32_t n1 = x < RANS_L;
    uint32_t n2 = x < (RANS_L >> 8);
    uint32_t y1 = x << 8 | p[0];
    uint32_t y2 = x << 16 | (uint32_t)p[0] << 8 | p[1];
    x = n2 ? y2 : (n1 ? y1 : x);
    *pp = p + n1 + n2;
    return x;
}

/* as renorm01_fast, checking the data end; 0, or E_DATA */
INLINE int renorm01_checked(uint32_t *xp, const uint8_t **pp, const uint8_t *end) {
    uint32_t x = *xp;
    const uint8_t *p = *pp;
    if (x < RANS_L) {
        if (p >= end) {
            return E_DATA;
        }
        x = x << 8 | *p++;
        if (x < RANS_L) {
            if (p >= end) {
                return E_DATA;
            }
            x = x << 8 | *p++;
        }
    }
    *xp = x;
    *pp = p;
    return 0;
}

/* stores the element decoded from top and second byte at q (element i; the lower planes at raw_at) */
INLINE void put_element(uint8_t *q, uint32_t top, uint32_t sec, const int s, const int rotate,
        const uint8_t *raw_at, int64_t e, int64_t i) {
    if (s == 1) {
        q[0] = (uint8_t)top;
        return;
    }
    uint32_t hi = top << 8 | sec;
    if (rotate) {
        hi = (hi >> 1) | (hi << 15);
    }
    q[s - 1] = (uint8_t)(hi >> 8);
    q[s - 2] = (uint8_t)hi;
    if (s == 4) {
        q[1] = raw_at[i];
        q[0] = raw_at[e + i];
    }
}

typedef struct {
    const struct dtable *top_tab[TOP_CTX];
    const struct dtable *sec_tab[256];
    /* offsets in the source, kept across slices: the next renormalisation byte, the data's end, the lower planes */
    int64_t p;
    int64_t data_end;
    int64_t raw_at;
    int64_t e;
    int wlog;
    int exp_shift;
    uint32_t x[4]; /* the states, x[0] the next element's */
    window01 win;  /* the exponents before the next element */
} dec01_args;

/*
 * Format 01's element loop over elements [i, end) (src and dst: the arrays as pinned now), specialised per element
 * size and rotation. Two chains run through every element and limit it to about 25-40 cycles an element: the top
 * byte's context (the windowed exponent sum after the previous element: table load, sum, next table load), and the
 * byte stream, whose position after the previous element decides where this element's top byte renormalises from
 * before its second byte can be looked up. The loop shortens both by branching (rarely taken) instead of
 * selecting: the context is assumed unchanged, and the top byte's renormalisation is a branch, so the CPU runs
 * ahead on the prediction.
 */
INLINE int decode01_elements(dec01_args *d, const uint8_t *src, uint8_t *dst, int64_t i, int64_t end, const int s,
        const int rotate) {
    const struct dtable *const *top_tab = d->top_tab;
    const struct dtable *const *sec_tab = d->sec_tab;
    const uint8_t *p = src + d->p;
    const uint8_t *data_end = src + d->data_end;
    const uint8_t *raw_at = src + d->raw_at;
    int64_t e = d->e;
    int exp_shift = d->exp_shift;
    uint32_t *ring = d->win.ring;
    uint32_t wmask = (1u << d->wlog) - 1;
    int cshift = d->wlog > 0 ? d->wlog - 1 : 0;
    uint32_t sum = d->win.sum;
    uint32_t ctx = sum >> cshift;
    const struct dtable *tt = top_tab[ctx];
    uint32_t x0 = d->x[0], x1 = d->x[1], x2 = d->x[2], x3 = d->x[3];
    uint8_t *q = dst + i * s;
    int rc = 0;
    /* fast loop: an element reads at most 4 bytes */
    for (; i < end && data_end - p >= 4; i++, q += s) {
        uint32_t c = sum >> cshift;
        if (UNLIKELY(c != ctx)) {
            ctx = c;
            tt = top_tab[c];
            __asm__ volatile("" ::: "memory"); /* keep it a branch: a select would bring the chain back */
        }
        uint32_t x = x0;
        uint32_t top = dec01(tt, &x);
        if (s == 1) {
            x = renorm01_fast(x, &p);
        } else if (x < RANS_L) {
            x = x << 8 | *p++;
            if (x < RANS_L) {
                x = x << 8 | *p++;
            }
            __asm__ volatile("" ::: "memory");
        }
        uint32_t exp = top >> exp_shift;
        uint32_t r = (uint32_t)i & wmask;
        sum += exp - ring[r];
        ring[r] = exp;
        uint32_t sec = 0;
        if (s >= 2) {
            sec = dec01(sec_tab[top], &x);
            x = renorm01_fast(x, &p);
        }
        put_element(q, top, sec, s, rotate, raw_at, e, i);
        x0 = x1;
        x1 = x2;
        x2 = x3;
        x3 = x;
    }
    for (; i < end; i++, q += s) {
        uint32_t x = x0;
        uint32_t top = dec01(top_tab[sum >> cshift], &x);
        if (renorm01_checked(&x, &p, data_end) != 0) {
            rc = E_DATA;
            break;
        }
        uint32_t exp = top >> exp_shift;
        uint32_t r = (uint32_t)i & wmask;
        sum += exp - ring[r];
        ring[r] = exp;
        uint32_t sec = 0;
        if (s >= 2) {
            sec = dec01(sec_tab[top], &x);
            if (renorm01_checked(&x, &p, data_end) != 0) {
                rc = E_DATA;
                break;
            }
        }
        put_element(q, top, sec, s, rotate, raw_at, e, i);
        x0 = x1;
        x1 = x2;
        x2 = x3;
        x3 = x;
    }
    d->x[0] = x0;
    d->x[1] = x1;
    d->x[2] = x2;
    d->x[3] = x3;
    d->win.sum = sum;
    d->p = p - src;
    return rc;
}

static int decode01_range(dec01_args *d, const pins *P, int64_t i, int64_t end, int s, int rotate) {
    if (s == 4) {
        return rotate ? decode01_elements(d, P->src, P->dst, i, end, 4, 1)
                      : decode01_elements(d, P->src, P->dst, i, end, 4, 0);
    }
    if (s == 2) {
        return rotate ? decode01_elements(d, P->src, P->dst, i, end, 2, 1)
                      : decode01_elements(d, P->src, P->dst, i, end, 2, 0);
    }
    return decode01_elements(d, P->src, P->dst, i, end, 1, 0);
}

/* RansModel.decode of the src_len bytes at P->src into raw_len bytes at P->dst: 0, or an error code */
static int decode01(scratch *S, pins *P, int64_t src_len, int64_t raw_len) {
    const uint8_t *src = P->src;
    int64_t end = src_len;
    if (src_len < 5 || src[0] != 1) {
        return E_FORMAT;
    }
    int s = (int8_t)src[1];
    int flags = (int8_t)src[2];
    int exp_shift = src[3] & 0x0F;
    int wlog = src[3] >> 4;
    if ((s != 1 && s != 2 && s != 4) || (flags & ~1) != 0 || exp_shift > 7 || wlog > WINDOW_LOG_MAX) {
        return E_LAYOUT;
    }
    int rotate = flags != 0;
    int64_t pos = 4;
    int32_t v, tab_len, data_len;
    GET_VARINT(v);
    if (v != raw_len) {
        return E_RAW_SIZE;
    }
    GET_VARINT(tab_len);
    if (tab_len > end - pos) {
        return E_TABLES_TRUNCATED;
    }
    int64_t tab_at = pos;
    pos += tab_len;
    GET_VARINT(data_len);
    int64_t e = raw_len / s;
    int64_t raw = (s > 2 ? (int64_t)(s - 2) * e : 0) + raw_len - e * s;
    if (data_len < 16 || data_len > end - pos || end - pos - data_len != raw) {
        return E_SECTIONS;
    }
    int nctx = top_contexts(wlog);
    int tables = read_tables(S, src, tab_at, tab_len, nctx, s, 0);
    if (tables < 0) {
        return tables;
    }
    if (!ensure_dtab(S, MAX_TABLES)) {
        return E_NO_MEMORY;
    }
    for (int t = 0; t < tables; t++) {
        dtable_build(S->dfreq[t], S->dtab + t);
    }
    dec01_args d;
    memset(&d.win, 0, sizeof d.win);
    for (int c = 0; c < TOP_CTX; c++) {
        d.top_tab[c] = S->dtab + S->top_idx[c];
    }
    for (int t = 0; t < 256; t++) {
        d.sec_tab[t] = S->dtab + S->sec_idx[t];
    }
    for (int j = 0; j < 4; j++) {
        d.x[j] = get32(src + pos + 4 * j);
        /* states in [L, 2^31) */
        if (d.x[j] < RANS_L || (d.x[j] >> 31) != 0) {
            return E_DATA;
        }
    }
    d.p = pos + 16;
    d.data_end = pos + data_len;
    d.raw_at = pos + data_len;
    d.e = e;
    d.wlog = wlog;
    d.exp_shift = exp_shift;
    int rc;
    for (int64_t i = 0; i < e;) {
        int64_t stop = slice_end(i, e, SLICE / s);
        if ((rc = decode01_range(&d, P, i, stop, s, rotate)) != 0) {
            return rc;
        }
        i = stop;
        if (i < e && (rc = pins_cycle(P)) != 0) {
            return rc;
        }
    }
    if (d.p != d.data_end || d.x[0] != RANS_L || d.x[1] != RANS_L || d.x[2] != RANS_L || d.x[3] != RANS_L) {
        return E_DATA;
    }
    memcpy(P->dst + e * s, P->src + d.raw_at + (s > 2 ? (int64_t)(s - 2) * e : 0), (size_t)(raw_len - e * s));
    return 0;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* format 03: 64 lanes per stream, 16-bit renormalisation, contexts per group of 64 elements */

#if HAVE_X86
/* the AVX-512 loops (chosen at run time by use_avx512; the scalar ones are the reference) */
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,popcnt")))
/* plain loops that gcc vectorises, built for AVX-512, AVX2 and baseline x86-64 and picked at load time */
#if !defined(__clang__)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif
#else
#define CLONES
#endif

/* -1: not yet known; 0: scalar; 1: AVX-512 (NativeRans.simd can force scalar, for tests) */
static int simd_level = -1;

static int use_avx512(void) {
    int level = __atomic_load_n(&simd_level, __ATOMIC_RELAXED);
    if (level < 0) {
#if HAVE_X86
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("popcnt") ? 1 : 0;
#else
        level = 0;
#endif
        __atomic_store_n(&simd_level, level, __ATOMIC_RELAXED);
    }
    return level == 1;
}

/* one format-03 encoding step: at most one 16-bit word out (written always, kept if needed) */
INLINE uint32_t enc03(uint32_t x, enc_sym es, uint8_t **bpp) {
    uint32_t cmpl = (es.pack >> 12) & 0xFFF;
    uint32_t n = x >= (M - cmpl) << 19;
    uint8_t *bp = *bpp;
    bp[-2] = (uint8_t)x;
    bp[-1] = (uint8_t)(x >> 8);
    *bpp = bp - 2 * n;
    x >>= 16 * n;
    uint32_t q = (uint32_t)(((uint64_t)x * es.rcp) >> (es.pack >> 24));
    return x + (es.pack & 0xFFF) + q * cmpl;
}

#if HAVE_X86
/*
 * 16 lanes of one encoding step (as enc03): the symbols' entries at tab + idx; the words of the lanes that
 * renormalise go below *bpp, lowest lane lowest, as the scalar loop going down the lanes writes them
 */
AVX512 INLINE __m512i enc03_x16(__m512i x, __m512i idx, const enc_sym *tab, uint8_t **bpp) {
    __m512i rcp = _mm512_i32gather_epi32(idx, (const int *)tab, 8);
    __m512i pack = _mm512_i32gather_epi32(idx, (const int *)tab + 1, 8);
    __m512i cmpl = _mm512_and_si512(_mm512_srli_epi32(pack, 12), _mm512_set1_epi32(0xFFF));
    __m512i xmax = _mm512_slli_epi32(_mm512_sub_epi32(_mm512_set1_epi32(M), cmpl), 19);
    __mmask16 m = _mm512_cmpge_epu32_mask(x, xmax);
    int cnt = _mm_popcnt_u32(m);
    *bpp -= 2 * cnt;
    _mm256_mask_storeu_epi16(*bpp, (__mmask16)((1u << cnt) - 1), _mm512_cvtepi32_epi16(_mm512_maskz_compress_epi32(m, x)));
    x = _mm512_mask_srli_epi32(x, m, x, 16);
    /* q = x * rcp >> shift, 64-bit products of the even lanes and of the odd ones */
    __m512i shift = _mm512_srli_epi32(pack, 24);
    __m512i lo = _mm512_set1_epi64(0xFFFFFFFF);
    __m512i qe = _mm512_srlv_epi64(_mm512_mul_epu32(x, rcp), _mm512_and_si512(shift, lo));
    __m512i qo = _mm512_srlv_epi64(_mm512_mul_epu32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(rcp, 32)),
            _mm512_srli_epi64(shift, 32));
    __m512i q = _mm512_mask_blend_epi32(0xAAAA, qe, _mm512_slli_epi64(qo, 32));
    return _mm512_add_epi32(_mm512_add_epi32(x, _mm512_and_si512(pack, _mm512_set1_epi32(0xFFF))),
            _mm512_mullo_epi32(q, cmpl));
}

/* the top 16 bits (rotated if asked) of 16 elements at p */
AVX512 INLINE __m512i hi16_x16(const uint8_t *p, int s, int rotate) {
    __m512i hi = s == 2 ? _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p))
                        : _mm512_srli_epi32(_mm512_loadu_si512(p), 16);
    if (rotate) {
        hi = _mm512_and_si512(_mm512_or_si512(_mm512_slli_epi32(hi, 1), _mm512_srli_epi32(hi, 15)),
                _mm512_set1_epi32(0xFFFF));
    }
    return hi;
}

/* both streams of the full groups [g_lo, g_hi), downwards (the groups above them are done) */
AVX512 static void enc03_avx512(const scratch *S, const uint8_t *src, int64_t g_lo, int64_t g_hi, int s,
        int rotate, int sec_shift, uint32_t *tx, uint32_t *sx, uint8_t **tpp, uint8_t **spp) {
    __m512i t[VECS], x[VECS];
    for (int v = 0; v < VECS; v++) {
        t[v] = _mm512_loadu_si512(tx + 16 * v);
        x[v] = _mm512_loadu_si512(sx + 16 * v);
    }
    uint8_t *tp = *tpp;
    uint8_t *sp = *spp;
    const __m128i ss = _mm_cvtsi32_si128(sec_shift);
    const __m512i bytes = _mm512_set1_epi32(0xFF);
    for (int64_t g = g_hi - 1; g >= g_lo; g--) {
        const uint8_t *p = src + g * LANES * s;
        __m512i h[VECS];
        for (int v = 0; v < VECS; v++) {
            h[v] = hi16_x16(p + 16 * v * s, s, rotate);
        }
        /* the lanes downwards: the last vector first */
        for (int v = VECS - 1; v >= 0; v--) {
            __m512i top = _mm512_srli_epi32(h[v], 8);
            x[v] = enc03_x16(x[v], _mm512_or_si512(_mm512_slli_epi32(_mm512_srl_epi32(top, ss), 8),
                    _mm512_and_si512(h[v], bytes)), S->sec_enc, &sp);
        }
        __m512i row = _mm512_set1_epi32((int)S->gctx[g] << 8);
        for (int v = VECS - 1; v >= 0; v--) {
            t[v] = enc03_x16(t[v], _mm512_or_si512(row, _mm512_srli_epi32(h[v], 8)), S->top_enc, &tp);
        }
    }
    for (int v = 0; v < VECS; v++) {
        _mm512_storeu_si512(tx + 16 * v, t[v]);
        _mm512_storeu_si512(sx + 16 * v, x[v]);
    }
    *tpp = tp;
    *spp = sp;
}
#endif

/*
 * format 03's count pass over groups [g, g_end) of src, specialised per element size and rotation; the groups'
 * contexts into S->gctx; *sum: the exponent sum of the group before g, then of the last group counted
 */
INLINE void count03(scratch *S, const uint8_t *src, int64_t g, int64_t g_end, int64_t e, const int s,
        const int rotate, int exp_shift, int sec_shift, uint32_t *sum_io) {
    uint32_t *sc = S->sec_count;
    uint32_t sum = *sum_io;
    const uint8_t *p = src + g * LANES * s;
    for (; g < g_end; g++) {
        uint32_t ctx = sum >> GROUP_SHIFT;
        S->gctx[g] = (uint16_t)ctx;
        uint32_t *t = S->top_count + (ctx << 8);
        int64_t cnt = e - g * LANES < LANES ? e - g * LANES : LANES;
        uint32_t gs = 0;
        for (int64_t k = 0; k < cnt; k++, p += s) {
            uint32_t hi = hi16(p, s, rotate);
            t[hi >> 8]++;
            sc[(hi >> 8 >> sec_shift) << 8 | (hi & 0xFF)]++;
            gs += hi >> 8 >> exp_shift;
        }
        sum = gs;
    }
    *sum_io = sum;
}

static void count03_range(scratch *S, const uint8_t *src, int64_t g, int64_t g_end, int64_t e, int s, int rotate,
        int exp_shift, int sec_shift, uint32_t *sum) {
    if (s == 4) {
        rotate ? count03(S, src, g, g_end, e, 4, 1, exp_shift, sec_shift, sum)
               : count03(S, src, g, g_end, e, 4, 0, exp_shift, sec_shift, sum);
    } else {
        rotate ? count03(S, src, g, g_end, e, 2, 1, exp_shift, sec_shift, sum)
               : count03(S, src, g, g_end, e, 2, 0, exp_shift, sec_shift, sum);
    }
}

/*
 * LanesModel.encode of n bytes at P->src: the block size written at P->dst[o...], or E_TOO_SMALL, E_NO_MEMORY.
 * Reads and writes the arrays a slice at a time (see pins).
 */
static int64_t encode03(scratch *S, pins *P, int64_t n, int s, int rotate, int exp_shift, int sec_shift, int64_t o,
        int64_t limit) {
    int64_t e = n / s;
    int64_t start = o;
    int rc;
    if (limit - o < 32) {
        return E_TOO_SMALL;
    }
    int64_t groups = (e + LANES - 1) / LANES;
    int64_t groups_per_slice = SLICE / (LANES * s);
    if (!ensure_gctx(S, (size_t)groups + 1)) {
        return E_NO_MEMORY;
    }
    /* count: the top byte under its group's context (the exponent sum of the group before, >> 5) */
    memset(S->top_count, 0, sizeof S->top_count);
    memset(S->sec_count, 0, sizeof S->sec_count);
    uint32_t sum = 0;
    for (int64_t g = 0; g < groups;) {
        int64_t stop = slice_end(g, groups, groups_per_slice);
        count03_range(S, P->src, g, stop, e, s, rotate, exp_shift, sec_shift, &sum);
        g = stop;
        if (g < groups && (rc = pins_cycle(P)) != 0) {
            return rc;
        }
    }
    build_encoder(S, TOP_CTX, s, sec_shift);
    uint8_t *dst = P->dst;
    dst[o++] = 3;
    dst[o++] = (uint8_t)s;
    dst[o++] = (uint8_t)rotate;
    dst[o++] = (uint8_t)(exp_shift | sec_shift << 4);
    o = varint_put(dst, o, (uint32_t)n);
    int64_t raw = (int64_t)(s - 2) * e + n - e * s;
    o = write_tables(S, TOP_CTX, s, dst, o, limit, raw);
    if (o < 0) {
        return o;
    }

    /* both streams backwards into buf: top bytes in [0, cap), second bytes in [cap, 2 cap) */
    size_t cap = (size_t)(2 * e + 64);
    if (!ensure_buf(S, 2 * cap)) {
        return E_NO_MEMORY;
    }
    uint8_t *tend = S->buf + cap;
    uint8_t *send = S->buf + 2 * cap;
    uint8_t *tp = tend;
    uint8_t *sp = send;
    uint32_t tx[LANES], sx[LANES];
    for (int k = 0; k < LANES; k++) {
        tx[k] = LANES_L;
        sx[k] = LANES_L;
    }
    const enc_sym *te = S->top_enc;
    const enc_sym *se = S->sec_enc;
    int64_t full = e / LANES;
    int simd = 0;
#if HAVE_X86
    simd = use_avx512();
#endif
    /* scalar: every element downwards, or with AVX-512 the partial group above the full ones */
    int64_t scalar_lo = simd ? full * LANES : 0;
    for (int64_t hi_end = e; hi_end > scalar_lo;) {
        int64_t lo = hi_end - scalar_lo > groups_per_slice * LANES ? hi_end - groups_per_slice * LANES : scalar_lo;
        const uint8_t *src = P->src;
        for (int64_t i = hi_end - 1; i >= lo; i--) {
            uint32_t hi = hi16(src + i * s, s, rotate);
            int k = (int)(i & (LANES - 1));
            sx[k] = enc03(sx[k], se[(hi >> 8 >> sec_shift) << 8 | (hi & 0xFF)], &sp);
            tx[k] = enc03(tx[k], te[(uint32_t)S->gctx[i / LANES] << 8 | hi >> 8], &tp);
        }
        hi_end = lo;
        if (hi_end > scalar_lo && (rc = pins_cycle(P)) != 0) {
            return rc;
        }
    }
#if HAVE_X86
    for (int64_t g_hi = simd ? full : 0; g_hi > 0;) {
        int64_t g_lo = g_hi > groups_per_slice ? g_hi - groups_per_slice : 0;
        if ((rc = pins_cycle(P)) != 0) {
            return rc;
        }
        enc03_avx512(S, P->src, g_lo, g_hi, s, rotate, sec_shift, tx, sx, &tp, &sp);
        g_hi = g_lo;
    }
#endif
    int64_t top_len = LANES_STATES + (tend - tp);
    int64_t sec_len = LANES_STATES + (send - sp);
    if (o + 5 + top_len + 5 + sec_len + raw > limit) {
        return E_TOO_SMALL;
    }
    if ((rc = pins_cycle(P)) != 0) {
        return rc;
    }
    o = varint_put(P->dst, o, (uint32_t)top_len);
    for (int k = 0; k < LANES; k++, o += 4) {
        put32(P->dst + o, tx[k]);
    }
    if ((rc = copy_out(P, o, tp, tend - tp)) != 0) {
        return rc;
    }
    o += tend - tp;
    o = varint_put(P->dst, o, (uint32_t)sec_len);
    for (int k = 0; k < LANES; k++, o += 4) {
        put32(P->dst + o, sx[k]);
    }
    if ((rc = copy_out(P, o, sp, send - sp)) != 0) {
        return rc;
    }
    o += send - sp;
    if (s == 4) {
        for (int64_t i = 0; i < e;) {
            int64_t stop = slice_end(i, e, SLICE / 4);
            if ((rc = pins_cycle(P)) != 0) {
                return rc;
            }
            const uint8_t *q = P->src + 1 + i * 4;
            uint8_t *d = P->dst + o;
            for (int64_t j = i; j < stop; j++, q += 4) {
                d[j] = *q;
                d[e + j] = q[-1];
            }
            i = stop;
        }
        o += 2 * e;
    }
    memcpy(P->dst + o, P->src + e * s, (size_t)(n - e * s));
    return o + n - e * s - start;
}

/* format 03's decoder table of freq: symbol | (f - 1) << 8 | (slot - start) << 20 per slot (a block builds up to
   a few hundred of these 16 KiB tables: vector stores) */
CLONES static void table03_build(const uint16_t *freq, uint32_t *tab) {
    uint32_t start = 0;
    for (int k = 0; k < 256; k++) {
        uint32_t f = freq[k];
        uint32_t ent = (uint32_t)k | (f - 1) << 8;
        uint32_t *t = tab + start;
        for (uint32_t j = 0; j < f; j++) {
            t[j] = ent | j << 20;
        }
        start += f;
    }
}

/* one stream of format 03 while it decodes */
typedef struct {
    uint32_t x[LANES];
    const uint8_t *p;
    const uint8_t *end;
} lanes_stream;

/* the 64 states at the stream's start, each in [L, 2^31): 0, or E_DATA */
static int lanes_open(lanes_stream *st, const uint8_t *at, int64_t len) {
    for (int k = 0; k < LANES; k++) {
        st->x[k] = get32(at + 4 * k);
        if (st->x[k] < LANES_L || (st->x[k] >> 31) != 0) {
            return E_DATA;
        }
    }
    st->p = at + LANES_STATES;
    st->end = at + len;
    return 0;
}

/* the stream used up exactly and every state back at L: 0, or E_DATA */
static int lanes_close(const lanes_stream *st) {
    if (st->p != st->end) {
        return E_DATA;
    }
    for (int k = 0; k < LANES; k++) {
        if (st->x[k] != LANES_L) {
            return E_DATA;
        }
    }
    return 0;
}

/* one format-03 decoding step of lane k with table t: the symbol; E_DATA in *err past the stream end */
INLINE uint32_t dec03(lanes_stream *st, int k, const uint32_t *t, int *err) {
    uint32_t x = st->x[k];
    uint32_t ent = t[x & (M - 1)];
    x = (((ent >> 8) & 0xFFF) + 1) * (x >> PROB_BITS) + (ent >> 20);
    if (x < LANES_L) {
        if (st->end - st->p < 2) {
            *err = E_DATA;
            return 0;
        }
        x = x << 16 | st->p[0] | (uint32_t)st->p[1] << 8;
        st->p += 2;
    }
    st->x[k] = x;
    return ent & 0xFF;
}

#define NO_TABLE 0xFFFFFFFFu

typedef struct {
    const uint32_t *tab; /* all tables */
    uint32_t top_off[TOP_CTX]; /* entry offset of each top context's table, NO_TABLE if none */
    uint8_t *tops; /* the decoded top bytes, e + 64 */
    uint8_t *dst;
    const uint8_t *planes; /* s = 4: the stored second-lowest, then lowest bytes */
    int64_t e;
    int s;
    int rotate;
    int exp_shift;
    int sec_shift;
} dec03_args;

/* one step of lane x with table t, renormalising branch-free from p (two bytes surely readable there) */
INLINE uint32_t dec03_fast(uint32_t *x, const uint32_t *t, const uint8_t **pp) {
    uint32_t v = *x;
    uint32_t ent = t[v & (M - 1)];
    v = (((ent >> 8) & 0xFFF) + 1) * (v >> PROB_BITS) + (ent >> 20);
    const uint8_t *p = *pp;
    uint32_t n = v < LANES_L;
    uint32_t w = v << 16 | p[0] | (uint32_t)p[1] << 8;
    *x = n ? w : v;
    *pp = p + 2 * n;
    return ent & 0xFF;
}

/*
 * Top bytes of groups [g, g_end) in scalar code (CPUs without AVX-512, and the AVX-512 loop's tail); *sum: the
 * exponent sum of the group before g, then of the last group done. A full group whose words are surely there (at
 * most 128 bytes) runs without bounds checks: the 64 lanes are independent, so the CPU overlaps them.
 */
static int dec03_tops_scalar(const dec03_args *d, lanes_stream *st, int64_t g, int64_t g_end, uint32_t *sum_io) {
    int err = 0;
    uint32_t sum = *sum_io;
    for (; g < g_end; g++) {
        uint32_t off = d->top_off[sum >> GROUP_SHIFT];
        if (off == NO_TABLE) {
            return E_DATA;
        }
        const uint32_t *t = d->tab + off;
        int64_t base = g * LANES;
        int cnt = d->e - base < LANES ? (int)(d->e - base) : LANES;
        uint32_t gs = 0;
        if (cnt == LANES && st->end - st->p >= 2 * LANES) {
            const uint8_t *p = st->p;
            for (int k = 0; k < LANES; k++) {
                uint32_t top = dec03_fast(st->x + k, t, &p);
                d->tops[base + k] = (uint8_t)top;
                gs += top >> d->exp_shift;
            }
            st->p = p;
        } else {
            for (int k = 0; k < cnt; k++) {
                uint32_t top = dec03(st, k, t, &err);
                if (err) {
                    return err;
                }
                d->tops[base + k] = (uint8_t)top;
                gs += top >> d->exp_shift;
            }
        }
        sum = gs;
        *sum_io = sum;
    }
    return 0;
}

/* the element i from its top and second bytes, written to dst */
INLINE void dec03_put(const dec03_args *d, int64_t i, uint32_t top, uint32_t sec) {
    int s = d->s;
    uint32_t hi = top << 8 | sec;
    if (d->rotate) {
        hi = (hi >> 1) | (hi << 15);
    }
    uint8_t *q = d->dst + i * s;
    q[s - 1] = (uint8_t)(hi >> 8);
    q[s - 2] = (uint8_t)hi;
    if (s == 4) {
        q[1] = d->planes[i];
        q[0] = d->planes[d->e + i];
    }
}

/* second bytes of elements [i, end) in scalar code (i at a group start), each element written to dst */
static int dec03_secs_scalar(const dec03_args *d, lanes_stream *st, int64_t i, int64_t end) {
    int err = 0;
    const uint32_t *sec_tab = d->tab + (size_t)SEC03 * M;
    for (; i + LANES <= end && st->end - st->p >= 2 * LANES; i += LANES) {
        const uint8_t *p = st->p;
        for (int k = 0; k < LANES; k++) {
            uint32_t top = d->tops[i + k];
            uint32_t sec = dec03_fast(st->x + k, sec_tab + (size_t)(top >> d->sec_shift) * M, &p);
            dec03_put(d, i + k, top, sec);
        }
        st->p = p;
    }
    for (; i < end; i++) {
        uint32_t top = d->tops[i];
        uint32_t sec = dec03(st, (int)(i & (LANES - 1)), sec_tab + (size_t)(top >> d->sec_shift) * M, &err);
        if (err) {
            return err;
        }
        dec03_put(d, i, top, sec);
    }
    return 0;
}

#if HAVE_X86

/* 16 lanes of one decoding step: table entries at tab + idx + slot; the states x updated and renormalised from
   *pp (the lanes that renormalise take the next words, in lane order); the symbols in *symbols */
AVX512 INLINE __m512i dec03_x16(__m512i x, const int *tab, __m512i idx, const uint8_t **pp, __m512i *symbols) {
    __m512i ent = _mm512_i32gather_epi32(_mm512_add_epi32(idx, _mm512_and_si512(x, _mm512_set1_epi32(M - 1))),
            tab, 4);
    __m512i f = _mm512_add_epi32(_mm512_and_si512(_mm512_srli_epi32(ent, 8), _mm512_set1_epi32(0xFFF)),
            _mm512_set1_epi32(1));
    x = _mm512_add_epi32(_mm512_mullo_epi32(f, _mm512_srli_epi32(x, PROB_BITS)), _mm512_srli_epi32(ent, 20));
    __mmask16 m = _mm512_cmplt_epu32_mask(x, _mm512_set1_epi32(LANES_L));
    __m512i w = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)*pp));
    x = _mm512_mask_or_epi32(x, m, _mm512_slli_epi32(x, 16), _mm512_maskz_expand_epi32(m, w));
    *pp += 2 * _mm_popcnt_u32(m);
    *symbols = _mm512_and_si512(ent, _mm512_set1_epi32(0xFF));
    return x;
}

/* 16 elements from their top bytes and second bytes, written at dst */
AVX512 INLINE void dec03_put16(const dec03_args *d, int64_t i, __m512i top, __m512i sec) {
    __m512i hi = _mm512_or_si512(_mm512_slli_epi32(top, 8), sec);
    if (d->rotate) {
        hi = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi32(hi, 1), _mm512_slli_epi32(hi, 15)),
                _mm512_set1_epi32(0xFFFF));
    }
    if (d->s == 2) {
        _mm256_storeu_si256((__m256i *)(d->dst + 2 * i), _mm512_cvtepi32_epi16(hi));
    } else {
        __m512i b1 = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(d->planes + i)));
        __m512i b0 = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(d->planes + d->e + i)));
        __m512i v = _mm512_or_si512(_mm512_or_si512(_mm512_slli_epi32(hi, 16), _mm512_slli_epi32(b1, 8)), b0);
        _mm512_storeu_si512(d->dst + 4 * i, v);
    }
}

/* the second bytes of group g, its top bytes in top[] */
AVX512 INLINE void dec03_secs_group(const dec03_args *d, int64_t g, const __m512i *top, __m512i *x,
        const uint8_t **pp) {
    const __m512i base = _mm512_set1_epi32(SEC03 * M);
    const __m128i ss = _mm_cvtsi32_si128(d->sec_shift);
    for (int v = 0; v < VECS; v++) {
        __m512i c;
        x[v] = dec03_x16(x[v], (const int *)d->tab, _mm512_add_epi32(base,
                _mm512_slli_epi32(_mm512_srl_epi32(top[v], ss), 12)), pp, &c);
        dec03_put16(d, g * LANES + 16 * v, top[v], c);
    }
}

/* the top bytes of group g with the table at off; their exponent sum */
AVX512 INLINE uint32_t dec03_tops_group(const dec03_args *d, int64_t g, uint32_t off, __m512i *top, __m512i *x,
        const uint8_t **pp, __m128i shift) {
    __m512i idx = _mm512_set1_epi32((int)off);
    __m512i sum = _mm512_setzero_si512();
    for (int v = 0; v < VECS; v++) {
        x[v] = dec03_x16(x[v], (const int *)d->tab, idx, pp, &top[v]);
        _mm_storeu_si128((__m128i *)(d->tops + g * LANES + 16 * v), _mm512_cvtepi32_epi8(top[v]));
        sum = _mm512_add_epi32(sum, _mm512_srl_epi32(top[v], shift));
    }
    return (uint32_t)_mm512_reduce_add_epi32(sum);
}

/* the 64 states of a stream into four vectors, and back */
AVX512 INLINE void lanes_load(const lanes_stream *st, __m512i *x) {
    for (int v = 0; v < VECS; v++) {
        x[v] = _mm512_loadu_si512(st->x + 16 * v);
    }
}

AVX512 INLINE void lanes_store(lanes_stream *st, const __m512i *x) {
    for (int v = 0; v < VECS; v++) {
        _mm512_storeu_si512(st->x + 16 * v, x[v]);
    }
}

/* the top bytes of group g, as decoded, in four vectors */
AVX512 INLINE void dec03_load_tops(const dec03_args *d, int64_t g, __m512i *top) {
    const uint8_t *tb = d->tops + g * LANES;
    for (int v = 0; v < VECS; v++) {
        top[v] = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(tb + 16 * v)));
    }
}

/*
 * Both streams, a group of 64 elements (four vectors) at a time, for groups [g, g_end) while a group's words (at
 * most 128 bytes) are surely there: the top bytes of group g with the second bytes of group g - 1 in one loop, so
 * that their two chains of dependent steps (table gather, multiply, renormalisation; for the top bytes also the
 * group's exponent sum, the next context) overlap. *sum: the exponent sum of the group before g, then of the last
 * top group done. Returns the first group whose top bytes are not done in *done (second bytes are done up to the
 * group before it), or E_DATA for a context without a table.
 */
AVX512 static int dec03_fused_avx512(const dec03_args *d, lanes_stream *ts, lanes_stream *ss, int64_t g,
        int64_t g_end, uint32_t *sum, int64_t *done) {
    const uint8_t *tp = ts->p;
    const uint8_t *sp = ss->p;
    __m512i tx[VECS], sx[VECS], top[VECS], prev[VECS];
    lanes_load(ts, tx);
    lanes_load(ss, sx);
    if (g > 0) {
        dec03_load_tops(d, g - 1, prev);
    }
    const __m128i shift = _mm_cvtsi32_si128(d->exp_shift);
    uint32_t s = *sum;
    int rc = 0;
    for (; g < g_end && ts->end - tp >= 2 * LANES && (g == 0 || ss->end - sp >= 2 * LANES); g++) {
        uint32_t off = d->top_off[s >> GROUP_SHIFT];
        if (off == NO_TABLE) {
            rc = E_DATA;
            break;
        }
        s = dec03_tops_group(d, g, off, top, tx, &tp, shift);
        if (g > 0) {
            dec03_secs_group(d, g - 1, prev, sx, &sp);
        }
        for (int v = 0; v < VECS; v++) {
            prev[v] = top[v];
        }
    }
    lanes_store(ts, tx);
    lanes_store(ss, sx);
    ts->p = tp;
    ss->p = sp;
    *sum = s;
    *done = g;
    return rc;
}

/* The top bytes alone, groups [g, g_end) while their stream allows; as dec03_fused_avx512. */
AVX512 static int dec03_tops_avx512(const dec03_args *d, lanes_stream *ts, int64_t g, int64_t g_end,
        uint32_t *sum, int64_t *done) {
    const uint8_t *tp = ts->p;
    __m512i tx[VECS], top[VECS];
    lanes_load(ts, tx);
    const __m128i shift = _mm_cvtsi32_si128(d->exp_shift);
    uint32_t s = *sum;
    int rc = 0;
    for (; g < g_end && ts->end - tp >= 2 * LANES; g++) {
        uint32_t off = d->top_off[s >> GROUP_SHIFT];
        if (off == NO_TABLE) {
            rc = E_DATA;
            break;
        }
        s = dec03_tops_group(d, g, off, top, tx, &tp, shift);
    }
    lanes_store(ts, tx);
    ts->p = tp;
    *sum = s;
    *done = g;
    return rc;
}

/* The second bytes alone, groups [g, g_end) (their top bytes done) while their stream allows. */
AVX512 static int64_t dec03_secs_avx512(const dec03_args *d, lanes_stream *ss, int64_t g, int64_t g_end) {
    const uint8_t *sp = ss->p;
    __m512i sx[VECS], top[VECS];
    lanes_load(ss, sx);
    for (; g < g_end && ss->end - sp >= 2 * LANES; g++) {
        dec03_load_tops(d, g, top);
        dec03_secs_group(d, g, top, sx, &sp);
    }
    lanes_store(ss, sx);
    ss->p = sp;
    return g;
}
#endif

/* Ends a slice of format 03's decoding: re-pins the arrays and moves the pointers into them along. */
static int dec03_cycle(pins *P, dec03_args *d, lanes_stream *ts, lanes_stream *ss) {
    int64_t at[5] = {ts->p - P->src, ts->end - P->src, ss->p - P->src, ss->end - P->src, d->planes - P->src};
    int rc = pins_cycle(P);
    if (rc != 0) {
        return rc;
    }
    ts->p = P->src + at[0];
    ts->end = P->src + at[1];
    ss->p = P->src + at[2];
    ss->end = P->src + at[3];
    d->planes = P->src + at[4];
    d->dst = P->dst;
    return 0;
}

/* LanesModel.decode of the src_len bytes at P->src into raw_len bytes at P->dst: 0, or an error code */
static int decode03(scratch *S, pins *P, int64_t src_len, int64_t raw_len) {
    const uint8_t *src = P->src;
    int64_t end = src_len;
    if (src_len < 5 || src[0] != 3) {
        return E_FORMAT;
    }
    int s = (int8_t)src[1];
    int flags = (int8_t)src[2];
    int exp_shift = src[3] & 0x0F;
    int sec_shift = src[3] >> 4;
    if ((s != 2 && s != 4) || (flags & ~1) != 0 || exp_shift > 7 || sec_shift > 7) {
        return E_LAYOUT;
    }
    int64_t pos = 4;
    int32_t v, tab_len, top_len, sec_len;
    GET_VARINT(v);
    if (v != raw_len) {
        return E_RAW_SIZE;
    }
    GET_VARINT(tab_len);
    if (tab_len > end - pos) {
        return E_TABLES_TRUNCATED;
    }
    int64_t tab_at = pos;
    pos += tab_len;
    GET_VARINT(top_len);
    if (top_len < LANES_STATES || (top_len & 1) != 0 || top_len > end - pos) {
        return E_SECTIONS;
    }
    int64_t top_at = pos;
    pos += top_len;
    GET_VARINT(sec_len);
    int64_t e = raw_len / s;
    int64_t raw = (int64_t)(s - 2) * e + raw_len - e * s;
    if (sec_len < LANES_STATES || (sec_len & 1) != 0 || sec_len > end - pos || end - pos - sec_len != raw) {
        return E_SECTIONS;
    }
    int64_t sec_at = pos;
    int tables = read_tables(S, src, tab_at, tab_len, TOP_CTX, s, sec_shift);
    if (tables < 0) {
        return tables;
    }
    if (!ensure_tables03(S) || !ensure_buf(S, (size_t)e + 64)) {
        return E_NO_MEMORY;
    }
    dec03_args d;
    /* top tables by number (a context without one is damage: the encoder gives every group's context one),
       second-byte tables by top byte (every top byte a top table can give has one) */
    uint32_t *tab = S->tab03;
    uint8_t built[MAX_TABLES] = {0};
    for (int c = 0; c < TOP_CTX; c++) {
        uint32_t t = S->top_idx[c];
        d.top_off[c] = t == 0 ? NO_TABLE : t * M;
        if (t != 0 && !built[t]) {
            table03_build(S->dfreq[t], tab + (size_t)t * M);
            built[t] = 1;
        }
    }
    for (int v = 0; v < 256; v++) {
        if (S->sec_idx[v] != 0) {
            table03_build(S->dfreq[S->sec_idx[v]], tab + (size_t)(SEC03 + v) * M);
        }
    }
    d.tab = tab;
    d.tops = S->buf;
    d.dst = P->dst;
    d.planes = src + sec_at + sec_len;
    d.e = e;
    d.s = s;
    d.rotate = flags;
    d.exp_shift = exp_shift;
    d.sec_shift = sec_shift;

    lanes_stream ts, ss;
    int rc;
    if ((rc = lanes_open(&ts, src + top_at, top_len)) != 0 || (rc = lanes_open(&ss, src + sec_at, sec_len)) != 0) {
        return rc;
    }
    int64_t groups = (e + LANES - 1) / LANES;
    int64_t per_slice = SLICE / (LANES * s); /* groups */
    uint32_t sum = 0;
    int64_t gt = 0; /* groups whose top bytes are done */
    int64_t gs = 0; /* groups whose second bytes are done */
#if HAVE_X86
    if (use_avx512()) {
        int64_t full = e / LANES;
        /* both streams together while they allow, then each alone */
        while (gt < full) {
            int64_t stop = slice_end(gt, full, per_slice);
            if ((rc = dec03_fused_avx512(&d, &ts, &ss, gt, stop, &sum, &gt)) != 0) {
                return rc;
            }
            gs = gt > 0 ? gt - 1 : 0;
            if (gt < stop || (rc = dec03_cycle(P, &d, &ts, &ss)) != 0) {
                break;
            }
        }
        if (rc != 0) {
            return rc;
        }
        while (gt < full) {
            int64_t stop = slice_end(gt, full, per_slice);
            if ((rc = dec03_tops_avx512(&d, &ts, gt, stop, &sum, &gt)) != 0) {
                return rc;
            }
            if (gt < stop || (rc = dec03_cycle(P, &d, &ts, &ss)) != 0) {
                break;
            }
        }
        if (rc != 0) {
            return rc;
        }
        while (gs < gt) {
            int64_t stop = slice_end(gs, gt, per_slice);
            gs = dec03_secs_avx512(&d, &ss, gs, stop);
            if (gs < stop || (rc = dec03_cycle(P, &d, &ts, &ss)) != 0) {
                break;
            }
        }
        if (rc != 0) {
            return rc;
        }
    }
#endif
    /* the rest in scalar code: all of it without AVX-512 */
    while (gt < groups) {
        int64_t stop = slice_end(gt, groups, per_slice);
        if ((rc = dec03_tops_scalar(&d, &ts, gt, stop, &sum)) != 0) {
            return rc;
        }
        gt = stop;
        if ((rc = dec03_cycle(P, &d, &ts, &ss)) != 0) {
            return rc;
        }
    }
    if ((rc = lanes_close(&ts)) != 0) {
        return rc;
    }
    for (int64_t i = gs * LANES; i < e;) {
        int64_t stop = slice_end(i, e, per_slice * LANES);
        if ((rc = dec03_secs_scalar(&d, &ss, i, stop)) != 0) {
            return rc;
        }
        i = stop;
        if ((rc = dec03_cycle(P, &d, &ts, &ss)) != 0) {
            return rc;
        }
    }
    if ((rc = lanes_close(&ss)) != 0) {
        return rc;
    }
    memcpy(P->dst + e * s, d.planes + (int64_t)(s - 2) * e, (size_t)(raw_len - e * s));
    return 0;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* the layout chooser's counts (dev.mmh.codec.numeric.LayoutChooser.count): format 01's models over pieces */

INLINE int64_t sample_piece(const uint8_t *p, int64_t e, const int s, const int rotate, int exp_shift, int wlog,
        int32_t *tc, int32_t *sc, uint8_t *tt, uint8_t *st) {
    uint32_t ring[1 << WINDOW_LOG_MAX] = {0};
    uint32_t wmask = (1u << wlog) - 1;
    int cshift = wlog > 0 ? wlog - 1 : 0;
    uint32_t sum = 0;
    int64_t signed_ = 0;
    for (int64_t i = 0; i < e; i++, p += s) {
        uint32_t ctx = sum >> cshift;
        uint32_t top;
        if (s == 1) {
            top = p[0];
        } else {
            uint32_t hi = (uint32_t)p[s - 1] << 8 | p[s - 2];
            signed_ += hi >> 15;
            if (rotate) {
                hi = ((hi << 1) | (hi >> 15)) & 0xFFFF;
            }
            top = hi >> 8;
            sc[hi]++;
            st[top] = 1;
        }
        tc[ctx << 8 | top]++;
        tt[ctx] = 1;
        uint32_t exp = top >> exp_shift;
        uint32_t r = (uint32_t)i & wmask;
        sum += exp - ring[r];
        ring[r] = exp;
    }
    return signed_;
}

/* counts the pieces (as LayoutChooser places them); returns how many elements had their top bit set */
static int64_t sample_counts(const uint8_t *src, int64_t len, int s, int rotate, int exp_shift, int wlog,
        int pieces, int64_t piece, int32_t *tc, int32_t *sc, uint8_t *tt, uint8_t *st) {
    int64_t signed_ = 0;
    for (int k = 0; k < pieces; k++) {
        int64_t at = pieces == 1 ? 0 : ((len - piece) * k / (pieces - 1)) & ~(int64_t)15;
        const uint8_t *p = src + at;
        int64_t e = piece / s;
        if (s == 4) {
            signed_ += rotate ? sample_piece(p, e, 4, 1, exp_shift, wlog, tc, sc, tt, st)
                              : sample_piece(p, e, 4, 0, exp_shift, wlog, tc, sc, tt, st);
        } else if (s == 2) {
            signed_ += rotate ? sample_piece(p, e, 2, 1, exp_shift, wlog, tc, sc, tt, st)
                              : sample_piece(p, e, 2, 0, exp_shift, wlog, tc, sc, tt, st);
        } else {
            signed_ += sample_piece(p, e, 1, 0, exp_shift, wlog, tc, sc, tt, st);
        }
    }
    return signed_;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* JNI: NativeRans checks every argument before the call; these check again what is cheap and throw */

/* 1 if [off, off + len) lies in arr (whose length is at least min_len); else throws and returns 0. */
static int in_array(JNIEnv *env, jarray arr, jlong off, jlong len, jlong min_len) {
    return mmh_in_array(env, arr, off, len, min_len, MMH_IAE, "mmhnum: range outside its array");
}

/* The context; throws IllegalStateException for a null one. */
static scratch *context(JNIEnv *env, jlong handle) {
    if (handle == 0) {
        mmh_throw(env, MMH_ISE, "mmhnum: null context (closed?)");
    }
    return (scratch *)(intptr_t)handle;
}

/* 1 if the layout is one the coders index their tables with safely; else throws and returns 0. */
static int valid_layout(JNIEnv *env, jint format, jint s, jint rotate, jint exp_shift, jint param) {
    int ok = (rotate == 0 || rotate == 1) && exp_shift >= 0 && exp_shift <= 7
            && (format == 1 ? (s == 1 || s == 2 || s == 4) && param >= 0 && param <= WINDOW_LOG_MAX
                            : format == 3 && (s == 2 || s == 4) && param >= 0 && param <= 7);
    if (!ok) {
        mmh_throw(env, MMH_IAE, "mmhnum: bad format or layout");
    }
    return ok;
}

JNIEXPORT jint JNICALL Java_dev_mmh_codec_numeric_NativeRans_version(JNIEnv *env, jclass cls) {
    return 4;
}

/* 1 if the AVX-512 loops are in use; mode 0 forces the scalar ones, 1 picks by the CPU again (tests), 2 only asks */
JNIEXPORT jint JNICALL Java_dev_mmh_codec_numeric_NativeRans_simd(JNIEnv *env, jclass cls, jint mode) {
    if (mode != 2) {
        __atomic_store_n(&simd_level, mode == 0 ? 0 : -1, __ATOMIC_RELAXED);
    }
    return use_avx512();
}

/* A new context (its scratch allocated as blocks need it), or 0 when out of memory. */
JNIEXPORT jlong JNICALL Java_dev_mmh_codec_numeric_NativeRans_open0(JNIEnv *env, jclass cls) {
    return (jlong)(intptr_t)scratch_new();
}

JNIEXPORT void JNICALL Java_dev_mmh_codec_numeric_NativeRans_close0(JNIEnv *env, jclass cls, jlong handle) {
    scratch_free((scratch *)(intptr_t)handle);
}

JNIEXPORT jlong JNICALL Java_dev_mmh_codec_numeric_NativeRans_held0(JNIEnv *env, jclass cls, jlong handle) {
    scratch *S = context(env, handle);
    return S == NULL ? 0 : (jlong)scratch_held(S);
}

/* Encodes src[off, off + n) at dst[o, limit): the block size, E_TOO_SMALL or E_NO_MEMORY. */
JNIEXPORT jint JNICALL Java_dev_mmh_codec_numeric_NativeRans_encodeBlock0(JNIEnv *env, jclass cls, jlong handle,
        jint format, jbyteArray src, jint off, jint n, jint s, jint rotate, jint exp_shift, jint param,
        jbyteArray dst, jint o, jint limit) {
    scratch *S = context(env, handle);
    if (S == NULL || !valid_layout(env, format, s, rotate, exp_shift, param) || !in_array(env, src, off, n, 0)
            || !in_array(env, dst, o, (jlong)limit - o, 0)) {
        return E_NO_MEMORY;
    }
    pins P = {env, src, dst, off, 0, NULL, NULL};
    if (pins_get(&P) != 0) {
        return E_NO_MEMORY;
    }
    int64_t r = format == 3 ? encode03(S, &P, n, s, rotate, exp_shift, param, o, limit)
                            : encode01(S, &P, n, s, rotate, exp_shift, param, o, limit);
    pins_put(&P);
    return (jint)r;
}

/* Decodes src[off, off + len) into dst[dst_off, dst_off + raw_len) by the block's first byte: 0 or an error code. */
JNIEXPORT jint JNICALL Java_dev_mmh_codec_numeric_NativeRans_decodeBlock0(JNIEnv *env, jclass cls, jlong handle,
        jbyteArray src, jint off, jint len, jbyteArray dst, jint dst_off, jint raw_len) {
    scratch *S = context(env, handle);
    if (S == NULL || !in_array(env, src, off, len, 0) || !in_array(env, dst, dst_off, raw_len, 0)) {
        return E_NO_MEMORY;
    }
    pins P = {env, src, dst, off, dst_off, NULL, NULL};
    if (pins_get(&P) != 0) {
        return E_NO_MEMORY;
    }
    int r = len >= 1 && P.src[0] == 3 ? decode03(S, &P, len, raw_len) : decode01(S, &P, len, raw_len);
    pins_put(&P);
    return r;
}

/*
 * The layout chooser's counts over a sample of the block (at most 16 pieces of 4 KiB): the arrays are pinned for
 * the sample's counting only, a few hundred microseconds whatever the block's size.
 */
JNIEXPORT jint JNICALL Java_dev_mmh_codec_numeric_NativeRans_countSample0(JNIEnv *env, jclass cls, jbyteArray src,
        jint off, jint len, jint s, jint rotate, jint exp_shift, jint wlog, jint pieces, jint piece, jintArray top,
        jintArray sec, jbooleanArray top_touched, jbooleanArray sec_touched) {
    if (!valid_layout(env, 1, s, rotate, exp_shift, wlog) || !in_array(env, src, off, len, 0)
            || !in_array(env, top, 0, 0, TOP_CTX * 256) || !in_array(env, sec, 0, 0, 256 * 256)
            || !in_array(env, top_touched, 0, 0, TOP_CTX) || !in_array(env, sec_touched, 0, 0, 256)) {
        return E_NO_MEMORY;
    }
    if (pieces < 1 || piece < 0 || piece > len || (pieces > 1 && (int64_t)piece * pieces > len)) {
        mmh_throw(env, MMH_IAE, "mmhnum: bad sample");
        return E_NO_MEMORY;
    }
    jarray arrays[5] = {src, top, sec, top_touched, sec_touched};
    void *ptr[5];
    int got = 0;
    for (; got < 5; got++) {
        ptr[got] = (*env)->GetPrimitiveArrayCritical(env, arrays[got], NULL);
        if (ptr[got] == NULL) {
            break;
        }
    }
    int64_t r = E_NO_MEMORY;
    if (got == 5) {
        r = sample_counts((const uint8_t *)ptr[0] + off, len, s, rotate, exp_shift, wlog, pieces, piece, ptr[1],
                ptr[2], ptr[3], ptr[4]);
    }
    while (got-- > 0) {
        (*env)->ReleasePrimitiveArrayCritical(env, arrays[got], ptr[got], got == 0 ? JNI_ABORT : 0);
    }
    return (jint)r;
}
