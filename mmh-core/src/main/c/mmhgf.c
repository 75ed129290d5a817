/*
 * Native loops of mmh's Reed-Solomon code (dev.mmh.recovery.NativeLanes): the same "lanes" operations as
 * dev.mmh.recovery.Lanes, eight GF(2^8) symbols per 64-bit word, field polynomial x^8+x^4+x^3+x^2+1 (0x11D),
 * alpha = x. Plain C loops that gcc vectorises; target_clones builds an AVX2 and a baseline version and picks
 * one at load time, so the library runs on any x86-64.
 *
 * JNI conventions (as every C file of mmh): NativeLanes validates every argument in Java before the call (n
 * within both arrays); this file checks again what is cheap (the arrays' lengths, which JNI gives without a copy)
 * and throws ArrayIndexOutOfBoundsException rather than read or write past an array. Arrays come in through
 * GetPrimitiveArrayCritical: a call is one pass over one row of lanes (a recovery slice, at most 64 KiB), far
 * less than a block, and never calls back into the JVM while it holds them. Nothing is kept between calls.
 */
#include <jni.h>
#include <stdint.h>

#include "mmhjni.h"

#define HIGH_BITS 0x8080808080808080ULL
#define LOW_BITS 0x0101010101010101ULL
#define REDUCE_UP 0x1D1D1D1D1D1D1D1DULL
#define REDUCE_DOWN 0x8E8E8E8E8E8E8E8EULL
#define NOT_HIGH 0x7F7F7F7F7F7F7F7FULL

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
#endif

static inline uint64_t mul2(uint64_t v) {
    uint64_t h = v & HIGH_BITS;
    return ((v & NOT_HIGH) << 1) ^ (((h - (h >> 7)) | h) & REDUCE_UP);
}

static inline uint64_t div2(uint64_t v) {
    uint64_t l = v & LOW_BITS;
    return ((v >> 1) & NOT_HIGH) ^ (((l << 8) - l) & REDUCE_DOWN);
}

/* One pass per exponent, each a straight loop that gcc vectorises. */
#define PASS(name, expr)                                                                                    \
    CLONES static void name(uint64_t *restrict acc, const uint64_t *restrict d, int n) {                   \
        if (d) {                                                                                            \
            for (int i = 0; i < n; i++) {                                                                   \
                uint64_t v = acc[i];                                                                        \
                acc[i] = (expr) ^ d[i];                                                                     \
            }                                                                                               \
        } else {                                                                                            \
            for (int i = 0; i < n; i++) {                                                                   \
                uint64_t v = acc[i];                                                                        \
                acc[i] = (expr);                                                                            \
            }                                                                                               \
        }                                                                                                   \
    }
PASS(pass_m1, mul2(v))
PASS(pass_m2, mul2(mul2(v)))
PASS(pass_d1, div2(v))
PASS(pass_d2, div2(div2(v)))
PASS(pass_0, v)

/* acc = acc * alpha^e (+ d when d is not NULL) */
static void horner(uint64_t *restrict acc, const uint64_t *restrict d, int e, int n) {
    /* the scaling passes first, then one pass that also adds d */
    while (e > 2) {
        pass_m2(acc, NULL, n);
        e -= 2;
    }
    while (e < -2) {
        pass_d2(acc, NULL, n);
        e += 2;
    }
    switch (e) {
        case 2: pass_m2(acc, d, n); break;
        case 1: pass_m1(acc, d, n); break;
        case -1: pass_d1(acc, d, n); break;
        case -2: pass_d2(acc, d, n); break;
        default: if (d) pass_0(acc, d, n); break;
    }
}

CLONES static void xor_into(uint64_t *restrict dst, const uint64_t *restrict src, int n) {
    for (int i = 0; i < n; i++) {
        dst[i] ^= src[i];
    }
}

JNIEXPORT jint JNICALL Java_dev_mmh_recovery_NativeLanes_version(JNIEnv *env, jclass cls) {
    return 1;
}

/* 1 if n lanes fit in arr (NULL: no array, fits); else throws ArrayIndexOutOfBoundsException and returns 0. */
static int fits(JNIEnv *env, jlongArray arr, jint n) {
    return (arr == NULL && n >= 0) || mmh_in_array(env, arr, 0, n, 0, "java/lang/ArrayIndexOutOfBoundsException",
            "mmhgf: lane count outside the array");
}

JNIEXPORT void JNICALL Java_dev_mmh_recovery_NativeLanes_hornerStep0(JNIEnv *env, jclass cls, jlongArray acc,
        jlongArray row, jint e, jint n) {
    if (acc == NULL || !fits(env, acc, n) || !fits(env, row, n)) {
        return;
    }
    uint64_t *a = (*env)->GetPrimitiveArrayCritical(env, acc, NULL);
    if (a == NULL) {
        return;
    }
    uint64_t *d = NULL;
    if (row != NULL) {
        d = (*env)->GetPrimitiveArrayCritical(env, row, NULL);
        if (d == NULL) {
            (*env)->ReleasePrimitiveArrayCritical(env, acc, a, JNI_ABORT);
            return;
        }
    }
    horner(a, d, e, n);
    if (d != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, row, d, JNI_ABORT);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, acc, a, 0);
}

JNIEXPORT void JNICALL Java_dev_mmh_recovery_NativeLanes_xorInto0(JNIEnv *env, jclass cls, jlongArray dst,
        jlongArray src, jint n) {
    if (dst == NULL || src == NULL || !fits(env, dst, n) || !fits(env, src, n)) {
        return;
    }
    uint64_t *a = (*env)->GetPrimitiveArrayCritical(env, dst, NULL);
    if (a == NULL) {
        return;
    }
    uint64_t *s = (*env)->GetPrimitiveArrayCritical(env, src, NULL);
    if (s == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, dst, a, JNI_ABORT);
        return;
    }
    xor_into(a, s, n);
    (*env)->ReleasePrimitiveArrayCritical(env, src, s, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, dst, a, 0);
}
