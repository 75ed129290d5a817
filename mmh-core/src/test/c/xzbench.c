/*
 * Stand-alone timing (no JVM) of three ways to decode mmh's xz blocks with liblzma, to choose mmhxz.c's:
 *   stream   one lzma_stream re-initialised per block (lzma_raw_decoder), whole block in one lzma_code call
 *   sliced   the same in 1 MiB output slices, as mmhxz.c calls it between GC-blocking critical regions
 *   buffer   lzma_raw_buffer_decode per block (a new decoder and dictionary every block)
 * Usage: xzbench REPS BLOCK... where each BLOCK is a raw LZMA2 block file named ...-RAWSIZE.lzma2 (write them with
 * XzDecodeBench -Dmmh.xzbench.dump=DIR). Thread CPU time, best and mean of REPS.
 * Build: gcc -O2 -o /tmp/xzbench src/test/c/xzbench.c -llzma
 */
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct {
    uint8_t *in;
    size_t inLen;
    size_t rawLen;
} block;

static uint32_t dict_for(size_t raw) {
    return raw < 4096 ? 4096 : raw > (1u << 30) ? (1u << 30) : (uint32_t) raw;
}

static int stream_decode(lzma_stream *s, const block *b, uint8_t *out, size_t slice) {
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 0);
    opt.dict_size = dict_for(b->rawLen);
    lzma_filter f[2] = {{LZMA_FILTER_LZMA2, &opt}, {LZMA_VLI_UNKNOWN, NULL}};
    if (lzma_raw_decoder(s, f) != LZMA_OK) {
        return -1;
    }
    lzma_ret r = LZMA_OK;
    while (r == LZMA_OK) {
        s->next_in = b->in + s->total_in;
        s->avail_in = b->inLen - s->total_in;
        s->next_out = out + s->total_out;
        size_t left = b->rawLen - s->total_out;
        s->avail_out = left < slice ? left : slice;
        if (s->avail_out == 0) {
            static uint8_t extra;
            s->next_out = &extra;
            s->avail_out = 1;
        }
        r = lzma_code(s, LZMA_RUN);
    }
    return r == LZMA_STREAM_END && s->total_out == b->rawLen && s->total_in == b->inLen ? 0 : -1;
}

static int buffer_decode(const block *b, uint8_t *out) {
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 0);
    opt.dict_size = dict_for(b->rawLen);
    lzma_filter f[2] = {{LZMA_FILTER_LZMA2, &opt}, {LZMA_VLI_UNKNOWN, NULL}};
    size_t inPos = 0, outPos = 0;
    lzma_ret r = lzma_raw_buffer_decode(f, NULL, b->in, &inPos, b->inLen, out, &outPos, b->rawLen);
    return r == LZMA_OK && inPos == b->inLen && outPos == b->rawLen ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: xzbench REPS BLOCK-RAWSIZE.lzma2...\n");
        return 2;
    }
    int reps = atoi(argv[1]);
    int n = argc - 2;
    block *bs = calloc(n, sizeof *bs);
    size_t maxRaw = 0, total = 0;
    for (int i = 0; i < n; i++) {
        const char *dash = strrchr(argv[i + 2], '-');
        FILE *f = fopen(argv[i + 2], "rb");
        if (dash == NULL || f == NULL) {
            fprintf(stderr, "cannot read %s\n", argv[i + 2]);
            return 1;
        }
        bs[i].rawLen = strtoull(dash + 1, NULL, 10);
        fseek(f, 0, SEEK_END);
        bs[i].inLen = ftell(f);
        rewind(f);
        bs[i].in = malloc(bs[i].inLen);
        if (fread(bs[i].in, 1, bs[i].inLen, f) != bs[i].inLen) {
            return 1;
        }
        fclose(f);
        maxRaw = bs[i].rawLen > maxRaw ? bs[i].rawLen : maxRaw;
        total += bs[i].rawLen;
    }
    uint8_t *out = malloc(maxRaw);
    const char *names[] = {"stream", "sliced", "buffer"};
    for (int pass = 0; pass < 2; pass++) {
        for (int way = 0; way < 3; way++) {
            double best = 1e9, sum = 0;
            for (int rep = 0; rep < reps; rep++) {
                lzma_stream s = LZMA_STREAM_INIT; /* one per rep, like one decompressor per run and thread */
                double t0 = now();
                for (int i = 0; i < n; i++) {
                    int rc = way == 2 ? buffer_decode(&bs[i], out)
                                      : stream_decode(&s, &bs[i], out, way == 0 ? (size_t) -1 : (size_t) 1 << 20);
                    if (rc != 0) {
                        fprintf(stderr, "%s: block %d failed\n", names[way], i);
                        return 1;
                    }
                }
                double t = now() - t0;
                lzma_end(&s);
                best = t < best ? t : best;
                sum += t;
            }
            printf("%-6s best %6.1f ms %6.1f MB/s   mean %6.1f ms\n", names[way], best * 1e3, total / best / 1e6,
                    sum / reps * 1e3);
        }
    }
    return 0;
}
