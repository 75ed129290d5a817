/*
 * Native coder of the numeric codec's block format 0x01 (dev.mmh.codec.numeric.NativeRans): the same bytes as
 * dev.mmh.codec.numeric.RansModel, encode and decode, one call per block. Layout of the format: RansModel and
 * docs/TRANSFORMS.md. In short: each element of s = 1, 2 or 4 bytes gives a top byte (coded under a context made
 * from the exponents of the elements before it) and, for s >= 2, a second byte (coded under the top byte); the
 * lower bytes are stored as planes. Frequency tables (12-bit) are range coded with an adaptive binary model; the
 * symbols with four interleaved 31-bit rANS states, element i by state i mod 4.
 *
 * Decoding validates everything Java does and never reads or writes outside the arrays it was given: a damaged
 * block gives a negative error code (NativeRans maps it to the Java path's CorruptDataException). Scratch memory
 * (tables, the encoder's output buffer) is kept per thread and freed when the thread ends.
 */
#include <jni.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROB_BITS 12
#define M (1u << PROB_BITS)
#define RANS_L (1u << 23)
#define TOP_CTX 512
#define WINDOW_LOG_MAX 5
#define VERSION 1

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
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

/* ---------------------------------------------------------------------------------------------------------- */
/* per-thread scratch */

typedef struct {
    uint32_t top_count[TOP_CTX * 256];
    uint32_t sec_count[256 * 256];
    uint16_t top_freq[TOP_CTX * 256];
    uint16_t sec_freq[256 * 256];
    /* encoder: per (context, symbol) the reciprocal and start | (M - f) << 12 | shift << 24 */
    uint64_t top_rcp[TOP_CTX * 256];
    uint32_t top_pack[TOP_CTX * 256];
    uint64_t sec_rcp[256 * 256];
    uint32_t sec_pack[256 * 256];
    uint8_t *buf; /* encoder's backward output */
    size_t buf_cap;
    uint32_t *dtab; /* decoder tables, M entries each */
    size_t dtab_tables;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_key_ok;

static void scratch_free(void *p) {
    scratch *s = p;
    if (s != NULL) {
        free(s->buf);
        free(s->dtab);
        free(s);
    }
}

static void scratch_key_make(void) {
    scratch_key_ok = pthread_key_create(&scratch_key, scratch_free) == 0;
}

static scratch *scratch_get(void) {
    pthread_once(&scratch_once, scratch_key_make);
    if (!scratch_key_ok) {
        return NULL;
    }
    scratch *s = pthread_getspecific(scratch_key);
    if (s == NULL) {
        s = calloc(1, sizeof *s);
        if (s == NULL) {
            return NULL;
        }
        if (pthread_setspecific(scratch_key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    return s;
}

static int ensure_buf(scratch *s, size_t cap) {
    if (s->buf_cap < cap) {
        free(s->buf);
        s->buf = malloc(cap);
        s->buf_cap = s->buf == NULL ? 0 : cap;
    }
    return s->buf != NULL;
}

static int ensure_tables(scratch *s, size_t n) {
    if (s->dtab_tables < n) {
        size_t want = n < 64 ? 64 : n;
        uint32_t *t = realloc(s->dtab, want * M * sizeof(uint32_t));
        if (t == NULL) {
            return 0;
        }
        s->dtab = t;
        s->dtab_tables = want;
    }
    return 1;
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

/* Reads one table into freq[256]; 0, or an error code. */
static int read_freqs(bits_model *b, range_dec *r, uint16_t *freq) {
    uint32_t sum = 0;
    int prev_len = 0;
    memset(freq, 0, 256 * sizeof *freq);
    for (int k = 0; k < 256 && sum < M; k++) {
        if (bits_decode(b, r, ctx_zero(prev_len))) {
            prev_len = 0;
            continue;
        }
        int len = 0;
        while (len < 12 && bits_decode(b, r, ctx_unary(prev_len, len))) {
            len++;
        }
        uint32_t v = len == 0 ? 0 : 1;
        for (int j = len - 2; j >= 0; j--) {
            v = v << 1 | (uint32_t)bits_decode(b, r, ctx_mantissa(len, j));
        }
        uint32_t f = v + 1;
        if (f > M - sum) {
            return E_FREQ_PAST;
        }
        freq[k] = (uint16_t)f;
        sum += f;
        prev_len = len + 1;
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
/* model: splitting, contexts, counting, normalisation */

static inline int top_contexts(int wlog) {
    return wlog == 0 ? 256 : TOP_CTX;
}

/* the top 16 bits of the element at p (s >= 2), rotated left by one if asked */
static inline uint32_t hi16(const uint8_t *p, int s, int rotate) {
    uint32_t hi = (uint32_t)p[s - 1] << 8 | p[s - 2];
    if (rotate) {
        hi = ((hi << 1) | (hi >> 15)) & 0xFFFF;
    }
    return hi;
}

/* Pass 1 of the encoder: counts both models over e elements. Returns the final window sum. */
static uint32_t count_symbols(scratch *S, const uint8_t *src, int64_t e, int s, int rotate, int exp_shift, int wlog) {
    uint32_t ring[1 << WINDOW_LOG_MAX] = {0};
    uint32_t wmask = (1u << wlog) - 1;
    int cshift = wlog > 0 ? wlog - 1 : 0;
    uint32_t sum = 0;
    uint32_t *tc = S->top_count;
    uint32_t *sc = S->sec_count;
    memset(tc, 0, (size_t)top_contexts(wlog) * 256 * sizeof *tc);
    if (s >= 2) {
        memset(sc, 0, sizeof S->sec_count);
    }
    const uint8_t *p = src;
    for (int64_t i = 0; i < e; i++, p += s) {
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
    return sum;
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

static void encoder_table(const uint16_t *freq, uint64_t *rcp, uint32_t *pack) {
    uint32_t start = 0;
    for (int k = 0; k < 256; k++) {
        uint32_t f = freq[k];
        if (f == 0) {
            continue;
        }
        int shift = 31 + bit_length(f - 1);
        rcp[k] = ((1ull << shift) + f - 1) / f;
        pack[k] = start | (M - f) << 12 | (uint32_t)shift << 24;
        start += f;
    }
}

static inline void put32(uint8_t *d, uint32_t v) {
    d[0] = (uint8_t)v;
    d[1] = (uint8_t)(v >> 8);
    d[2] = (uint8_t)(v >> 16);
    d[3] = (uint8_t)(v >> 24);
}

static inline uint32_t get32(const uint8_t *d) {
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

/* one rANS encoding step of the symbol with reciprocal rcp and packed start/complement/shift pk */
static inline uint32_t enc_put(uint32_t x, uint64_t rcp, uint32_t pk, uint8_t **bpp) {
    uint32_t cmpl = (pk >> 12) & 0xFFF;
    uint32_t xm1 = ((M - cmpl) << 19) - 1;
    uint8_t *bp = *bpp;
    /* at most two bytes: write both, keep what is needed (the buffer has slack below) */
    uint32_t n = (x > xm1) + ((x >> 8) > xm1);
    bp[-1] = (uint8_t)x;
    bp[-2] = (uint8_t)(x >> 8);
    *bpp = bp - n;
    x >>= 8 * n;
    uint32_t q = (uint32_t)(((uint64_t)x * rcp) >> (pk >> 24));
    return x + (pk & 0xFFF) + q * cmpl;
}

/* RansModel.encode: the block size written at dst[o...], or -1 if dst[o, limit) is too small, -2 out of memory */
static int64_t rans_encode(scratch *S, const uint8_t *src, int64_t n, int s, int rotate, int exp_shift, int wlog,
        uint8_t *dst, int64_t o, int64_t limit) {
    int64_t e = n / s;
    int64_t start = o;
    if (limit - o < 32) {
        return E_TOO_SMALL;
    }
    uint32_t final_sum = count_symbols(S, src, e, s, rotate, exp_shift, wlog);
    int nctx = top_contexts(wlog);
    uint8_t sec_used[256] = {0};
    uint8_t present[TOP_CTX];
    for (int c = 0; c < nctx; c++) {
        present[c] = (uint8_t)normalise(S->top_count + (c << 8), S->top_freq + (c << 8));
        if (present[c]) {
            encoder_table(S->top_freq + (c << 8), S->top_rcp + (c << 8), S->top_pack + (c << 8));
            for (int k = 0; k < 256; k++) {
                sec_used[k] |= S->top_freq[c << 8 | k] != 0;
            }
        }
    }
    if (s >= 2) {
        for (int t = 0; t < 256; t++) {
            if (sec_used[t]) {
                if (!normalise(S->sec_count + (t << 8), S->sec_freq + (t << 8))) {
                    for (int k = 0; k < 256; k++) {
                        S->sec_freq[t << 8 | k] = M / 256;
                    }
                }
                encoder_table(S->sec_freq + (t << 8), S->sec_rcp + (t << 8), S->sec_pack + (t << 8));
            }
        }
    }
    dst[o++] = VERSION;
    dst[o++] = (uint8_t)s;
    dst[o++] = (uint8_t)rotate;
    dst[o++] = (uint8_t)(exp_shift | wlog << 4);
    o = varint_put(dst, o, (uint32_t)n);

    /* tables, range coded */
    int64_t raw = (s > 2 ? (int64_t)(s - 2) * e : 0) + n - e * s;
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
        bits_encode(&bits, &renc, prev, present[c]);
        prev = present[c];
        if (present[c]) {
            write_freqs(&bits, &renc, S->top_freq + (c << 8));
        }
    }
    if (s >= 2) {
        for (int t = 0; t < 256; t++) {
            if (sec_used[t]) {
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
    o = at + tab_len;

    /* rANS data, encoded backwards into buf */
    int64_t nsym = s >= 2 ? 2 * e : e;
    size_t cap = (size_t)(2 * nsym + 64);
    if (!ensure_buf(S, cap)) {
        return E_NO_MEMORY;
    }
    uint8_t *bend = S->buf + cap;
    uint8_t *bp = bend;
    uint32_t xs[4] = {RANS_L, RANS_L, RANS_L, RANS_L};
    const uint64_t *tr = S->top_rcp;
    const uint32_t *tk = S->top_pack;
    const uint64_t *sr = S->sec_rcp;
    const uint32_t *sk = S->sec_pack;
    /* the contexts again, backwards: sum before element i is the window over [i - W, i) */
    int64_t w = (int64_t)1 << wlog;
    int cshift = wlog > 0 ? wlog - 1 : 0;
    uint32_t sum = final_sum;
    for (int64_t i = e - 1; i >= 0; i--) {
        const uint8_t *p = src + i * s;
        uint32_t top;
        uint32_t hi = 0;
        if (s == 1) {
            top = p[0];
        } else {
            hi = hi16(p, s, rotate);
            top = hi >> 8;
        }
        /* remove element i from the window, add element i - W back */
        sum -= top >> exp_shift;
        if (i - w >= 0) {
            const uint8_t *q = src + (i - w) * s;
            uint32_t t = s == 1 ? q[0] : hi16(q, s, rotate) >> 8;
            sum += t >> exp_shift;
        }
        uint32_t x = xs[i & 3];
        if (s >= 2) {
            x = enc_put(x, sr[hi], sk[hi], &bp);
        }
        uint32_t k = (sum >> cshift) << 8 | top;
        x = enc_put(x, tr[k], tk[k], &bp);
        xs[i & 3] = x;
    }
    int64_t body = bend - bp;
    int64_t data_len = 16 + body;
    if (o + 5 + data_len + raw > limit) {
        return E_TOO_SMALL;
    }
    o = varint_put(dst, o, (uint32_t)data_len);
    for (int j = 0; j < 4; j++) {
        put32(dst + o, xs[j]);
        o += 4;
    }
    memcpy(dst + o, bp, (size_t)body);
    o += body;
    for (int k = s - 3; k >= 0; k--) {
        const uint8_t *p = src + k;
        for (int64_t i = 0; i < e; i++, p += s) {
            dst[o++] = *p;
        }
    }
    memcpy(dst + o, src + e * s, (size_t)(n - e * s));
    return o + n - e * s - start;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* decoding */

/* decode table of M entries from freq: symbol | (f - 1) << 8 | (slot - start) << 20 */
static void decoder_table(const uint16_t *freq, uint32_t *tab) {
    uint32_t start = 0;
    for (int k = 0; k < 256; k++) {
        uint32_t f = freq[k];
        if (f == 0) {
            continue;
        }
        uint32_t e = (uint32_t)k | (f - 1) << 8;
        uint32_t *t = tab + start;
        for (uint32_t j = 0; j < f; j++) {
            t[j] = e | j << 20;
        }
        start += f;
    }
}

/* one rANS decoding step: the table entry's symbol, the state updated and renormalised from *pp */
static inline uint32_t dec_step(uint32_t ent, uint32_t x) {
    return (((ent >> 8) & 0xFFF) + 1) * (x >> PROB_BITS) + (ent >> 20);
}

/* reads 0, 1 or 2 bytes into x; the caller guarantees two readable bytes at *pp */
static inline uint32_t renorm_fast(uint32_t x, const uint8_t **pp) {
    const uint8_t *p = *pp;
    uint32_t n1 = x < RANS_L;
    uint32_t n2 = x < (RANS_L >> 8);
    uint32_t y1 = x << 8 | p[0];
    uint32_t y2 = x << 16 | (uint32_t)p[0] << 8 | p[1];
    x = n2 ? y2 : (n1 ? y1 : x);
    *pp = p + n1 + n2;
    return x;
}

/* as renorm_fast, checking the data end; 0 and *x, or E_DATA */
static inline int renorm_checked(uint32_t *xp, const uint8_t **pp, const uint8_t *end) {
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

/* RansModel.decode: 0, or an error code */
static int rans_decode(scratch *S, const uint8_t *src, int64_t src_len, uint8_t *dst, int64_t raw_len) {
    int64_t end = src_len;
    if (src_len < 5 || src[0] != VERSION) {
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
    int32_t v;
    int rc = varint_get(src, &pos, end, &v);
    if (rc != 0) {
        return rc;
    }
    if (v != raw_len) {
        return E_RAW_SIZE;
    }
    int32_t tab_len;
    if ((rc = varint_get(src, &pos, end, &tab_len)) != 0) {
        return rc;
    }
    if (tab_len > end - pos) {
        return E_TABLES_TRUNCATED;
    }
    int64_t tab_at = pos;
    pos += tab_len;
    int32_t data_len;
    if ((rc = varint_get(src, &pos, end, &data_len)) != 0) {
        return rc;
    }
    int64_t e = raw_len / s;
    int64_t raw = (s > 2 ? (int64_t)(s - 2) * e : 0) + raw_len - e * s;
    if (data_len < 16 || data_len > end - pos || end - pos - data_len != raw) {
        return E_SECTIONS;
    }
    int nctx = top_contexts(wlog);

    /* tables; table 0 is flat, for contexts without one */
    bits_model bits;
    bits_reset(&bits);
    range_dec rdec;
    rdec_reset(&rdec, src, tab_at, tab_at + tab_len);
    uint8_t sec_used[256] = {0};
    const uint32_t *top_tab[TOP_CTX];
    const uint32_t *sec_tab[256];
    uint32_t top_idx[TOP_CTX];
    uint32_t sec_idx[256];
    size_t tables = 1;
    uint16_t f[256];
    if (!ensure_tables(S, 1)) {
        return E_NO_MEMORY;
    }
    for (int k = 0; k < 256; k++) {
        f[k] = M / 256;
    }
    decoder_table(f, S->dtab);
    int prev = 0;
    for (int c = 0; c < nctx; c++) {
        int present = bits_decode(&bits, &rdec, prev);
        prev = present;
        top_idx[c] = 0;
        if (!present) {
            continue;
        }
        if ((rc = read_freqs(&bits, &rdec, f)) != 0) {
            return rc;
        }
        for (int k = 0; k < 256; k++) {
            sec_used[k] |= f[k] != 0;
        }
        if (!ensure_tables(S, tables + 1)) {
            return E_NO_MEMORY;
        }
        decoder_table(f, S->dtab + tables * M);
        top_idx[c] = (uint32_t)tables++;
        if (rdec_exhausted(&rdec)) {
            return E_TABLES_DAMAGED;
        }
    }
    for (int t = 0; t < 256; t++) {
        sec_idx[t] = 0;
        if (s >= 2 && sec_used[t]) {
            if ((rc = read_freqs(&bits, &rdec, f)) != 0) {
                return rc;
            }
            if (!ensure_tables(S, tables + 1)) {
                return E_NO_MEMORY;
            }
            decoder_table(f, S->dtab + tables * M);
            sec_idx[t] = (uint32_t)tables++;
            if (rdec_exhausted(&rdec)) {
                return E_TABLES_DAMAGED;
            }
        }
    }
    if (rdec_exhausted(&rdec)) {
        return E_TABLES_DAMAGED;
    }
    /* pointers only now: the table array may have moved while it grew */
    for (int c = 0; c < nctx; c++) {
        top_tab[c] = S->dtab + (size_t)top_idx[c] * M;
    }
    for (int t = 0; t < 256; t++) {
        sec_tab[t] = S->dtab + (size_t)sec_idx[t] * M;
    }

    const uint8_t *p = src + pos;
    const uint8_t *data_end = p + data_len;
    uint32_t x0 = get32(p);
    uint32_t x1 = get32(p + 4);
    uint32_t x2 = get32(p + 8);
    uint32_t x3 = get32(p + 12);
    p += 16;
    /* states in [L, 2^31) */
    if (x0 < RANS_L || x1 < RANS_L || x2 < RANS_L || x3 < RANS_L || ((x0 | x1 | x2 | x3) >> 31) != 0) {
        return E_DATA;
    }
    const uint8_t *raw_at = data_end;
    uint32_t ring[1 << WINDOW_LOG_MAX] = {0};
    uint32_t wmask = (1u << wlog) - 1;
    int cshift = wlog > 0 ? wlog - 1 : 0;
    uint32_t sum = 0;
    uint8_t *q = dst;
    int64_t i = 0;
    /* fast loop: an element reads at most 4 bytes */
    for (; i < e && data_end - p >= 4; i++, q += s) {
        uint32_t x = x0;
        uint32_t ent = top_tab[sum >> cshift][x & (M - 1)];
        uint32_t top = ent & 0xFF;
        x = renorm_fast(dec_step(ent, x), &p);
        uint32_t exp = top >> exp_shift;
        uint32_t r = (uint32_t)i & wmask;
        sum += exp - ring[r];
        ring[r] = exp;
        if (s == 1) {
            q[0] = (uint8_t)top;
        } else {
            ent = sec_tab[top][x & (M - 1)];
            x = renorm_fast(dec_step(ent, x), &p);
            uint32_t hi = top << 8 | (ent & 0xFF);
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
        x0 = x1;
        x1 = x2;
        x2 = x3;
        x3 = x;
    }
    for (; i < e; i++, q += s) {
        uint32_t x = x0;
        uint32_t ent = top_tab[sum >> cshift][x & (M - 1)];
        uint32_t top = ent & 0xFF;
        x = dec_step(ent, x);
        if (renorm_checked(&x, &p, data_end) != 0) {
            return E_DATA;
        }
        uint32_t exp = top >> exp_shift;
        uint32_t r = (uint32_t)i & wmask;
        sum += exp - ring[r];
        ring[r] = exp;
        if (s == 1) {
            q[0] = (uint8_t)top;
        } else {
            ent = sec_tab[top][x & (M - 1)];
            x = dec_step(ent, x);
            if (renorm_checked(&x, &p, data_end) != 0) {
                return E_DATA;
            }
            uint32_t hi = top << 8 | (ent & 0xFF);
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
        x0 = x1;
        x1 = x2;
        x2 = x3;
        x3 = x;
    }
    if (p != data_end || x0 != RANS_L || x1 != RANS_L || x2 != RANS_L || x3 != RANS_L) {
        return E_DATA;
    }
    const uint8_t *in = raw_at + (s > 2 ? (int64_t)(s - 2) * e : 0);
    memcpy(dst + e * s, in, (size_t)(raw_len - e * s));
    return 0;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* JNI (bounds are checked by NativeRans before the call) */

JNIEXPORT jint JNICALL Java_dev_mmh_codec_numeric_NativeRans_version(JNIEnv *env, jclass cls) {
    return 1;
}

JNIEXPORT jint JNICALL Java_dev_mmh_codec_numeric_NativeRans_encodeBlock(JNIEnv *env, jclass cls, jbyteArray src,
        jint off, jint n, jint s, jint rotate, jint exp_shift, jint wlog, jbyteArray dst, jint o, jint limit) {
    scratch *S = scratch_get();
    if (S == NULL) {
        return E_NO_MEMORY;
    }
    uint8_t *in = (*env)->GetPrimitiveArrayCritical(env, src, NULL);
    if (in == NULL) {
        return E_NO_MEMORY;
    }
    uint8_t *out = (*env)->GetPrimitiveArrayCritical(env, dst, NULL);
    if (out == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, src, in, JNI_ABORT);
        return E_NO_MEMORY;
    }
    int64_t r = rans_encode(S, in + off, n, s, rotate, exp_shift, wlog, out, o, limit);
    (*env)->ReleasePrimitiveArrayCritical(env, dst, out, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, src, in, JNI_ABORT);
    return (jint)r;
}

JNIEXPORT jint JNICALL Java_dev_mmh_codec_numeric_NativeRans_decodeBlock(JNIEnv *env, jclass cls, jbyteArray src,
        jint off, jint len, jbyteArray dst, jint dst_off, jint raw_len) {
    scratch *S = scratch_get();
    if (S == NULL) {
        return E_NO_MEMORY;
    }
    uint8_t *in = (*env)->GetPrimitiveArrayCritical(env, src, NULL);
    if (in == NULL) {
        return E_NO_MEMORY;
    }
    uint8_t *out = (*env)->GetPrimitiveArrayCritical(env, dst, NULL);
    if (out == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, src, in, JNI_ABORT);
        return E_NO_MEMORY;
    }
    int r = rans_decode(S, in + off, len, out + dst_off, raw_len);
    (*env)->ReleasePrimitiveArrayCritical(env, dst, out, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, src, in, JNI_ABORT);
    return r;
}
