/*
 * JNI binding of mmh-gzip over the system's libdeflate: raw DEFLATE compression of a whole block,
 * decompression of a whole raw DEFLATE stream into a buffer of known size, and CRC-32.
 *
 * JNI conventions (as every C file of mmh): the Java side (dev.mmh.gzip.LibDeflate, DeflateBackend) validates
 * every argument before the call and holds each handle in a dev.mmh.io.NativeHandle, so a closed or busy handle
 * never gets here; this file checks again what is cheap to check (null handle, direct buffer, positions and
 * lengths against the buffer's capacity) and answers a bad argument by throwing IllegalArgumentException or
 * IllegalStateException (a pending exception: the return value is then ignored), never with a read or write out
 * of bounds. Every buffer is a direct ByteBuffer, so no call pins a Java heap array. Nothing is kept between
 * calls but the libdeflate (de)compressor behind a handle, which only its free function releases.
 */
#include <jni.h>
#include <stdint.h>
#include <libdeflate.h>

/* Throws a new exception of class cls (a java/lang name) with message msg; the caller returns at once. */
static void fail(JNIEnv *env, const char *cls, const char *msg) {
    jclass c = (*env)->FindClass(env, cls);
    if (c != NULL) {
        (*env)->ThrowNew(env, c, msg);
    }
}

/* The handle as a pointer; throws IllegalStateException for a null one. */
static void *handle(JNIEnv *env, jlong h) {
    if (h == 0) {
        fail(env, "java/lang/IllegalStateException", "mmhgzip: null libdeflate handle (closed?)");
    }
    return (void *) (intptr_t) h;
}

/* The address of buf[pos] once [pos, pos + len) lies in the direct buffer buf; else throws and returns NULL. */
static uint8_t *range(JNIEnv *env, jobject buf, jint pos, jint len) {
    uint8_t *p = buf == NULL ? NULL : (uint8_t *) (*env)->GetDirectBufferAddress(env, buf);
    jlong cap = buf == NULL ? -1 : (*env)->GetDirectBufferCapacity(env, buf);
    if (p == NULL || cap < 0 || pos < 0 || len < 0 || (jlong) pos + len > cap) {
        fail(env, "java/lang/IllegalArgumentException", "mmhgzip: range outside a direct buffer");
        return NULL;
    }
    return p + pos;
}

JNIEXPORT jlong JNICALL Java_dev_mmh_gzip_LibDeflate_allocCompressor(JNIEnv *env, jclass c, jint level) {
    if (level < 0 || level > 12) {
        fail(env, "java/lang/IllegalArgumentException", "mmhgzip: libdeflate level out of range 0..12");
        return 0;
    }
    return (jlong) (intptr_t) libdeflate_alloc_compressor(level);
}

JNIEXPORT void JNICALL Java_dev_mmh_gzip_LibDeflate_freeCompressor(JNIEnv *env, jclass c, jlong h) {
    if (h != 0) {
        libdeflate_free_compressor((struct libdeflate_compressor *) (intptr_t) h);
    }
}

JNIEXPORT jlong JNICALL Java_dev_mmh_gzip_LibDeflate_compressBound(JNIEnv *env, jclass c, jlong h, jlong n) {
    struct libdeflate_compressor *d = handle(env, h);
    if (d == NULL) {
        return -1;
    }
    if (n < 0) {
        fail(env, "java/lang/IllegalArgumentException", "mmhgzip: negative length");
        return -1;
    }
    return (jlong) libdeflate_deflate_compress_bound(d, (size_t) n);
}

/* Returns the compressed size, or 0 if it did not fit. */
JNIEXPORT jint JNICALL Java_dev_mmh_gzip_LibDeflate_compress(JNIEnv *env, jclass c, jlong h,
        jobject src, jint srcPos, jint srcLen, jobject dst, jint dstPos, jint dstLen) {
    struct libdeflate_compressor *d = handle(env, h);
    uint8_t *in = d == NULL ? NULL : range(env, src, srcPos, srcLen);
    uint8_t *out = in == NULL ? NULL : range(env, dst, dstPos, dstLen);
    if (out == NULL) {
        return 0;
    }
    return (jint) libdeflate_deflate_compress(d, in, (size_t) srcLen, out, (size_t) dstLen);
}

JNIEXPORT jlong JNICALL Java_dev_mmh_gzip_LibDeflate_allocDecompressor(JNIEnv *env, jclass c) {
    return (jlong) (intptr_t) libdeflate_alloc_decompressor();
}

JNIEXPORT void JNICALL Java_dev_mmh_gzip_LibDeflate_freeDecompressor(JNIEnv *env, jclass c, jlong h) {
    if (h != 0) {
        libdeflate_free_decompressor((struct libdeflate_decompressor *) (intptr_t) h);
    }
}

/*
 * Decompresses one raw DEFLATE stream. Returns (bytesRead << 32 | bytesWritten) on success, or the negated
 * libdeflate result (-1 bad data, -2 short output, -3 insufficient space).
 */
JNIEXPORT jlong JNICALL Java_dev_mmh_gzip_LibDeflate_decompress(JNIEnv *env, jclass c, jlong h,
        jobject src, jint srcPos, jint srcLen, jobject dst, jint dstPos, jint dstLen) {
    struct libdeflate_decompressor *d = handle(env, h);
    uint8_t *in = d == NULL ? NULL : range(env, src, srcPos, srcLen);
    uint8_t *out = in == NULL ? NULL : range(env, dst, dstPos, dstLen);
    if (out == NULL) {
        return -1;
    }
    size_t inUsed = 0, outUsed = 0;
    enum libdeflate_result r = libdeflate_deflate_decompress_ex(d, in, (size_t) srcLen, out, (size_t) dstLen,
            &inUsed, &outUsed);
    if (r != LIBDEFLATE_SUCCESS) {
        return -(jlong) r;
    }
    return ((jlong) inUsed << 32) | (jlong) outUsed;
}

/* CRC-32 of buf[pos, pos + len) continued from crc. */
JNIEXPORT jint JNICALL Java_dev_mmh_gzip_LibDeflate_crc32(JNIEnv *env, jclass c, jint crc,
        jobject buf, jint pos, jint len) {
    uint8_t *p = range(env, buf, pos, len);
    if (p == NULL) {
        return crc;
    }
    return (jint) libdeflate_crc32((uint32_t) crc, p, (size_t) len);
}

JNIEXPORT jstring JNICALL Java_dev_mmh_gzip_LibDeflate_version(JNIEnv *env, jclass c) {
    return (*env)->NewStringUTF(env, LIBDEFLATE_VERSION_STRING);
}
