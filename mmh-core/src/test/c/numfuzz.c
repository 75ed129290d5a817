/*
 * Damaged-input check of mmhnum.c's coders under AddressSanitizer (no JVM): numfuzz FILE [ROUNDS]. Codes pieces
 * of FILE in every layout of formats 01 and 03, then decodes seeded truncations, bit flips and byte overwrites of
 * them, from exactly sized heap copies so that any read or write outside the block or the output is reported, with
 * the AVX-512 loops and with the scalar ones. The coders work in slices of 4 KiB here (MMHNUM_SLICE), and at every
 * slice's end the arrays move to new heap copies and the old ones are freed, as the GC may move Java arrays
 * between slices (MMHNUM_TEST_MOVE): a pointer kept across a slice is a use after free. Build and run:
 *   gcc -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -I$JAVA_HOME/include \
 *       -I$JAVA_HOME/include/linux -o /tmp/numfuzz src/test/c/numfuzz.c && /tmp/numfuzz FILE 20000
 */
#define MMHNUM_SLICE 4096
#define MMHNUM_TEST_MOVE
#include "../../main/c/mmhnum.c"
#include <stdio.h>

/* the sizes of the arrays behind the plain pins, for test_move */
static size_t src_size, dst_size;
static long moves;

/* copies both arrays to new heap blocks and frees the old ones */
static void test_move(pins *P) {
    uint8_t *s = malloc(src_size ? src_size : 1), *d = malloc(dst_size ? dst_size : 1);
    memcpy(s, P->src, src_size);
    memcpy(d, P->dst, dst_size);
    free((void *)P->src);
    free(P->dst);
    P->src = s;
    P->dst = d;
    moves++;
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

int main(int argc, char **argv) {
    FILE *fp = fopen(argv[1], "rb");
    if (fp == NULL) {
        perror(argv[1]);
        return 1;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *file = malloc(n);
    if (fread(file, 1, n, fp) != (size_t)n) {
        return 1;
    }
    fclose(fp);
    long rounds = argc > 2 ? atol(argv[2]) : 10000;
    static const int l01[][4] = {{4, 1, 0, 5}, {2, 1, 0, 5}, {2, 1, 3, 5}, {2, 0, 0, 0}, {1, 0, 0, 0}};
    static const int l03[][4] = {{4, 1, 0, 1}, {2, 1, 0, 1}, {2, 1, 3, 3}, {2, 0, 0, 0}, {4, 1, 7, 7}};
    scratch *S = scratch_new();
    long failures = 0, same = 0;
    for (long r = 0; r < rounds; r++) {
        int format = next() & 1 ? 3 : 1;
        int li = (int)(next() % 5);
        const int *l = format == 1 ? l01[li] : l03[li];
        long len = (long)(next() % 70000);
        long off = n > len ? (long)(next() % (uint64_t)(n - len)) : 0;
        if (len > n) {
            len = n;
        }
        long cap = 2 * len + 4096;
        uint8_t *raw = malloc(len > 0 ? len : 1);
        memcpy(raw, file + off, len);
        src_size = len;
        dst_size = cap;
        pins E = pins_plain(raw, malloc(cap));
        int64_t m = format == 1 ? encode01(S, &E, len, l[0], l[1], l[2], l[3], 0, cap)
                                : encode03(S, &E, len, l[0], l[1], l[2], l[3], 0, cap);
        uint8_t *enc = E.dst;
        free((void *)E.src);
        if (m <= 0) {
            fprintf(stderr, "encode failed: %lld\n", (long long)m);
            return 1;
        }
        /* damage: truncate, flip bits, overwrite bytes */
        long blen = m;
        int kind = (int)(next() % 4);
        if (kind == 0) {
            blen = (long)(next() % (uint64_t)m);
        }
        uint8_t *bad = malloc(blen > 0 ? blen : 1);
        memcpy(bad, enc, blen);
        if (kind != 0 && blen > 0) {
            for (int h = 1 + (int)(next() % 4); h > 0; h--) {
                long at = kind == 1 ? (long)(next() % (uint64_t)(blen < 800 ? blen : 800)) : (long)(next() % (uint64_t)blen);
                if (kind == 3) {
                    bad[at] = (uint8_t)next();
                } else {
                    bad[at] ^= (uint8_t)(1u << (next() % 8));
                }
            }
        }
        long raw_len = next() % 8 == 0 ? len + (long)(next() % 5) - 2 : len;
        if (raw_len < 0) {
            raw_len = 0;
        }
        for (int simd = 0; simd < 2; simd++) {
            simd_level = simd ? -1 : 0;
            src_size = blen;
            dst_size = raw_len;
            uint8_t *in = malloc(blen > 0 ? blen : 1);
            memcpy(in, bad, blen);
            pins D = pins_plain(in, malloc(raw_len > 0 ? raw_len : 1));
            int rc = blen >= 1 && bad[0] == 3 ? decode03(S, &D, blen, raw_len) : decode01(S, &D, blen, raw_len);
            if (rc == 0) {
                same += raw_len == len && memcmp(D.dst, file + off, len) == 0;
            } else {
                failures++;
            }
            free((void *)D.src);
            free(D.dst);
        }
        free(bad);
        free(enc);
    }
    printf("%ld rounds: %ld decodes failed cleanly, %ld gave the original; the arrays moved %ld times\n", rounds,
            failures, same, moves);
    scratch_free(S);
    free(file);
    return 0;
}
