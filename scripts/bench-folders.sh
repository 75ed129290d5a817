#!/usr/bin/env bash
# Issue 15's folder benchmark: every peer on every folder set, side by side, and mmh with --mmh. Prints one
# Markdown table per set (size and its ratio to tar | zstd -3, create and whole-tree extract times, peak RSS of
# creating, the load when each row started, and whether the restored tree equals the source) and the issue's
# goals in the ratios they are stated in. docs/BENCHMARKS.md ("Folders (issue 15)") quotes it.
#
#   usage: scripts/bench-folders.sh [--sets versions,jdk,corpus] [--mmh] [--runs N] [--tools SUBSTR,...]
#                                   [--mirror GITDIR] [--max-load L] [--wait S] [--keep]
#
#   --sets      which sets (default all three; scripts/folder-sets.sh makes them in $WORK/sets)
#   --mirror    bare git directory for the versions set (or $MMH_FOLDER_MIRROR; e.g. the path that
#               `fetch github:facebook/zstd` gives); without one, the corpus's eleven lz4 releases. The header
#               of each set's table says which set was used.
#   --mmh       also mmh (./mmh, or $MMH): `compress -q -T2 SET -o OUT.mmh` (default goal) paired with
#               tar | zstd -3 -T2, `--max` paired with 7zz -mx=9, `decompress -q -T2 OUT.mmh -C DEST` paired
#               with zstd -d | tar x, `cat OUT.mmh PATH` (the largest file under 1 MB) paired with `cat` of a
#               one-file archive, and an unchanged `compress -q --append SET -o OUT.mmh` paired with packing the
#               tree; each pair alternates the two commands, and the ratio is the median of the pairs' ratios
#   --runs N    runs per measurement (default 1: the strong peers take minutes on the JDK set); with N > 1 the
#               tables show the median and the range
#   --tools     only the peers whose name contains one of these substrings (e.g. --tools zstd,7zz)
#   --max-load  before each set, each run and each mmh pair, wait until the 1-minute load is below L (default 4) for at most
#   --wait      S seconds (default 300; 60 after a wait that timed out), then measure anyway and say so
#   --keep      keep the extracted trees (archives are kept in $WORK/SET until the next run)
#
# WORK is ${TMPDIR:-/tmp}/mmh-bench-folders; results-SET.json there holds every run's figures. The peers come from
# Debian: apt-get install zstd xz-utils 7zip squashfs-tools borgbackup restic zpaq time
set -eu
cd "$(dirname "$0")/.."
work=${TMPDIR:-/tmp}/mmh-bench-folders
sets=versions,jdk,corpus mmh=0 mirror=${MMH_FOLDER_MIRROR:-} py=()
while [ $# -gt 0 ]; do
  case $1 in
    --sets) sets=$2; shift 2 ;;
    --mirror) mirror=$2; shift 2 ;;
    --mmh) mmh=1; py+=(--mmh); shift ;;
    --runs|--tools|--max-load|--wait) py+=("$1" "$2"); shift 2 ;;
    --keep) py+=(--keep); shift ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-folders: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
missing=""
for t in tar zstd xz 7zz mksquashfs unsquashfs borg restic zpaq /usr/bin/time diff python3; do
  command -v $t >/dev/null || missing="$missing $t"
done
[ -z "$missing" ] || echo "bench-folders: not installed:$missing (their rows will say so)" >&2
mkdir -p "$work"
scripts/folder-sets.sh "$work/sets" $mirror >/dev/null
if [ $mmh = 1 ]; then
  MMH=${MMH:-./mmh}
  $MMH --version >/dev/null || { echo "bench-folders: $MMH --version failed" >&2; exit 1; }
  py+=(--mmh-cmd "$MMH")
fi
exec python3 scripts/bench-folders.py --sets-file "$work/sets/sets.tsv" --sets "$sets" --work "$work" "${py[@]}"
