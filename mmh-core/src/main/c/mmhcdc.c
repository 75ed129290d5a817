/*
 * FastCDC cut points for dev.mmh.chunk.NativeCdc: the Java loop runs at a fraction of this speed under the
 * launcher's C1-only JVM. One call scans up to 1 MiB (NativeCdc.SLICE) of a Java array and reports every cut in it.
 */
#include <jni.h>
#include <stdint.h>

#include "mmhcdc.h"

#define SLICE (1 << 20)
#define E_ARG (-1) /* an argument the Java side should have refused */
#define E_JNI (-4) /* an array could not be pinned */

JNIEXPORT jint JNICALL Java_dev_mmh_chunk_NativeCdc_version(JNIEnv *env, jclass cls) {
    return 1;
}

/*
 * Scans b[off, off+len) (len <= 1 MiB) as the next bytes of the open chunk described by state = {bytes of the chunk
 * so far, gear hash}, writes the end of each chunk that ends in the range (offset from off, exclusive) to cuts[],
 * and updates state. Returns the number of cuts, or a negative E_* code (nothing written then).
 */
JNIEXPORT jint JNICALL Java_dev_mmh_chunk_NativeCdc_scan(JNIEnv *env, jclass cls, jlongArray gear, jint min,
        jint avg, jint max, jbyteArray b, jint off, jint len, jlongArray state, jintArray cuts) {
    mmh_cdc c;
    if (gear == NULL || b == NULL || state == NULL || cuts == NULL || mmh_cdc_params(&c, min, avg, max) != 0
            || (*env)->GetArrayLength(env, gear) != 256 || (*env)->GetArrayLength(env, state) != 2
            || off < 0 || len < 0 || len > SLICE || off > (*env)->GetArrayLength(env, b) - len
            || (*env)->GetArrayLength(env, cuts) < len / (jint) c.min + 1) {
        return E_ARG;
    }
    jlong st[2];
    (*env)->GetLongArrayRegion(env, state, 0, 2, st);
    (*env)->GetLongArrayRegion(env, gear, 0, 256, (jlong *) c.gear);
    if (st[0] < 0 || st[0] >= max) {
        return E_ARG;
    }
    uint64_t k = (uint64_t) st[0];
    uint64_t h = (uint64_t) st[1];
    uint8_t *in = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    if (in == NULL) {
        return E_JNI;
    }
    jint *out = (*env)->GetPrimitiveArrayCritical(env, cuts, NULL);
    if (out == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, b, in, JNI_ABORT);
        return E_JNI;
    }
    /* at most len / min + 1 cuts: the first may come after one byte, each next one min bytes later at least */
    jint n = 0;
    size_t pos = 0;
    const uint8_t *p = in + off;
    while (pos < (size_t) len) {
        size_t r = mmh_cdc_scan(&c, p + pos, (size_t) len - pos, &k, &h);
        if (r == 0) {
            break;
        }
        pos += r;
        out[n++] = (jint) pos;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, cuts, out, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, b, in, JNI_ABORT);
    st[0] = (jlong) k;
    st[1] = (jlong) h;
    (*env)->SetLongArrayRegion(env, state, 0, 2, st);
    return n;
}
