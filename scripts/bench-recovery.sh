#!/usr/bin/env bash
# Recovery data against par2, side by side with hyperfine on the same ~112 MB input (the corpus's Silesia files
# as one tar), plus the cost of --recovery 5% on compression of >= 1 GB at -T2. Prints Markdown tables;
# docs/BENCHMARKS.md quotes them. Needs hyperfine and par2 (apt-get install hyperfine par2).
#   usage: scripts/bench-recovery.sh [RUNS]   (default 5)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
work=${TMPDIR:-/tmp}/mmh-bench-recovery
mkdir -p "$work"
corpus=$work/corpus
[ -d "$corpus/silesia" ] || ../shared/corpus/unpack.sh "$corpus" silesia >/dev/null
tarf=$work/silesia.tar
[ -f "$tarf" ] || tar -C "$corpus/silesia" -cf "$tarf" .
big=$work/silesia-1000M.tar
if [ ! -f "$big" ]; then
  : > "$big"
  while [ $(( $(stat -c %s "$big") / 1000000 )) -lt 1000 ]; do cat "$tarf" >> "$big"; done
fi
./mmh --version >/dev/null
echo "input: $(stat -c %s "$tarf") bytes; $(nproc) cores; $(java -version 2>&1 | head -1); $(par2 --version 2>&1 | head -1)"
./mmh compress -q -f --codec store --block-size 1M "$tarf" -o "$work/plain.mmh"
hf() { hyperfine -N --style basic --warmup 1 --runs "$runs" --export-markdown "$work/$1.md" "${@:2}" >/dev/null; cat "$work/$1.md"; echo; }

# 1. encoding: par2 create -r5 against mmh protect 5% of a fresh (unprotected) copy each run
mkdir -p "$work/par"; cp "$tarf" "$work/par/silesia.tar"
hyperfine --style basic --warmup 1 --runs "$runs" --export-markdown "$work/encode.md" \
  --prepare "rm -f $work/par/*.par2; cp $work/plain.mmh $work/p.mmh; sync" \
  "par2 create -q -q -r5 -n1 $work/par/t.par2 $work/par/silesia.tar" \
  "./mmh protect -q --recovery 5% $work/p.mmh" >/dev/null
cat "$work/encode.md"; echo

# 2. repair of 1% of the bytes zeroed (one run in the middle: a lost 1 MiB block and some more)
rm -f "$work"/par/*.par2; par2 create -q -q -r5 -n1 "$work/par/t.par2" "$work/par/silesia.tar"
cp "$work/plain.mmh" "$work/p.mmh"; ./mmh protect -q --recovery 5% "$work/p.mmh"
damage() { python3 -c "
import sys; p = sys.argv[1]; n = int(sys.argv[2]); b = bytearray(open(p, 'rb').read())
s = len(b) // 2; b[s:s + n] = bytes(n); open(p, 'wb').write(b)" "$1" "$(( $(stat -c %s "$tarf") / 100 ))"; }
cp "$tarf" "$work/d.tar"; damage "$work/d.tar"
cp "$work/p.mmh" "$work/d.mmh"; damage "$work/d.mmh"
# each run starts from the damaged files, synced to disk: par2 repair (which writes a whole new file),
# mmh repair in place (the default: only the damaged bytes are written, then flushed), and mmh repair -o
# (the whole archive written to a new file, flushed, and every block decoded again)
hyperfine --style basic --warmup 1 --runs "$runs" --export-markdown "$work/repair.md" \
  --prepare "sh -c 'cp $work/d.tar $work/par/silesia.tar; cp $work/d.mmh $work/e.mmh; rm -f $work/par/silesia.tar.1 $work/r.mmh; sync'" \
  "par2 repair -q -q $work/par/t.par2" \
  "./mmh repair -q $work/e.mmh" \
  "./mmh repair -q $work/d.mmh -o $work/r.mmh" >/dev/null
cat "$work/repair.md"; echo
cp "$work/d.tar" "$work/par/silesia.tar"; rm -f "$work/par/silesia.tar.1"
par2 repair -q -q "$work/par/t.par2" >/dev/null && cmp -s "$work/par/silesia.tar" "$tarf" && echo "par2 repair: bit-exact"
./mmh decompress -q -f "$work/r.mmh" -o "$work/r.tar" && cmp "$work/r.tar" "$tarf" && echo "mmh repair -o: bit-exact"
cp "$work/d.mmh" "$work/e.mmh"; ./mmh repair -q "$work/e.mmh" && cmp "$work/e.mmh" "$work/p.mmh" && echo "mmh repair (in place): bit-exact"

# 3. the cost of --recovery 5% when compressing >= 1 GB at -T2
hf recovery-cost "./mmh compress -q -f -T2 $big -o $work/big0.mmh" \
  "./mmh compress -q -f -T2 --recovery 5% $big -o $work/big5.mmh"
