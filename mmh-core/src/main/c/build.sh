#!/bin/sh
# Builds mmh-core's JNI libraries, called by Maven at process-classes. Usage: build.sh SOURCE_DIR JAVA_HOME OUTPUT_DIR
#   libmmhcore.so  every *.c file here: the Reed-Solomon loops of dev.mmh.recovery.NativeLanes, the other
#                  native hot loops, and the file-system calls of dev.mmh.io.NativeFiles (mmhfiles.c); needs only
#                  gcc, libc and the JDK's headers
#   libmmhxz.so    xz/mmhxz.c, the xz codec's block decoder over the system's liblzma (dev.mmh.codec.xz.NativeXz),
#                  built only where lzma.h is found (Debian: liblzma-dev) and linked with -llzma; a library apart
#                  so that libmmhcore.so builds and loads on machines without liblzma
#   libmmhcrypto.so crypto/*.c (with ../mmhcdc.h), SHA-256 and HMAC-SHA-256 over the system's OpenSSL libcrypto 3
#                  (dev.mmh.crypto.NativeCrypto) and FastCDC with chunk IDs in one call (dev.mmh.chunk.NativeChunkHash),
#                  built only where openssl/evp.h is found (Debian: libssl-dev) and linked with -lcrypto; apart for the
#                  same reason as libmmhxz.so
# Whatever is missing, it says what it built and what it skipped and exits 0: the build goes on and mmh uses the
# pure-Java code (XZ for Java for the xz decoder, the JDK's MessageDigest and Mac for hashes) at run time.
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
# Shared -lcrypto: libssl3 is on every Debian/Ubuntu system and gets its security updates there; where it does not
# load at run time, the JDK's SHA-256 and HMAC are used.
cryptoskip() { rm -f "$out/libmmhcrypto.so"; echo "mmh-core: libmmhcrypto.so not built ($1); hashes will use the JDK"; }
if ! printf '#include <openssl/evp.h>\n#if OPENSSL_VERSION_NUMBER < 0x30000000L\n#error old\n#endif\n' \
    | gcc -E -x c - >/dev/null 2>&1; then
  cryptoskip "no openssl/evp.h of OpenSSL 3: install libssl-dev"
elif gcc -O3 -fPIC -shared -Wall -Wextra -Wno-unused-parameter $jni -o "$out/libmmhcrypto.so" "$src"/crypto/*.c \
    -lcrypto; then
  echo "mmh-core: built $out/libmmhcrypto.so ($(echo '#include <openssl/opensslv.h>
OPENSSL_VERSION_TEXT' | gcc -E -P -x c - 2>/dev/null | tail -1 | tr -d '"'))"
else
  cryptoskip "gcc or -lcrypto failed"
fi
