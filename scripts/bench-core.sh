#!/usr/bin/env bash
# Whole-process speed of `mmh compress/decompress` against the system's zstd and lz4 CLIs, side by side in
# one hyperfine run each, on >= 1 GB made by repeating the corpus's Silesia files (as the acceptance check does).
# Prints Markdown tables; docs/BENCHMARKS.md quotes them. Needs hyperfine, zstd, lz4 (apt-get install hyperfine).
#   usage: scripts/bench-core.sh [RUNS]   (default 5)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
work=${TMPDIR:-/tmp}/mmh-bench-core
mkdir -p "$work"
corpus=$work/corpus
[ -d "$corpus/silesia" ] || ../shared/corpus/unpack.sh "$corpus" silesia >/dev/null
big=$work/silesia-1000M.tar
if [ ! -f "$big" ]; then
  tar -C "$corpus/silesia" -cf "$work/silesia.tar" .
  : > "$big"
  while [ $(( $(stat -c %s "$big") / 1000000 )) -lt 1000 ]; do cat "$work/silesia.tar" >> "$big"; done
fi
./mmh --version >/dev/null
echo "input: $(stat -c %s "$big") bytes; $(nproc) cores; $(java -version 2>&1 | head -1); $(zstd --version | head -1); $(lz4 --version | head -1)"
zstd -q -3 -T2 -f "$big" -o "$work/big.zst"
lz4 -q -1 -f "$big" "$work/big.lz4"
./mmh compress -q -f --codec zstd -l 3 -T2 "$big" -o "$work/big.zstd.mmh"
./mmh compress -q -f --codec lz4 -l 1 -T2 "$big" -o "$work/big.lz4.mmh"
for f in big.zst big.zstd.mmh big.lz4 big.lz4.mmh; do echo "size $f $(stat -c %s "$work/$f")"; done
hf() { hyperfine -N --style basic --warmup 1 --runs "$runs" --export-markdown "$work/$1.md" "${@:2}" >/dev/null; cat "$work/$1.md"; echo; }
hf zstd-c "zstd -q -3 -T2 -c $big" "./mmh compress -q --codec zstd -l 3 -T2 -c $big"
hf zstd-d "zstd -q -d -c $work/big.zst" "./mmh decompress -q -T2 -c $work/big.zstd.mmh"
hf lz4-c "lz4 -q -1 -c $big" "./mmh compress -q --codec lz4 -l 1 -T2 -c $big"
hf lz4-d "lz4 -q -d -c $work/big.lz4" "./mmh decompress -q -T2 -c $work/big.lz4.mmh"
