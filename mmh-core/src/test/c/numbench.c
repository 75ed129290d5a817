/*
 * Stand-alone timing of mmhnum.c's coders (no JVM): numbench FILE SIZE ROTATE EXPSHIFT WLOG [REPS] [bf16]; WLOG 9
 * means format 03 (whose window is fixed), else format 01. MMH_SCALAR=1 keeps the decoder off AVX-512.
 * Build: gcc -O3 -I$JAVA_HOME/include -I$JAVA_HOME/include/linux -o /tmp/numbench src/test/c/numbench.c
 */
#include "../../main/c/mmhnum.c"
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: numbench FILE SIZE ROTATE EXPSHIFT WLOG [REPS] [bf16]\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "rb");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *raw = malloc(n);
    if (fread(raw, 1, n, fp) != (size_t)n) {
        return 1;
    }
    fclose(fp);
    if (argc > 7) { /* float32 to bfloat16, round to nearest even */
        long e = n / 4;
        for (long i = 0; i < e; i++) {
            uint32_t v = get32(raw + 4 * i);
            uint32_t h = (v + 0x7FFF + ((v >> 16) & 1)) >> 16;
            raw[2 * i] = (uint8_t)h;
            raw[2 * i + 1] = (uint8_t)(h >> 8);
        }
        n = 2 * e;
    }
    if (n > (8 << 20)) {
        n = 8 << 20;
    }
    int s = atoi(argv[2]), rot = atoi(argv[3]), xs = atoi(argv[4]), wl = atoi(argv[5]);
    int reps = argc > 6 ? atoi(argv[6]) : 5;
    scratch *S = scratch_new();
    if (getenv("MMH_SCALAR") != NULL) {
        simd_level = 0;
    }
    int64_t cap = 2 * n + 4096;
    uint8_t *enc = malloc(cap);
    uint8_t *back = malloc(n);
    double be = 1e9, bd = 1e9;
    int64_t m = 0;
    int erep = getenv("MMH_DECODE_ONLY") != NULL ? 1 : reps;
    for (int r = 0; r < erep; r++) {
        double t0 = now();
        pins E = pins_plain(raw, enc);
        m = wl == 9 ? encode03(S, &E, n, s, rot, xs, getenv("MMH_SS") ? atoi(getenv("MMH_SS")) : xs, 0, cap)
                    : encode01(S, &E, n, s, rot, xs, wl, 0, cap);
        double t1 = now();
        if (t1 - t0 < be) be = t1 - t0;
    }
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        pins D = pins_plain(enc, back);
        int rc = wl == 9 ? decode03(S, &D, m, n) : decode01(S, &D, m, n);
        double t1 = now();
        if (rc != 0 || memcmp(raw, back, n) != 0) {
            fprintf(stderr, "round trip failed: %d\n", rc);
            return 1;
        }
        if (t1 - t0 < bd) bd = t1 - t0;
    }
    printf("%s: %ld -> %ld  encode %.1f MB/s  decode %.1f MB/s\n", argv[1], n, (long)m, n / be / 1e6, n / bd / 1e6);
    return 0;
}
