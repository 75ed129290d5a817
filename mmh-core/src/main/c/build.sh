#!/bin/sh
# Builds mmh-core's JNI library from every *.c file here (one libmmhcore.so: the Reed-Solomon loops of
# dev.mmh.recovery.NativeLanes and any other native hot loop), called by Maven at process-classes. Usage: build.sh SOURCE_DIR JAVA_HOME OUTPUT_DIR
# When gcc or the JNI headers are missing it prints why and exits 0: the build goes on and mmh uses the
# pure-Java loops at run time.
src=$1; jhome=$2; out=$3
skip() { echo "mmh-core: native loops not built ($1); the pure-Java loops will be used"; exit 0; }
command -v gcc >/dev/null 2>&1 || skip "no gcc"
[ -f "$jhome/include/jni.h" ] || skip "no jni.h under $jhome/include"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || skip "no native build for $(uname -s)-$(uname -m)"
mkdir -p "$out" || skip "cannot create $out"
if gcc -O3 -fPIC -shared -Wall -Wextra -Wno-unused-parameter -I"$jhome/include" -I"$jhome/include/linux" \
    -o "$out/libmmhcore.so" "$src"/*.c; then
  echo "mmh-core: built $out/libmmhcore.so"
else
  rm -f "$out/libmmhcore.so"; skip "gcc failed"
fi
