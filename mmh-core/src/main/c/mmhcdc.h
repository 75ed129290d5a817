/*
 * FastCDC's cut search (docs/CHUNKING.md), the C twin of dev.mmh.chunk.FastCdc.scan: the same bytes give the same
 * cuts (ChunkerTest compares them). A header of static functions because two libraries use it: libmmhcore.so
 * (mmhcdc.c, cut points only) and libmmhcrypto.so (crypto/mmhchunkid.c, cut points and each chunk's SHA-256 in one
 * call), which must not depend on each other.
 */
#ifndef MMH_CDC_H
#define MMH_CDC_H

#include <stddef.h>
#include <stdint.h>

#define MMH_CDC_WINDOW 64u         /* bytes a 64-bit gear hash depends on */
#define MMH_CDC_MIN_AVG (1u << 8)
#define MMH_CDC_MAX_AVG (1u << 28)
#define MMH_CDC_MAX_MAX (1u << 30)
#define MMH_CDC_NORMALISATION 2

typedef struct {
    uint64_t gear[256];
    uint32_t min, avg, max;
    uint64_t mask_s; /* tested for chunk lengths in [min, avg) */
    uint64_t mask_l; /* tested for chunk lengths in [avg, max) */
} mmh_cdc;

/* Fills c's sizes and masks from (min, avg, max); 0, or -1 when they break ChunkerParams' rules. */
static inline int mmh_cdc_params(mmh_cdc *c, int64_t min, int64_t avg, int64_t max) {
    if (avg < MMH_CDC_MIN_AVG || avg > MMH_CDC_MAX_AVG || (avg & (avg - 1)) != 0 || min < MMH_CDC_WINDOW
            || min >= avg || max <= avg || max > MMH_CDC_MAX_MAX) {
        return -1;
    }
    int bits = __builtin_ctzll((uint64_t) avg);
    c->min = (uint32_t) min;
    c->avg = (uint32_t) avg;
    c->max = (uint32_t) max;
    c->mask_s = ~0ull << (64 - (bits + MMH_CDC_NORMALISATION));
    c->mask_l = ~0ull << (64 - (bits - MMH_CDC_NORMALISATION));
    return 0;
}

static inline size_t mmh_cdc_clamp(int64_t v, size_t lo, size_t hi) {
    return v < (int64_t) lo ? lo : v > (int64_t) hi ? hi : (size_t) v;
}

/*
 * Scans p[0, len), the next bytes of the open chunk, of which *k bytes (0 <= *k < max) came before p, with gear
 * hash *h after them. Returns the bytes from p up to and including the chunk's last byte (then *k = *h = 0), or
 * 0 when the chunk does not end within p (then *k and *h describe the chunk after p). len < 2^31.
 */
static inline size_t mmh_cdc_scan(const mmh_cdc *c, const uint8_t *p, size_t len, uint64_t *k, uint64_t *h) {
    const uint64_t *g = c->gear;
    uint64_t hash = *h;
    int64_t base = -(int64_t) *k; /* chunk byte j is p[base + j] */
    /* chunk bytes [0, min - 64): not hashed, the hash at any length >= min no longer depends on them */
    size_t i = mmh_cdc_clamp(base + c->min - MMH_CDC_WINDOW, 0, len);
    /* [min - 64, min - 1): hashed without a test, no chunk is shorter than min */
    size_t stop = mmh_cdc_clamp(base + c->min - 1, i, len);
    for (; i < stop; i++) {
        hash = (hash << 1) + g[p[i]];
    }
    /* [min - 1, avg - 1): a chunk of min..avg-1 bytes ends where the stricter mask is zero */
    uint64_t mask = c->mask_s;
    stop = mmh_cdc_clamp(base + c->avg - 1, i, len);
    for (; i < stop; i++) {
        hash = (hash << 1) + g[p[i]];
        if ((hash & mask) == 0) {
            goto cut;
        }
    }
    /* [avg - 1, max - 1): a chunk of avg..max-1 bytes ends where the looser mask is zero */
    mask = c->mask_l;
    stop = mmh_cdc_clamp(base + c->max - 1, i, len);
    for (; i < stop; i++) {
        hash = (hash << 1) + g[p[i]];
        if ((hash & mask) == 0) {
            goto cut;
        }
    }
    /* byte max - 1 ends the chunk whatever the hash */
    if (i < len) {
        goto cut;
    }
    *k = (uint64_t) ((int64_t) len - base);
    *h = hash;
    return 0;
cut:
    *k = 0;
    *h = 0;
    return i + 1;
}

#endif
