#!/bin/sh
# Builds mmh-core's JNI libraries, called by Maven at process-classes. Usage: build.sh SOURCE_DIR JAVA_HOME OUTPUT_DIR
#   libmmhcore.so  every *.c file here: the Reed-Solomon loops of dev.mmh.recovery.NativeLanes, the other
#                  native hot loops, and the file-system calls of dev.mmh.io.NativeFiles (mmhfiles.c); needs only
#                  gcc, libc and the JDK's headers
#   libmmhxz.so    xz/mmhxz.c, the xz codec's block decoder over the system's liblzma (dev.mmh.codec.xz.NativeXz),
#                  built only where lzma.h is found (Debian: liblzma-dev) and linked with -llzma; a library apart
#                  so that libmmhcore.so builds and loads on machines without liblzma
# Whatever is missing, it says what it built and what it skipped and exits 0: the build goes on and mmh uses the
# pure-Java code (XZ for Java for the xz decoder) at run time.
src=$1; jhome=$2; out=$3
skip() { echo "mmh-core: native loops not built ($1); the pure-Java loops will be used"; exit 0; }
command -v gcc >/dev/null 2>&1 || skip "no gcc"
[ -f "$jhome/include/jni.h" ] || skip "no jni.h under $jhome/include"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || skip "no native build for $(uname -s)-$(uname -m)"
mkdir -p "$out" || skip "cannot create $out"
jni="-I$jhome/include -I$jhome/include/linux"
if gcc -O3 -fPIC -shared -Wall -Wextra -Wno-unused-parameter $jni -o "$out/libmmhcore.so" "$src"/*.c; then
  echo "mmh-core: built $out/libmmhcore.so"
else
  rm -f "$out/libmmhcore.so"; echo "mmh-core: libmmhcore.so not built (gcc failed); the pure-Java loops will be used"
fi
# Shared -llzma, not the static archive: liblzma5 is on every Debian/Ubuntu system (dpkg needs it) and gets its
# updates there; where it is missing at run time the library does not load and XZ for Java decodes.
xzskip() { rm -f "$out/libmmhxz.so"; echo "mmh-core: libmmhxz.so not built ($1); xz blocks will be decoded by XZ for Java"; }
if ! echo '#include <lzma.h>' | gcc -E -x c - >/dev/null 2>&1; then
  xzskip "no lzma.h: install liblzma-dev"
elif gcc -O2 -fPIC -shared -Wall -Wextra -Wno-unused-parameter $jni -o "$out/libmmhxz.so" "$src/xz/mmhxz.c" -llzma; then
  echo "mmh-core: built $out/libmmhxz.so (liblzma $(echo '#include <lzma.h>
LZMA_VERSION_MAJOR.LZMA_VERSION_MINOR.LZMA_VERSION_PATCH' | gcc -E -P -x c - 2>/dev/null | tail -1 | tr -d ' '))"
else
  xzskip "gcc or -llzma failed"
fi
