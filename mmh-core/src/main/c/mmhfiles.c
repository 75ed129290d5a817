/*
 * File-system calls that Java's NIO lacks, for folder archives (dev.mmh.io.NativeFiles): the data regions of a
 * sparse file (lseek SEEK_DATA / SEEK_HOLE), the bytes a file occupies (st_blocks), and FIFOs and device files
 * (mkfifo, mknod). Paths are the raw bytes of a file name, so names that are not valid UTF-8 work too.
 *
 * JNI conventions of this file: the Java side has checked every argument before the call; each entry point checks
 * them again (null, empty, NUL inside, too long, mode, type, device numbers) and throws rather than crashes. Paths
 * are copied into a stack buffer (GetByteArrayRegion), never pinned. Errors are thrown as the IOException that
 * NativeFiles.failure(kind, path, reason) builds, reason being strerror's text (passed as bytes: it may be in the
 * locale's encoding). No state is kept between calls: every call opens and closes its own descriptor.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* the kinds of failure NativeFiles.failure maps to exception classes (keep in step with NativeFiles) */
#define KIND_OTHER 0
#define KIND_NO_SUCH_FILE 1
#define KIND_DENIED 2
#define KIND_EXISTS 3

/* Linux's device numbers as mknod(2) takes them: 12 bits of major, 20 of minor (NativeFiles.MAX_MAJOR, MAX_MINOR) */
#define MAX_MAJOR 0xfffL
#define MAX_MINOR 0xfffffL

static void throw_new(JNIEnv *env, const char *cls, const char *msg) {
    jclass c = (*env)->FindClass(env, cls);
    if (c != NULL) {
        (*env)->ThrowNew(env, c, msg);
    }
}

/* Throws NativeFiles.failure(kind, path, reason). */
static void fail_reason(JNIEnv *env, jclass cls, jbyteArray path, int kind, const char *reason) {
    if ((*env)->ExceptionCheck(env)) {
        return;
    }
    jmethodID m = (*env)->GetStaticMethodID(env, cls, "failure", "(I[B[B)Ljava/io/IOException;");
    if (m == NULL) {
        return;
    }
    jsize n = (jsize) strlen(reason);
    jbyteArray r = (*env)->NewByteArray(env, n);
    if (r == NULL) {
        return;
    }
    (*env)->SetByteArrayRegion(env, r, 0, n, (const jbyte *) reason);
    jobject e = (*env)->CallStaticObjectMethod(env, cls, m, (jint) kind, path, r);
    if (e != NULL && !(*env)->ExceptionCheck(env)) {
        (*env)->Throw(env, (jthrowable) e);
    }
}

/* Throws the IOException for errno value err on path. */
static void fail_errno(JNIEnv *env, jclass cls, jbyteArray path, int err) {
    int kind = err == ENOENT ? KIND_NO_SUCH_FILE
            : err == EACCES || err == EPERM ? KIND_DENIED
            : err == EEXIST ? KIND_EXISTS : KIND_OTHER;
    char buf[256];
    /* the GNU strerror_r: returns the text, in buf or static */
    const char *text = strerror_r(err, buf, sizeof buf);
    fail_reason(env, cls, path, kind, text != NULL ? text : "unknown error");
}

/*
 * Copies the Java path into out as a C string. Returns 0, or -1 with an exception thrown: NullPointerException
 * for null, IllegalArgumentException for an empty path or one with a NUL byte, the IOException of ENAMETOOLONG
 * for one the kernel would refuse as too long (PATH_MAX bytes with the NUL).
 */
static int c_path(JNIEnv *env, jclass cls, jbyteArray path, char out[PATH_MAX]) {
    if (path == NULL) {
        throw_new(env, "java/lang/NullPointerException", "path");
        return -1;
    }
    jsize n = (*env)->GetArrayLength(env, path);
    if (n == 0) {
        throw_new(env, "java/lang/IllegalArgumentException", "empty path");
        return -1;
    }
    if (n >= PATH_MAX) {
        fail_errno(env, cls, path, ENAMETOOLONG);
        return -1;
    }
    (*env)->GetByteArrayRegion(env, path, 0, n, (jbyte *) out);
    if ((*env)->ExceptionCheck(env)) {
        return -1;
    }
    if (memchr(out, 0, (size_t) n) != NULL) {
        throw_new(env, "java/lang/IllegalArgumentException", "path holds a NUL byte");
        return -1;
    }
    out[n] = 0;
    return 0;
}

static const char *type_name(mode_t m) {
    switch (m & S_IFMT) {
    case S_IFDIR: return "not a regular file (a directory)";
    case S_IFLNK: return "not a regular file (a symbolic link)";
    case S_IFIFO: return "not a regular file (a FIFO)";
    case S_IFSOCK: return "not a regular file (a socket)";
    case S_IFCHR: return "not a regular file (a character device)";
    case S_IFBLK: return "not a regular file (a block device)";
    default: return "not a regular file";
    }
}

JNIEXPORT jint JNICALL Java_dev_mmh_io_NativeFiles_version(JNIEnv *env, jclass cls) {
    return 2;
}

/* (offset, length) pairs, grown as the walk finds regions */
struct regions {
    jlong *v;
    size_t pairs;
    size_t cap;
};

static int add_region(struct regions *r, off_t start, off_t len) {
    if (r->pairs == r->cap) {
        size_t cap = r->cap == 0 ? 16 : 2 * r->cap;
        jlong *v = realloc(r->v, cap * 2 * sizeof(jlong));
        if (v == NULL) {
            return -1;
        }
        r->v = v;
        r->cap = cap;
    }
    r->v[2 * r->pairs] = (jlong) start;
    r->v[2 * r->pairs + 1] = (jlong) len;
    r->pairs++;
    return 0;
}

/*
 * The data regions of the regular file at path, walked with SEEK_DATA / SEEK_HOLE up to the size fstat gave when
 * it was opened (a file that grows meanwhile does not keep the walk going). At most maxRegions regions: the last
 * one allowed runs to that size. Where the file system does not support the walk (EINVAL, EOPNOTSUPP on the
 * first SEEK_DATA; Linux itself reports such a file as all data), one region covers the file.
 *
 * With checkName (always, but in the tests of the open's own checks), the name is checked with lstat before it is
 * opened, so a FIFO or a device is refused without being opened (an open can have effects on a device: a tape
 * rewinds); the open (O_NOFOLLOW, O_NONBLOCK, O_NOCTTY) and fstat then refuse anything that took the name's place
 * meanwhile, without blocking on a FIFO.
 */
JNIEXPORT jlongArray JNICALL Java_dev_mmh_io_NativeFiles_dataRegions0(JNIEnv *env, jclass cls, jbyteArray path,
        jint maxRegions, jboolean checkName) {
    char p[PATH_MAX];
    if (c_path(env, cls, path, p) != 0) {
        return NULL;
    }
    if (maxRegions < 1) {
        throw_new(env, "java/lang/IllegalArgumentException", "maxRegions < 1");
        return NULL;
    }
    struct stat st;
    if (checkName) {
        if (lstat(p, &st) != 0) {
            fail_errno(env, cls, path, errno);
            return NULL;
        }
        if (!S_ISREG(st.st_mode)) {
            fail_reason(env, cls, path, KIND_OTHER, type_name(st.st_mode));
            return NULL;
        }
    }
    int fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        fail_errno(env, cls, path, errno);
        return NULL;
    }
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        fail_errno(env, cls, path, err);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        fail_reason(env, cls, path, KIND_OTHER, type_name(st.st_mode));
        return NULL;
    }
    off_t size = st.st_size;
    struct regions r = {NULL, 0, 0};
    int err = 0;
    off_t off = 0;
    while (off < size) {
        off_t data = lseek(fd, off, SEEK_DATA);
        if (data < 0) {
            if (errno == ENXIO) {
                break; /* nothing but a hole from off to the end */
            }
            if (off == 0 && (errno == EINVAL || errno == EOPNOTSUPP)) {
                if (add_region(&r, 0, size) != 0) {
                    err = ENOMEM;
                }
                break;
            }
            err = errno;
            break;
        }
        if (data >= size) {
            break;
        }
        off_t hole = lseek(fd, data, SEEK_HOLE);
        if (hole < 0) {
            err = errno;
            break;
        }
        if (hole > size || hole <= data || r.pairs + 1 == (size_t) maxRegions) {
            hole = size; /* past the size seen at open, no progress, or the last region allowed */
        }
        if (add_region(&r, data, hole - data) != 0) {
            err = ENOMEM;
            break;
        }
        off = hole;
    }
    close(fd);
    if (err == ENOMEM) {
        free(r.v);
        throw_new(env, "java/lang/OutOfMemoryError", "data regions of a sparse file");
        return NULL;
    }
    if (err != 0) {
        free(r.v);
        fail_errno(env, cls, path, err);
        return NULL;
    }
    jlongArray out = (*env)->NewLongArray(env, (jsize) (2 * r.pairs));
    if (out != NULL && r.pairs > 0) {
        (*env)->SetLongArrayRegion(env, out, 0, (jsize) (2 * r.pairs), r.v);
    }
    free(r.v);
    return out;
}

/* st_blocks * 512 of the file at path itself (a symbolic link is not followed). */
JNIEXPORT jlong JNICALL Java_dev_mmh_io_NativeFiles_allocatedBytes0(JNIEnv *env, jclass cls, jbyteArray path) {
    char p[PATH_MAX];
    if (c_path(env, cls, path, p) != 0) {
        return -1;
    }
    struct stat st;
    if (lstat(p, &st) != 0) {
        fail_errno(env, cls, path, errno);
        return -1;
    }
    return (jlong) st.st_blocks * 512;
}

JNIEXPORT void JNICALL Java_dev_mmh_io_NativeFiles_mkfifo0(JNIEnv *env, jclass cls, jbyteArray path, jint mode) {
    char p[PATH_MAX];
    if (c_path(env, cls, path, p) != 0) {
        return;
    }
    if ((mode & ~07777) != 0) {
        throw_new(env, "java/lang/IllegalArgumentException", "mode beyond 07777");
        return;
    }
    if (mkfifo(p, (mode_t) mode) != 0) {
        fail_errno(env, cls, path, errno);
    }
}

JNIEXPORT void JNICALL Java_dev_mmh_io_NativeFiles_mknod0(JNIEnv *env, jclass cls, jbyteArray path, jint mode,
        jint type, jlong major, jlong minor) {
    char p[PATH_MAX];
    if (c_path(env, cls, path, p) != 0) {
        return;
    }
    if ((mode & ~07777) != 0) {
        throw_new(env, "java/lang/IllegalArgumentException", "mode beyond 07777");
        return;
    }
    if (type != S_IFCHR && type != S_IFBLK) {
        throw_new(env, "java/lang/IllegalArgumentException", "type is neither S_IFCHR nor S_IFBLK");
        return;
    }
    if (major < 0 || major > MAX_MAJOR || minor < 0 || minor > MAX_MINOR) {
        throw_new(env, "java/lang/IllegalArgumentException", "device number out of range");
        return;
    }
    if (mknod(p, (mode_t) (mode | type), makedev((unsigned int) major, (unsigned int) minor)) != 0) {
        fail_errno(env, cls, path, errno);
    }
}

/* utimensat without following a final symbolic link: NIO sets a link's time through lutimes, in microseconds */
JNIEXPORT void JNICALL Java_dev_mmh_io_NativeFiles_setModifiedTime0(JNIEnv *env, jclass cls, jbyteArray path,
        jlong seconds, jint nanos) {
    char p[PATH_MAX];
    if (c_path(env, cls, path, p) != 0) {
        return;
    }
    if (nanos < 0 || nanos > 999999999) {
        throw_new(env, "java/lang/IllegalArgumentException", "nanoseconds out of range");
        return;
    }
    struct timespec ts[2];
    ts[0].tv_sec = 0;
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_sec = (time_t) seconds;
    ts[1].tv_nsec = (long) nanos;
    if (utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW) != 0) {
        fail_errno(env, cls, path, errno);
    }
}
