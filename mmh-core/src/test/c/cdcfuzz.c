/*
 * Stand-alone check of mmhcdc.h and of libmmhcrypto's digest helpers, without a JVM, meant for AddressSanitizer and
 * UBSan: random parameters, random inputs with zero runs, fed in random pieces; every cut must be the one of a
 * byte-by-byte transcription of docs/CHUNKING.md, and every chunk's SHA-256 (mmhc_begin/update/end, fed in the same
 * pieces) must be OpenSSL's one-shot EVP_Digest of the chunk. Build and run from mmh-core:
 *
 *   J=/usr/lib/jvm/java-17-openjdk-amd64
 *   gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Wno-unused-parameter -I$J/include \
 *       -I$J/include/linux -o /tmp/cdcfuzz src/test/c/cdcfuzz.c src/main/c/crypto/mmhcrypto.c -lcrypto
 *   /tmp/cdcfuzz 300
 */
#include "../../main/c/mmhcdc.h"
#include "../../main/c/crypto/mmhcrypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void gear(uint64_t *g, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 256; i++) {
        x += 0x9E3779B97F4A7C15ull;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        g[i] = z ^ (z >> 31);
    }
}

/* docs/CHUNKING.md, byte by byte. */
static size_t reference(const uint64_t *g, const uint8_t *p, size_t n, uint32_t min, uint32_t avg, uint32_t max,
        size_t *ends) {
    int b = __builtin_ctz(avg);
    uint64_t ms = ~0ull << (64 - (b + 2)), ml = ~0ull << (64 - (b - 2));
    size_t count = 0, s = 0;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) {
        h = (h << 1) + g[p[i]];
        size_t len = i - s + 1;
        if (len == max || (len >= min && (h & (len < avg ? ms : ml)) == 0)) {
            ends[count++] = i + 1;
            s = i + 1;
            h = 0;
        }
    }
    if (s < n) {
        ends[count++] = n;
    }
    return count;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 100;
    mmhc_digest d;
    if (mmhc_digest_init(&d) != 0) {
        fprintf(stderr, "no OpenSSL SHA-256\n");
        return 1;
    }
    for (int r = 0; r < rounds; r++) {
        uint32_t avg = 1u << (8 + next() % 9);                 /* 256 .. 64 KiB */
        uint32_t min = 64 + (uint32_t) (next() % (avg - 64));  /* 64 .. avg-1 */
        uint32_t max = avg + 1 + (uint32_t) (next() % (4 * avg));
        mmh_cdc c;
        if (mmh_cdc_params(&c, min, avg, max) != 0) {
            fprintf(stderr, "params refused: %u %u %u\n", min, avg, max);
            return 1;
        }
        gear(c.gear, next());
        size_t n = next() % (3u << 20);
        uint8_t *p = malloc(n + 1);
        for (size_t i = 0; i < n; i++) {
            p[i] = (uint8_t) next();
        }
        for (int z = 0; z < 5 && n > 0; z++) { /* zero runs: only max cuts there */
            size_t at = next() % n, len = next() % (3 * max);
            memset(p + at, 0, at + len > n ? n - at : len);
        }
        size_t *want = malloc((n / min + 2) * sizeof *want);
        size_t wn = reference(c.gear, p, n, min, avg, max, want);
        /* the production loop, fed in random pieces (each piece its own malloc, so ASan sees over-reads) */
        size_t got = 0, pos = 0, start = 0;
        uint64_t k = 0, h = 0;
        int open = 0;
        while (pos < n) {
            size_t len = next() % 4 == 0 ? next() % 300 : next() % (1u << 20);
            if (len > n - pos) {
                len = n - pos;
            }
            uint8_t *piece = malloc(len + 1);
            memcpy(piece, p + pos, len);
            size_t at = 0;
            while (at < len) {
                size_t cut = mmh_cdc_scan(&c, piece + at, len - at, &k, &h);
                size_t end = cut ? at + cut : len;
                if (end > at && !open) {
                    mmhc_begin(&d, MMHC_SHA256, NULL, 0);
                    open = 1;
                }
                mmhc_update(&d, piece + at, end - at);
                if (!cut) {
                    break;
                }
                uint8_t md[32], ref[32];
                unsigned int mdlen;
                mmhc_end(&d, md);
                open = 0;
                size_t e = pos + end;
                EVP_Digest(p + start, e - start, ref, &mdlen, EVP_sha256(), NULL);
                if (got >= wn || want[got] != e || memcmp(md, ref, 32) != 0) {
                    fprintf(stderr, "round %d (%u %u %u, n %zu): cut %zu at %zu, want %zu, digest %s\n", r, min,
                            avg, max, n, got, e, got < wn ? want[got] : 0, memcmp(md, ref, 32) ? "differs" : "ok");
                    return 1;
                }
                got++;
                start = e;
                at = end;
            }
            free(piece);
            pos += len;
        }
        if (start < n) { /* the end of the input ends the last chunk */
            uint8_t md[32];
            mmhc_end(&d, md);
            got++;
        }
        if (got != wn) {
            fprintf(stderr, "round %d: %zu chunks, want %zu\n", r, got, wn);
            return 1;
        }
        free(want);
        free(p);
    }
    mmhc_digest_free(&d);
    printf("cdcfuzz: %d rounds, every cut and digest as specified\n", rounds);
    return 0;
}
