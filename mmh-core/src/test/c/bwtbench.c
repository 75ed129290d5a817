/*
 * Driver for the native bwt decoder (src/main/c/mmhbwt.c) outside the JVM; Maven does not build it.
 *
 *   bench: times whole block decodes and the two stages (thread CPU time, best of REPS) and checks the output.
 *     gcc -O3 -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -o /tmp/bwtbench mmh-core/src/test/c/bwtbench.c
 *     /tmp/bwtbench bench 5 /tmp/bwtbench/dickens.bwt /tmp/corpus/silesia/dickens ...
 *   (BwtBench, in the Java test sources, writes the .bwt blocks: the first 8 MiB of each file, one block.)
 *
 *   fuzz: decodes seeded damaged copies of each block (truncated, bits flipped, bytes overwritten, wrong size) in
 *   a scratch area of exactly the size the JNI entry point gets; build it with the sanitizers, which turn any
 *   read or write out of bounds into a failure:
 *     gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -I$JAVA_HOME/include \
 *         -I$JAVA_HOME/include/linux -o /tmp/bwtfuzz mmh-core/src/test/c/bwtbench.c
 *     ASAN_OPTIONS=detect_leaks=0 /tmp/bwtfuzz fuzz BLOCK RAW ...
 *   NativeBwtTest checks that the damaged blocks the Java decoder rejects, the native one rejects too.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double t_rank, t_inverse;
#define MMHBWT_PROFILE_RANK(x)                                                                               \
    do {                                                                                                     \
        double t0_ = now();                                                                                  \
        x;                                                                                                   \
        t_rank += now() - t0_;                                                                               \
    } while (0)
#define MMHBWT_PROFILE_INV(x)                                                                                \
    do {                                                                                                     \
        double t0_ = now();                                                                                  \
        x;                                                                                                   \
        t_inverse += now() - t0_;                                                                            \
    } while (0)
#include "../../main/c/mmhbwt.c"

static uint8_t *read_file(const char *name, size_t *n) {
    FILE *f = fopen(name, "rb");
    if (f == NULL) {
        perror(name);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    *n = (size_t) ftell(f);
    rewind(f);
    uint8_t *b = malloc(*n + 1);
    if (fread(b, 1, *n, f) != *n) {
        perror(name);
        exit(2);
    }
    fclose(f);
    return b;
}

/* emit into a plain buffer */
static int to_buffer(void *sink, uint32_t offset, const uint8_t *bytes, uint32_t n) {
    memcpy((uint8_t *) sink + offset, bytes, n);
    return 0;
}

/* decodes block in base, or in a scratch area of exactly bwt_scratch_size bytes; returns the error code */
static int decode_in(uint8_t *base, const uint8_t *block, size_t len, uint32_t rawLen, const uint8_t *expect) {
    uint8_t *own = base == NULL ? malloc(bwt_scratch_size((uint32_t) len, rawLen)) : base;
    uint8_t *dst = malloc(rawLen + 1);
    memcpy(scratch_input(own, rawLen), block, len);
    int e = bwt_decode_scratch(own, (uint32_t) len, rawLen, to_buffer, dst);
    if (e == 0 && expect != NULL && memcmp(dst, expect, rawLen) != 0) {
        fprintf(stderr, "decoded bytes differ\n");
        exit(1);
    }
    free(dst);
    if (base == NULL) {
        free(own);
    }
    return e;
}

static int decode(const uint8_t *block, size_t len, uint32_t rawLen, const uint8_t *expect) {
    return decode_in(NULL, block, len, rawLen, expect);
}

static uint64_t seed = 88172645463325252ULL;
static uint32_t next_random(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (uint32_t) (seed >> 11);
}

static void fuzz(const uint8_t *block, size_t len, uint32_t rawLen, const uint8_t *raw) {
    if (decode(block, len, rawLen, raw) != 0) {
        fprintf(stderr, "the undamaged block fails\n");
        exit(1);
    }
    uint8_t *b = malloc(len + 1);
    long failed = 0, total = 0;
    size_t step = len / 2000 + 1; /* a few thousand positions per kind of damage */
    for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : 1 + next_random() % (2 * step)) {
        failed += decode(block, cut, rawLen, NULL) != 0;
        total++;
    }
    for (size_t pos = 0; pos < len; pos += pos < 64 ? 1 : 1 + next_random() % (2 * step)) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(b, block, len);
            b[pos] ^= (uint8_t) (1 << bit);
            failed += decode(b, len, rawLen, NULL) != 0;
            total++;
        }
    }
    for (int k = 0; k < 5000; k++) {
        memcpy(b, block, len);
        for (int f = 1 + (int) (next_random() % 4); f > 0; f--) {
            b[next_random() % len] = (uint8_t) next_random();
        }
        size_t n = next_random() % 4 == 0 ? next_random() % len : len;
        failed += decode(b, n, rawLen, NULL) != 0;
        failed += decode(b, n, rawLen + (next_random() % 3) - 1, NULL) != 0;
        total += 2;
    }
    printf("%ld of %ld damaged blocks rejected, no access out of bounds\n", failed, total);
    free(b);
}

int main(int argc, char **argv) {
    int bench = argc >= 5 && strcmp(argv[1], "bench") == 0;
    if (!bench && !(argc >= 4 && strcmp(argv[1], "fuzz") == 0)) {
        fprintf(stderr, "usage: bwtbench bench REPS BLOCK RAW [BLOCK RAW]... | fuzz BLOCK RAW [BLOCK RAW]...\n");
        return 2;
    }
    int reps = bench ? atoi(argv[2]) : 0;
    double total = 0, totalRaw = 0;
    for (int a = bench ? 3 : 2; a + 1 < argc; a += 2) {
        size_t len, rawLen;
        uint8_t *block = read_file(argv[a], &len);
        uint8_t *raw = read_file(argv[a + 1], &rawLen);
        if (bench) {
            /* BwtBench blocks hold the first 8 MiB */
            rawLen = rawLen < (8u << 20) ? rawLen : (8u << 20);
            double best = 1e9, bestRank = 1e9, bestInverse = 1e9;
            uint8_t *base = malloc(bwt_scratch_size((uint32_t) len, (uint32_t) rawLen));
            for (int r = 0; r < reps; r++) {
                t_rank = t_inverse = 0;
                double t0 = now();
                if (decode_in(base, block, len, (uint32_t) rawLen, raw) != 0) {
                    fprintf(stderr, "%s does not decode\n", argv[a]);
                    return 1;
                }
                double t = now() - t0;
                best = t < best ? t : best;
                bestRank = t_rank < bestRank ? t_rank : bestRank;
                bestInverse = t_inverse < bestInverse ? t_inverse : bestInverse;
            }
            printf("%-28s %9zu -> %9zu  full %7.1f ms %6.1f MB/s | ranks %7.1f ms %6.1f MB/s | inverse %6.1f ms "
                    "%6.1f MB/s\n", argv[a], rawLen, len, best * 1e3, rawLen / best / 1e6, bestRank * 1e3,
                    rawLen / bestRank / 1e6, bestInverse * 1e3, rawLen / bestInverse / 1e6);
            free(base);
            total += best;
            totalRaw += (double) rawLen;
        } else {
            printf("%s: ", argv[a]);
            fuzz(block, len, (uint32_t) rawLen, raw);
        }
        free(block);
        free(raw);
    }
    if (bench) {
        printf("total %.1f MB in %.1f ms: %.1f MB/s\n", totalRaw / 1e6, total * 1e3, totalRaw / total / 1e6);
    }
    return 0;
}
