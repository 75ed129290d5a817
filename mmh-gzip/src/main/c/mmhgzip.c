/*
 * JNI binding of mmh-gzip over the system's libdeflate: raw DEFLATE compression of a whole block,
 * decompression of a whole raw DEFLATE stream into a buffer of known size, and CRC-32.
 * Every buffer is a direct ByteBuffer, so no call pins a Java heap array; the Java side
 * (dev.mmh.gzip.LibDeflate) checks positions and lengths before each call.
 */
#include <jni.h>
#include <stdint.h>
#include <libdeflate.h>

static uint8_t *addr(JNIEnv *env, jobject buf, jint pos) {
    uint8_t *p = (uint8_t *) (*env)->GetDirectBufferAddress(env, buf);
    return p == NULL ? NULL : p + pos;
}

JNIEXPORT jlong JNICALL Java_dev_mmh_gzip_LibDeflate_allocCompressor(JNIEnv *env, jclass c, jint level) {
    return (jlong) (intptr_t) libdeflate_alloc_compressor(level);
}

JNIEXPORT void JNICALL Java_dev_mmh_gzip_LibDeflate_freeCompressor(JNIEnv *env, jclass c, jlong h) {
    libdeflate_free_compressor((struct libdeflate_compressor *) (intptr_t) h);
}

JNIEXPORT jlong JNICALL Java_dev_mmh_gzip_LibDeflate_compressBound(JNIEnv *env, jclass c, jlong h, jlong n) {
    return (jlong) libdeflate_deflate_compress_bound((struct libdeflate_compressor *) (intptr_t) h, (size_t) n);
}

/* Returns the compressed size, 0 if it did not fit, -1 if a buffer is not direct. */
JNIEXPORT jint JNICALL Java_dev_mmh_gzip_LibDeflate_compress(JNIEnv *env, jclass c, jlong h,
        jobject src, jint srcPos, jint srcLen, jobject dst, jint dstPos, jint dstLen) {
    uint8_t *in = addr(env, src, srcPos);
    uint8_t *out = addr(env, dst, dstPos);
    if (in == NULL || out == NULL) {
        return -1;
    }
    return (jint) libdeflate_deflate_compress((struct libdeflate_compressor *) (intptr_t) h,
            in, (size_t) srcLen, out, (size_t) dstLen);
}

JNIEXPORT jlong JNICALL Java_dev_mmh_gzip_LibDeflate_allocDecompressor(JNIEnv *env, jclass c) {
    return (jlong) (intptr_t) libdeflate_alloc_decompressor();
}

JNIEXPORT void JNICALL Java_dev_mmh_gzip_LibDeflate_freeDecompressor(JNIEnv *env, jclass c, jlong h) {
    libdeflate_free_decompressor((struct libdeflate_decompressor *) (intptr_t) h);
}

/*
 * Decompresses one raw DEFLATE stream. Returns (bytesRead << 32 | bytesWritten) on success, or the negated
 * libdeflate result (-1 bad data, -2 short output, -3 insufficient space), or -100 if a buffer is not direct.
 */
JNIEXPORT jlong JNICALL Java_dev_mmh_gzip_LibDeflate_decompress(JNIEnv *env, jclass c, jlong h,
        jobject src, jint srcPos, jint srcLen, jobject dst, jint dstPos, jint dstLen) {
    uint8_t *in = addr(env, src, srcPos);
    uint8_t *out = addr(env, dst, dstPos);
    if (in == NULL || out == NULL) {
        return -100;
    }
    size_t inUsed = 0, outUsed = 0;
    enum libdeflate_result r = libdeflate_deflate_decompress_ex((struct libdeflate_decompressor *) (intptr_t) h,
            in, (size_t) srcLen, out, (size_t) dstLen, &inUsed, &outUsed);
    if (r != LIBDEFLATE_SUCCESS) {
        return -(jlong) r;
    }
    return ((jlong) inUsed << 32) | (jlong) outUsed;
}

JNIEXPORT jint JNICALL Java_dev_mmh_gzip_LibDeflate_crc32(JNIEnv *env, jclass c, jint crc,
        jobject buf, jint pos, jint len) {
    uint8_t *p = addr(env, buf, pos);
    if (p == NULL) {
        return 0;
    }
    return (jint) libdeflate_crc32((uint32_t) crc, p, (size_t) len);
}

JNIEXPORT jstring JNICALL Java_dev_mmh_gzip_LibDeflate_version(JNIEnv *env, jclass c) {
    return (*env)->NewStringUTF(env, LIBDEFLATE_VERSION_STRING);
}
