#!/bin/sh
# Compares the `slz` command with gzip, pigz and ISA-L's igzip on one large file, with hyperfine.
# On demand only (not in CI). Needs Debian's `hyperfine`, `gzip`, `pigz` and `isal` (for igzip);
# a tool that is missing is left out with a note.
#
#   cli/hyperfine.sh [FILE]
#
# Without FILE, the files of ../shared/corpus/silesia (from the repository's root) are
# concatenated into a temporary file. Each command compresses the file to standard output, which
# hyperfine discards; a separate pass measures the compressed sizes. `RUNS=N` sets the timed runs
# (default 5, after one warm-up). pigz runs with its default
# thread count (all cores) and with `-p 1`.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ $# -ge 1 ]; then
    input=$1
else
    corpus=$root/../shared/corpus/silesia
    [ -d "$corpus" ] || { echo "no FILE given and $corpus is missing" >&2; exit 1; }
    input=$tmp/silesia.cat
    find "$corpus" -type f ! -name README.md | sort | xargs cat > "$input"
fi
[ -f "$input" ] || { echo "$input: not a file" >&2; exit 1; }

command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }

echo "building slz (release)" >&2
cargo build --release -q -p slz-cli --manifest-path "$root/Cargo.toml"
slz=$root/target/release/slz

# name|command line (the input file is appended)
cmds="slz -1|$slz -1 -c
slz -2|$slz -2 -c
slz -6|$slz -6 -c"
have() { command -v "$1" >/dev/null 2>&1 || { echo "$1 not installed: left out" >&2; return 1; }; }
if have gzip; then cmds="$cmds
gzip -1|gzip -1 -c
gzip -6|gzip -6 -c"; fi
if have pigz; then cmds="$cmds
pigz -1|pigz -1 -c
pigz -6|pigz -6 -c
pigz -1 -p 1|pigz -1 -p 1 -c
pigz -6 -p 1|pigz -6 -p 1 -c"; fi
if have igzip; then cmds="$cmds
igzip -0|igzip -0 -c
igzip -1|igzip -1 -c"; fi

size=$(wc -c < "$input")
echo "input: $input, $size bytes; $(nproc) CPUs" >&2

set --
printf '%s\n' "$cmds" > "$tmp/cmds"
while IFS='|' read -r name cmd; do
    set -- "$@" -n "$name" "$cmd '$input'"
done < "$tmp/cmds"

# -N: no shell in between; hyperfine discards the commands' output (not a terminal).
hyperfine -N -u millisecond --warmup 1 --runs "$runs" --export-markdown "$tmp/times.md" "$@" >&2

echo
echo "## Time ($runs runs after a warm-up; input $size bytes)"
echo
cat "$tmp/times.md"
echo
echo "## Size"
echo
echo "| command | bytes | ratio (in/out) | MB/s (mean) |"
echo "|:---|---:|---:|---:|"
while IFS='|' read -r name cmd; do
    out=$(sh -c "$cmd '$input'" | wc -c)
    mean=$(grep -F "| \`$name\` |" "$tmp/times.md" | awk -F'|' '{print $3}' | awk '{print $1}')
    mbps=$(awk -v s="$size" -v t="${mean:-0}" 'BEGIN { if (t > 0) printf "%.1f", s / 1e6 / (t / 1000); else print "?" }')
    ratio=$(awk -v s="$size" -v o="$out" 'BEGIN { printf "%.3f", s / o }')
    echo "| $name | $out | $ratio | $mbps |"
done < "$tmp/cmds"
