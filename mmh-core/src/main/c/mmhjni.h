/*
 * The argument checks of mmh-core's JNI entry points, shared by every C file here (mmh-gzip's mmhgzip.c, built in
 * its own module, keeps its own two). The Java side checks first; these are the C's second look at what is cheap
 * to check, and they throw (a pending exception: the entry point returns at once and Java ignores its result)
 * rather than let a caller's bug reach memory outside an array.
 */
#ifndef MMHJNI_H
#define MMHJNI_H

#include <jni.h>

/* Throws a new exception of class cls (a JNI class name, "java/lang/IllegalArgumentException") with message msg. */
static inline void mmh_throw(JNIEnv *env, const char *cls, const char *msg) {
    jclass c = (*env)->FindClass(env, cls);
    if (c != NULL) {
        (*env)->ThrowNew(env, c, msg);
    }
}

/*
 * 1 if arr is not null, holds at least min_len elements and [off, off + len) lies in it; else throws a cls with
 * msg and returns 0.
 */
static inline int mmh_in_array(JNIEnv *env, jarray arr, jlong off, jlong len, jlong min_len, const char *cls,
        const char *msg) {
    jlong n = arr == NULL ? -1 : (*env)->GetArrayLength(env, arr);
    if (n >= 0 && n >= min_len && off >= 0 && len >= 0 && off + len <= n) {
        return 1;
    }
    mmh_throw(env, cls, msg);
    return 0;
}

#define MMH_IAE "java/lang/IllegalArgumentException"
#define MMH_ISE "java/lang/IllegalStateException"

#endif
