#!/usr/bin/env bash
# Makes mmh's self-contained distribution (run by mmh-dist's pom at `package`; see mmh-dist/README.md):
#   target/dist/mmh-VERSION/          the unpacked distribution: bin/mmh, lib/runtime (jlink), lib/app (jars and
#                                     native libraries), lib/mmh.classlist (for the class-data-sharing archive)
#   target/mmh-VERSION-linux-ARCH.tar.gz   that folder packed
#   target/mmh_DEBVERSION_ARCH.deb    the same files in /usr/lib/mmh, /usr/bin/mmh on PATH
# Arguments: JDK (whose jdeps and jlink make the runtime) TARGET (the module's target/) VERSION
# Reads TARGET/jars: mmh-cli's jar and its runtime dependencies, zstd-jni without its Java 22+ classes.
set -euo pipefail
jdk=$1 target=$2 version=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jars=$target/jars
name=mmh-$version
stage=$target/dist/$name
cache=$target/dist-cache
case $(uname -m) in
  x86_64) arch=amd64 jarch=amd64 ;;
  aarch64) arch=arm64 jarch=aarch64 ;;
  *) arch=$(uname -m) jarch=$arch ;;
esac
log() { printf 'mmh-dist: %s\n' "$*" >&2; }

rm -rf "$target/dist" "$target/deb" "$target"/*.tar.gz "$target"/*.deb
mkdir -p "$stage/bin" "$stage/lib/app/native" "$cache"

# The jars: mmh-cli's first (the launcher's class path is this order, and the archive's must be the same).
main=$(cd "$jars" && ls mmh-cli-*.jar)
others=$(cd "$jars" && ls ./*.jar | sed 's|^\./||' | grep -vx "$main" | LC_ALL=C sort)
cp -p "$jars"/*.jar "$stage/lib/app/"
cp='$lib/app/'$main
for j in $others; do cp=$cp':$lib/app/'$j; done

# Native libraries, unpacked once here instead of into /tmp at every start (as the checkout's ./mmh does).
nat=$stage/lib/app/native
unzip -q -o -j "$jars"/zstd-jni-*.jar "linux/$jarch/*.so" -d "$nat"
unzip -q -o -j "$jars"/lz4-java-*.jar "net/jpountz/util/linux/$jarch/liblz4-java.so" -d "$nat"
for j in "$jars"/mmh-*.jar; do
  unzip -q -o -j "$j" "dev/mmh/*/native/linux-$jarch/*.so" -d "$nat" 2>/dev/null || true
done
zso=$(cd "$nat" && ls libzstd-jni-*.so)

# The runtime: only the JDK modules the jars use (jdeps), plus the providers they reach through the security API,
# which no class names: jdk.crypto.ec holds X25519 (age) and Ed25519 (minisign) up to JDK 21. jdeps and jlink
# take seconds, so the result is kept under dist-cache by the JDK and the jars' sizes and times.
key=$( { "$jdk/bin/java" -version 2>&1; stat -c '%n %s %Y' "$jars"/*.jar; } | cksum | cut -d' ' -f1)
if [ ! -d "$cache/runtime-$key" ]; then
  rm -rf "$cache"/runtime-*
  mods=$("$jdk/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps -q --module-path "$jars" \
    --class-path "$jars/*" "$jars"/*.jar)
  if "$jdk/bin/java" --list-modules | grep -q '^jdk.crypto.ec@'; then mods=$mods,jdk.crypto.ec; fi
  log "jlink --add-modules $mods"
  # No X11, sound or splash screen libraries: mmh draws its charts headless (java.awt.headless=true).
  "$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages \
    --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so' \
    --output "$cache/runtime-$key.tmp"
  mv "$cache/runtime-$key.tmp" "$cache/runtime-$key"
fi
cp -a "$cache/runtime-$key" "$stage/lib/runtime"

# The launcher, for a folder anywhere (it finds itself through readlink).
launcher() {
  sed -e "s|@HOME@|$1|" -e "s|@CLASSPATH@|\"$cp\"|" -e "s|@ZSTDSO@|$zso|" "$here/mmh" >"$2"
  chmod 755 "$2"
}
launcher "" "$stage/bin/mmh"

# The class list of a warm-up run (every codec, the commands, crypto): the launcher dumps the archive from it
# where the files finally are, since the JVM ties an archive to the jars' paths.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" MMH_NO_CDS=1 \
  MMH_JAVA_OPTS="-XX:DumpLoadedClassList=$stage/lib/mmh.classlist" "$stage/bin/mmh" __warmup)
[ -s "$stage/lib/mmh.classlist" ] || { log "the warm-up run made no class list"; exit 1; }

# The .tar.gz: names sorted, no owners; pigz where installed (the same format, on every core).
gz=gzip; command -v pigz >/dev/null && gz=pigz
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$target/dist" -cf - "$name" \
  | "$gz" -n -6 >"$target/$name-linux-$arch.tar.gz"

# The .deb: the same files in /usr/lib/mmh, /usr/bin/mmh a link to its launcher; postinst dumps the archive.
# Depends: the packages holding the shared libraries that the runtime's and mmh's native libraries load.
debv=${version//-SNAPSHOT/~snapshot}
root=$target/deb/root
mkdir -p "$root/usr/lib" "$root/usr/bin" "$root/DEBIAN" "$root/usr/share/doc/mmh"
cp -al "$stage" "$root/usr/lib/mmh"
rm "$root/usr/lib/mmh/bin/mmh"
launcher /usr/lib/mmh "$root/usr/lib/mmh/bin/mmh"
ln -s ../lib/mmh/bin/mmh "$root/usr/bin/mmh"
libs=$(find "$stage" -name '*.so' -exec ldd {} + 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' \
  | grep -v "^$stage/" | sort -u)
# dpkg knows a library by the path its package installed (/lib or /usr/lib on a merged /usr): ask for both.
pats=$(for l in $libs; do
  r=$(readlink -f "$l") d=${l%/*}
  echo "*/${d##*/}/${l##*/}" "*/${d##*/}/${r##*/}"
done | sort -u)
deps=$(dpkg -S $pats 2>/dev/null | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')
size=$(du -sk "$root/usr" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: mmh
Version: $debv
Architecture: $arch
Maintainer: mmh developers <mmh@localhost>
Installed-Size: $size
Depends: $deps
Section: utils
Priority: optional
Description: parallel, checked, content-aware compression
 The mmh command (compress, decompress, verify, repair, folder archives, gzip, encryption) with its own Java
 runtime: it needs no JDK. Installs to /usr/lib/mmh; /usr/bin/mmh is its launcher.
EOF
cat >"$root/DEBIAN/postinst" <<'EOF'
#!/bin/sh
# The class-data-sharing archive holds the jars' installed paths, so it is made here, not in the package.
set -e
if [ "$1" = configure ]; then
  MMH_CDS_DUMP=1 /usr/lib/mmh/bin/mmh || echo "mmh: runs without a class-data-sharing archive (slower start)" >&2
fi
exit 0
EOF
cat >"$root/DEBIAN/prerm" <<'EOF'
#!/bin/sh
# The archive postinst made belongs to no package: removed before dpkg removes the folder.
set -e
rm -f /usr/lib/mmh/lib/mmh.jsa /usr/lib/mmh/lib/mmh.jsa.home /usr/lib/mmh/lib/mmh.jsa.*
exit 0
EOF
chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
printf 'mmh %s. See the project repository for its licence.\n' "$version" >"$root/usr/share/doc/mmh/copyright"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$target/mmh_${debv}_$arch.deb" >/dev/null
log "$(cd "$target" && ls -s --block-size=M ./*.tar.gz ./*.deb | tr '\n' ' ')"
