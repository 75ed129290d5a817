#!/bin/sh
# Builds the JNI library of mmh-gzip over the system's libdeflate, called by Maven at process-classes.
# Usage: build.sh SOURCE_DIR JAVA_HOME OUTPUT_DIR
# When gcc, the JNI headers or libdeflate are missing it prints why and exits 0: the build goes on and
# mmh falls back to the JDK's zlib at run time.
src=$1; jhome=$2; out=$3
skip() { echo "mmh-gzip: native libdeflate binding not built ($1); the JDK zlib fallback will be used"; exit 0; }
command -v gcc >/dev/null 2>&1 || skip "no gcc"
[ -f "$jhome/include/jni.h" ] || skip "no jni.h under $jhome/include"
mkdir -p "$out" || skip "cannot create $out"
flags="-O2 -fPIC -shared -Wall -Wextra -Wno-unused-parameter -I$jhome/include -I$jhome/include/linux"
# Prefer libdeflate linked in statically (no run-time package needed); the Debian .a may not be
# position-independent, so fall back to the shared library.
if gcc $flags -o "$out/libmmhgzip.so" "$src/mmhgzip.c" -Wl,-Bstatic -ldeflate -Wl,-Bdynamic 2>/dev/null; then
  echo "mmh-gzip: built $out/libmmhgzip.so (libdeflate static)"
elif gcc $flags -o "$out/libmmhgzip.so" "$src/mmhgzip.c" -ldeflate; then
  echo "mmh-gzip: built $out/libmmhgzip.so (libdeflate shared)"
else
  rm -f "$out/libmmhgzip.so"; skip "gcc or libdeflate-dev failed"
fi
