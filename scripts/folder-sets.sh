#!/usr/bin/env bash
# The three folder sets of issue 15's benchmark (scripts/bench-folders.sh measures on them). Nothing here is
# committed data: everything is made from a git mirror, the machine's JDKs and the corpus.
#
#   usage: scripts/folder-sets.sh DEST [MIRROR]
#
#   versions  DEST/versions/NAME-TAG/...: ten releases of a C project, each exported with `git archive TAG`
#             from MIRROR (or $MMH_FOLDER_MIRROR), a bare git directory such as `fetch github:facebook/zstd`
#             gives (/work/.mirror/facebook+zstd/repo). Tags: $MMH_FOLDER_TAGS (space-separated) or else the
#             ten newest tags of the form [v]X.Y[.Z]. NAME: $MMH_FOLDER_NAME or else taken from the mirror's
#             path. Without a mirror (on CI), the corpus's `trees` set instead: eleven lz4 releases
#             (target/corpus/trees/lz4-releases.tar), unpacked into DEST/versions/lz4-X.Y.Z.
#   jdk       /usr/lib/jvm as it is (both JDKs; peers archive it as `tar -C /usr/lib jvm`): not copied.
#   corpus    the unpacked corpus folder, target/corpus with its symlink followed: not copied.
#
# Writes DEST/sets.tsv, one line per set: NAME <tab> PARENT <tab> DIR <tab> what it is (which project and
# tags, or the lz4 fallback). Run it again with the same source and it keeps what it made.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
dest=$1; mirror=${2:-${MMH_FOLDER_MIRROR:-}}
mkdir -p "$dest"; dest=$(cd "$dest" && pwd)

stats() {   # files, MB (10^6 bytes of regular files' contents) and entries of a tree
  find "$1" -mindepth 1 -printf '%y %s\n' | awk '
    $1 == "f" { f++; b += $2 } $1 == "d" { d++ } $1 == "l" { l++ }
    END { printf "%d files, %d folders, %d symlinks, %d bytes (%.1f MB)", f, d, l, b, b / 1e6 }'
}

# (a) versions
if [ -n "$mirror" ]; then
  git --git-dir="$mirror" rev-parse --git-dir >/dev/null 2>&1 || { echo "folder-sets: $mirror is not a git directory" >&2; exit 2; }
  mirror=$(cd "$mirror" && pwd)
  if [ -n "${MMH_FOLDER_NAME:-}" ]; then name=$MMH_FOLDER_NAME
  elif [ "$(basename "$mirror")" = repo ]; then name=$(basename "$(dirname "$mirror")"); name=${name#*+}
  else name=$(basename "$mirror" .git); fi
  tags=${MMH_FOLDER_TAGS:-$(git --git-dir="$mirror" tag | grep -E '^v?[0-9]+(\.[0-9]+)+$' | sort -V | tail -10 | tr '\n' ' ')}
  tags=$(echo $tags)
  [ -n "$tags" ] || { echo "folder-sets: no release tags in $mirror" >&2; exit 2; }
  source="$name from git mirror $mirror, tags $tags"
else
  trees=$root/target/corpus/trees/lz4-releases.tar
  [ -f "$trees" ] || "$root/../shared/corpus/unpack.sh" "$root/target/corpus" trees >/dev/null \
    || { echo "folder-sets: no mirror given and no corpus trees set ($trees)" >&2; exit 2; }
  source="lz4 releases from the corpus's trees set ($(basename "$trees"), fallback: no mirror given)"
fi
if [ "$(cat "$dest/versions.source" 2>/dev/null)" != "$source" ]; then
  rm -rf "$dest/versions" "$dest/versions.source"; mkdir -p "$dest/versions"
  if [ -n "$mirror" ]; then
    for t in $tags; do
      mkdir -p "$dest/versions/$name-${t#v}"
      git --git-dir="$mirror" archive "$t" | tar -x -C "$dest/versions/$name-${t#v}"
    done
  else
    tar -x --strip-components=1 -C "$dest/versions" -f "$trees"
  fi
  echo "$source" > "$dest/versions.source"
fi

# (b) jdk and (c) corpus are used where they are
jdk=/usr/lib/jvm
corpus=$(readlink -f "$root/target/corpus")
[ -d "$corpus/silesia" ] || { echo "folder-sets: no unpacked corpus at $root/target/corpus (./run-tests unpacks it)" >&2; exit 2; }
{
  printf 'versions\t%s\t%s\t%s: %s\n' "$dest" versions "$source" "$(stats "$dest/versions")"
  printf 'jdk\t%s\t%s\t%s: %s\n' "$(dirname "$jdk")" "$(basename "$jdk")" \
    "the machine's JDKs ($(find "$jdk" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | tr '\n' ' ' | sed 's/ $//'))" "$(stats "$jdk")"
  printf 'corpus\t%s\t%s\t%s: %s\n' "$(dirname "$corpus")" "$(basename "$corpus")" "the unpacked corpus folder ($corpus)" "$(stats "$corpus")"
} > "$dest/sets.tsv"
cat "$dest/sets.tsv"
