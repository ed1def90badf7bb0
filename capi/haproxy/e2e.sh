#!/usr/bin/env bash
# HAProxy end to end: HAProxy 3.4.0 with its libslz replaced by the slz C API (capi/include/slz.h
# + libslz_capi.a), compressing real web files in front of a local origin, checked with curl,
# gzip, Python's zlib, headless Chromium and a wrk load. See capi/haproxy/README.md.
#
#   bash capi/haproxy/e2e.sh --ci                 slz-linked build only, 10 s load; exit 1 on any failure
#   bash capi/haproxy/e2e.sh --compare [SECONDS]  stock and slz-linked builds, SECONDS of load each
#                                                 (default 60); table in target/haproxy-e2e/report.md
#
# HAProxy's source (GPL) is read from ../shared/third_party/haproxy-3.4.0.tar.gz (relative to the
# repository root) or $SLZ_THIRD_PARTY/haproxy-3.4.0.tar.gz and extracted under target/ only.
# Every server listens on 127.0.0.1; every process this script starts is tracked by PID and only
# those PIDs are signalled on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CARGO_TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$ROOT/target/haproxy-e2e
HAPROXY_VERSION=3.4.0
# Bump when the build recipe below changes, so cached builds are not reused.
RECIPE=3
# No -g (ARCH_FLAGS=): a third less compile time, same code; only the haproxy binary.
MAKE_ARGS=(-j2 TARGET=linux-glibc ARCH_FLAGS= haproxy)
CHROMIUM=${CHROMIUM:-chromium}

usage() {
    sed -n '5,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
}

MODE=
LOAD_SECONDS=10
case "${1:-}" in
    --ci) MODE=ci; [ $# -eq 1 ] || usage ;;
    --compare)
        MODE=compare
        LOAD_SECONDS=${2:-60}
        [ $# -le 2 ] || usage
        [[ $LOAD_SECONDS =~ ^[1-9][0-9]*$ ]] || usage
        ;;
    *) usage ;;
esac

T0=$(date +%s)
say() { printf '[e2e %3ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
die() {
    printf '\ne2e: FAIL: %s\n' "$*" >&2
    exit 1
}
# Every external command that could hang runs under this: a bound, and a kill of that one
# process (--foreground: no signal to a process group).
bounded() {
    local secs=$1
    shift
    timeout --foreground -k 5 "$secs" "$@"
}

# ---------------------------------------------------------------------------------------------
# Tools.
need=(make cc nm curl gzip wrk python3 cargo tar sha256sum timeout cmp "$CHROMIUM")
missing=()
for t in "${need[@]}"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "e2e: missing tools: ${missing[*]}" >&2
    echo "e2e: install them with: apt-get install -y wrk chromium curl gzip make gcc binutils python3" >&2
    echo "e2e: (cargo: https://rustup.rs)" >&2
    die "missing tools: ${missing[*]}"
fi

TARBALL=
for c in ${SLZ_THIRD_PARTY:+"$SLZ_THIRD_PARTY/haproxy-$HAPROXY_VERSION.tar.gz"} \
    "$ROOT/../shared/third_party/haproxy-$HAPROXY_VERSION.tar.gz"; do
    if [ -f "$c" ]; then TARBALL=$(cd "$(dirname "$c")" && pwd)/$(basename "$c"); break; fi
done
[ -n "$TARBALL" ] || die "haproxy-$HAPROXY_VERSION.tar.gz not found in \$SLZ_THIRD_PARTY (${SLZ_THIRD_PARTY:-unset}) nor in $ROOT/../shared/third_party"

mkdir -p "$WORK"
RUN=$WORK/run
rm -rf "$RUN"
mkdir -p "$RUN"

# ---------------------------------------------------------------------------------------------
# Processes: started in the background, remembered as PID + a string their command line must
# contain (so a PID reused by someone else is never signalled), stopped on exit.
PIDS=()
TAGS=()
ours() { # PID TAG: is PID still the process we started?
    local cmdline
    [ -r "/proc/$1/cmdline" ] || return 1
    cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
    [[ $cmdline == *"$2"* ]]
}
cleanup() {
    local i pid n
    for i in "${!PIDS[@]}"; do
        pid=${PIDS[$i]}
        if ours "$pid" "${TAGS[$i]}"; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for i in "${!PIDS[@]}"; do
        pid=${PIDS[$i]}
        for n in $(seq 50); do ours "$pid" "${TAGS[$i]}" || break; sleep 0.1; done
        if ours "$pid" "${TAGS[$i]}"; then kill -KILL "$pid" 2>/dev/null || true; fi
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
    TAGS=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

alive() { # PID: running and not a zombie
    local st
    st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
cpu_ticks() { # PID: utime + stime, in clock ticks
    sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
sha() { sha256sum "$@" | cut -c1-64; }

# ---------------------------------------------------------------------------------------------
# The web files: a mix from the web corpus (files.tsv), plus the browser page.
CORPUS=${SLZ_WEB_CORPUS:-$ROOT/target/web-corpus}
SITE=$WORK/site
corpus_complete() {
    local u f t
    [ -f "$CORPUS/MANIFEST.tsv" ] || return 1
    while IFS=$'\t' read -r u f t; do
        [ -f "$CORPUS/$f" ] || return 1
    done < <(grep -v '^#' "$HERE/files.tsv")
}
if ! corpus_complete; then
    say "web corpus missing in $CORPUS: building it (tools/web_corpus.py, about 10 s with network)"
    bounded 900 python3 "$ROOT/tools/web_corpus.py" --out "$CORPUS" || die "tools/web_corpus.py failed"
    corpus_complete || die "the web corpus lacks files listed in capi/haproxy/files.tsv"
fi
rm -rf "$SITE"
mkdir -p "$SITE"
PATHS=()   # URL paths of the mix
declare -A CTYPE
while IFS=$'\t' read -r u f t; do
    want=$(awk -F'\t' -v f="${f#*/}" -v g="${f%%/*}" '$1 == g && $2 == f {print $4}' "$CORPUS/MANIFEST.tsv")
    got=$(sha "$CORPUS/$f")
    [ -n "$want" ] && [ "$want" = "$got" ] || die "$CORPUS/$f does not match MANIFEST.tsv"
    cp "$CORPUS/$f" "$SITE${u}"
    PATHS+=("$u")
    CTYPE[$u]=$t
done < <(grep -v '^#' "$HERE/files.tsv")
cp "$HERE/page/index.html" "$HERE/page/app.js" "$SITE/"
CTYPE[/index.html]="text/html; charset=utf-8"
CTYPE[/app.js]="text/javascript; charset=utf-8"
ALL_PATHS=("${PATHS[@]}" /index.html /app.js)

# ---------------------------------------------------------------------------------------------
# Builds. Each lives in target/haproxy-e2e/build/<kind>-<key>, key = hash of every input.
TARBALL_SHA=$(sha "$TARBALL")

build_capi() {
    [ -f "$ROOT/capi/include/slz.h" ] && [ -f "$ROOT/capi/Cargo.toml" ] ||
        die "capi/include/slz.h or capi/Cargo.toml missing: the C API crate (package slz-capi) is not in this checkout"
    say "cargo build --release -p slz-capi"
    (cd "$ROOT" && bounded 1800 cargo build --release -p slz-capi) >"$RUN/capi-build.log" 2>&1 ||
        { tail -30 "$RUN/capi-build.log"; die "cargo build --release -p slz-capi failed"; }
    HEADER=$ROOT/capi/include/slz.h
    ARCHIVE=$CARGO_TARGET/release/libslz_capi.a
    ARCHIVE_DIR=$CARGO_TARGET/release
    [ -f "$ARCHIVE" ] || die "$ARCHIVE not built"
    # The system libraries Rust's std needs, as rustc reports them. They depend on the toolchain
    # and the crate's manifest only; asked once per (rustc, Cargo.toml) in a target dir of its
    # own so that target/release is not rebuilt back and forth.
    local key file out
    key=$( (rustc -vV; cat "$ROOT/capi/Cargo.toml") | sha | cut -c1-16)
    file=$WORK/native-static-libs-$key
    if [ ! -s "$file" ]; then
        say "asking rustc for the staticlib's native libraries (once)"
        out=$(cd "$ROOT" && bounded 1800 cargo rustc --release -p slz-capi --crate-type staticlib \
            --target-dir "$WORK/cargo-native-libs" -- --print native-static-libs 2>&1) ||
            { echo "$out" | tail -30; die "cargo rustc --print native-static-libs failed"; }
        echo "$out" | sed -n 's/.*native-static-libs: //p' | tail -1 >"$file"
        [ -s "$file" ] || die "rustc printed no native-static-libs line"
    fi
    NATIVE_LIBS=$(cat "$file")
    say "native libs: $NATIVE_LIBS"
}

# build_haproxy KIND: sets BIN and BUILD_DIR.
build_haproxy() {
    local kind=$1 key addlib=
    if [ "$kind" = slz ]; then
        addlib="-L$ARCHIVE_DIR -l:libslz_capi.a $NATIVE_LIBS"
        # The linker says where the entry points came from (checked in check_symbols).
        addlib+=" -Wl,--trace-symbol=slz_rfc1952_encode -Wl,--trace-symbol=slz_rfc1950_encode"
        key=$(printf '%s\n' "$RECIPE" "$kind" "$TARBALL_SHA" "${MAKE_ARGS[*]}" "$addlib" \
            "$(sha "$HEADER")" "$(sha "$ARCHIVE")" | sha | cut -c1-16)
    else
        key=$(printf '%s\n' "$RECIPE" "$kind" "$TARBALL_SHA" "${MAKE_ARGS[*]}" | sha | cut -c1-16)
    fi
    BUILD_DIR=$WORK/build/$kind-$key
    BIN=$BUILD_DIR/haproxy
    if [ -f "$BUILD_DIR/.built" ] && [ -x "$BIN" ]; then
        say "$kind build: cached ($BUILD_DIR)"
        return
    fi
    rm -rf "$WORK/build/$kind-"*
    mkdir -p "$BUILD_DIR"
    tar xzf "$TARBALL" -C "$BUILD_DIR" --strip-components=1
    if [ "$kind" = slz ]; then
        # HAProxy's own libslz, compiled alone: the list of its symbols that must not be in
        # the slz-linked binary unless libslz_capi.a defines them.
        cc -O2 -I"$BUILD_DIR/include" -c "$BUILD_DIR/src/slz.c" -o "$BUILD_DIR/libslz-c-reference.o"
        cp "$HEADER" "$BUILD_DIR/include/import/slz.h"
        echo '/* libslz comes from libslz_capi.a (the slz C API) in this build. */' >"$BUILD_DIR/src/slz.c"
    fi
    say "$kind build: make ${MAKE_ARGS[*]}${addlib:+ ADDLIB=\"$addlib\"} (1.5 min on two idle CPUs, more on a busy machine)"
    if ! (cd "$BUILD_DIR" && bounded 1800 make "${MAKE_ARGS[@]}" ${addlib:+"ADDLIB=$addlib"}) \
        >"$BUILD_DIR/build.log" 2>&1; then
        tail -40 "$BUILD_DIR/build.log"
        die "$kind HAProxy build failed (log: $BUILD_DIR/build.log)"
    fi
    [ -x "$BIN" ] || die "$kind build produced no haproxy binary"
    touch "$BUILD_DIR/.built"
    say "$kind build: done"
}

check_symbols() { # the slz-linked binary has no C libslz left; its entry points are ours
    local bin=$1 dir=$2 s bad=0 n_ref=0 n_ours=0
    say "symbols: HAProxy's C libslz is gone from the slz-linked binary"
    local ref ours_syms bin_syms
    ref=$( (nm --defined-only "$dir/libslz-c-reference.o" | awk 'NF == 3 && $3 !~ /^\./ {print $3}'
        echo __slz_make_crc_table; echo __slz_prepare_dist_table) | sort -u)
    ours_syms=$(nm --defined-only -g "$ARCHIVE" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u)
    bin_syms=$(nm "$bin" | awk 'NF == 3 {print $3}' | sort -u)
    for s in $ref; do
        n_ref=$((n_ref + 1))
        if grep -qxF "$s" <<<"$bin_syms"; then
            if grep -qxF "$s" <<<"$ours_syms"; then
                n_ours=$((n_ours + 1))
            else
                echo "  C libslz symbol in the binary, not from libslz_capi.a: $s"
                bad=1
            fi
        fi
    done
    local defined
    defined=$(nm --defined-only "$dir/src/slz.o" | grep -vc ' \.L' || true)
    echo "  HAProxy's src/slz.o (emptied): $defined defined symbols"
    echo "  of $n_ref symbols defined by HAProxy's C libslz, $n_ours are in the binary, all defined by libslz_capi.a;"
    echo "  internals absent: $(for s in __slz_make_crc_table __slz_initialize crc32_fast fixed_huff len_fh copy_lit; do
        grep -qxF "$s" <<<"$bin_syms" && printf '%s(PRESENT) ' "$s" || printf '%s ' "$s"; done)"
    nm "$bin" | grep -E ' T slz_rfc195[0-2]_(encode|init|flush|finish)$' | sed 's/^/  binary: /'
    grep -E 'libslz_capi\.a\(.*\): definition of slz_rfc195[02]_encode' "$dir/build.log" | sort -u | sed 's/^/  linker: /'
    [ "$defined" = 0 ] || bad=1
    grep -qE 'libslz_capi\.a\(.*\): definition of slz_rfc1952_encode' "$dir/build.log" ||
        { echo "  the linker did not take slz_rfc1952_encode from libslz_capi.a"; bad=1; }
    for s in __slz_make_crc_table __slz_initialize crc32_fast fixed_huff; do
        grep -qxF "$s" <<<"$bin_syms" && bad=1
    done
    [ $bad = 0 ] || die "the slz-linked binary still has C libslz code, or does not use libslz_capi.a"
    "$bin" -vv 2>&1 | grep -iE 'libslz|compression methods' | sed 's/^/  haproxy -vv: /'
}

# ---------------------------------------------------------------------------------------------
# Servers.
start_haproxy() { # NAME BIN CFG PORT: starts it in the foreground (-db), sets STARTED_PID
    local name=$1 bin=$2 cfg=$3 port=$4 n pid
    bounded 30 "$bin" -c -q -f "$cfg" >"$RUN/$name.check.log" 2>&1 ||
        { cat "$RUN/$name.check.log"; die "$name: configuration rejected"; }
    "$bin" -db -f "$cfg" >"$RUN/$name.log" 2>&1 </dev/null &
    pid=$!
    PIDS+=("$pid")
    TAGS+=("$cfg")
    for n in $(seq 100); do
        if bounded 5 curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi
        alive "$pid" || { cat "$RUN/$name.log"; die "$name exited at start"; }
        sleep 0.1
    done
    alive "$pid" || { cat "$RUN/$name.log"; die "$name exited at start"; }
    STARTED_PID=$pid
    say "$name: pid $pid on 127.0.0.1:$port"
}

write_origin_cfg() { # CFG PORT
    {
        echo "# Origin: serves the file mix from memory (http-request return loads each file once)."
        echo "global"
        echo "    # A 'return' response must fit in one buffer: the largest file is ~300 KB."
        echo "    tune.bufsize 1048576"
        echo "defaults"
        echo "    mode http"
        echo "    timeout connect 5s"
        echo "    timeout client 30s"
        echo "    timeout server 30s"
        echo "frontend origin"
        echo "    bind 127.0.0.1:$2"
        local p
        for p in "${ALL_PATHS[@]}"; do
            echo "    http-request return status 200 content-type \"${CTYPE[$p]}\" file \"$SITE$p\" if { path $p }"
        done
        echo "    http-request return status 404 content-type text/plain string \"not found\""
    } >"$1"
}

write_proxy_cfg() { # CFG PORT ORIGIN_PORT
    sed -e "s/@PORT@/$2/g" -e "s/@ORIGIN_PORT@/$3/g" "$HERE/proxy.cfg" >"$1"
}

# ---------------------------------------------------------------------------------------------
# Checks on bodies.
zlib_check() { # RAW WANT: RAW is one complete zlib stream (RFC 1950) that decodes to WANT
    python3 - "$1" "$2" <<'PY'
import sys, zlib
raw = open(sys.argv[1], "rb").read()
want = open(sys.argv[2], "rb").read()
d = zlib.decompressobj(15)  # zlib wrapper; the Adler-32 trailer is checked
out = d.decompress(raw) + d.flush()
if not d.eof:
    sys.exit("zlib stream not terminated")
if d.unused_data:
    sys.exit("%d bytes after the zlib stream" % len(d.unused_data))
if out != want:
    sys.exit("decoded %d bytes, not the origin's %d bytes" % (len(out), len(want)))
PY
}

header() { # FILE NAME: value of the header (last one), lowercased, without CR
    tr -d '\r' <"$1" | awk -v n="$(echo "$2" | tr A-Z a-z)" -F': *' 'tolower($1) == n {v = tolower($2)} END {print v}'
}

# check_file NAME PORT PATH: sets GZ_SIZE and ZZ_SIZE
check_file() {
    local name=$1 port=$2 p=$3 url want d st
    url=http://127.0.0.1:$port$p
    want=$SITE$p
    d=$RUN/bodies/$name${p//\//_}
    mkdir -p "$(dirname "$d")"
    # gzip: raw body, headers, gzip -t, decoded bytes; then curl's own decoding.
    st=$(bounded 30 curl -sS -o "$d.gz" -D "$d.gz.h" -w '%{http_code}' -H 'Accept-Encoding: gzip' "$url") ||
        die "$name $p: curl (gzip) failed"
    [ "$st" = 200 ] || die "$name $p: status $st"
    [ "$(header "$d.gz.h" content-encoding)" = gzip ] ||
        die "$name $p: Accept-Encoding: gzip answered without Content-Encoding: gzip ($(tr -d '\r' <"$d.gz.h" | tr '\n' '|'))"
    bounded 30 gzip -t "$d.gz" || die "$name $p: gzip -t rejects the body ($d.gz)"
    bounded 30 gzip -dc "$d.gz" | cmp -s - "$want" || die "$name $p: gunzipped body differs from the origin's bytes"
    bounded 30 curl -sS --compressed -H 'Accept-Encoding: gzip' -o "$d.gz.dec" "$url" || die "$name $p: curl --compressed (gzip) failed"
    cmp -s "$d.gz.dec" "$want" || die "$name $p: curl --compressed (gzip) body differs from the origin's bytes"
    # deflate: HAProxy's "deflate" is zlib-wrapped (RFC 1950).
    st=$(bounded 30 curl -sS -o "$d.zz" -D "$d.zz.h" -w '%{http_code}' -H 'Accept-Encoding: deflate' "$url") ||
        die "$name $p: curl (deflate) failed"
    [ "$st" = 200 ] || die "$name $p: status $st (deflate)"
    [ "$(header "$d.zz.h" content-encoding)" = deflate ] ||
        die "$name $p: Accept-Encoding: deflate answered without Content-Encoding: deflate"
    local err
    err=$(zlib_check "$d.zz" "$want" 2>&1) || die "$name $p: deflate body: $err ($d.zz)"
    bounded 30 curl -sS --compressed -H 'Accept-Encoding: deflate' -o "$d.zz.dec" "$url" || die "$name $p: curl --compressed (deflate) failed"
    cmp -s "$d.zz.dec" "$want" || die "$name $p: curl --compressed (deflate) body differs from the origin's bytes"
    # No Accept-Encoding: the origin's bytes, uncompressed.
    bounded 30 curl -sS -o "$d.id" -D "$d.id.h" "$url" || die "$name $p: curl (identity) failed"
    [ -z "$(header "$d.id.h" content-encoding)" ] || die "$name $p: compressed without Accept-Encoding"
    cmp -s "$d.id" "$want" || die "$name $p: identity body differs from the origin's bytes"
    GZ_SIZE=$(stat -c %s "$d.gz")
    ZZ_SIZE=$(stat -c %s "$d.zz")
}

check_build() { # NAME PORT: every file of the mix and the page, both codings; sizes in $RUN/NAME.sizes
    local name=$1 port=$2 p
    say "$name: curl/gzip/zlib checks on ${#ALL_PATHS[@]} files"
    : >"$RUN/$name.sizes"
    for p in "${ALL_PATHS[@]}"; do
        check_file "$name" "$port" "$p"
        printf '%s\t%s\t%s\t%s\n' "$p" "$(stat -c %s "$SITE$p")" "$GZ_SIZE" "$ZZ_SIZE" >>"$RUN/$name.sizes"
    done
    say "$name: all ${#ALL_PATHS[@]} files decode to the origin's bytes (gzip and deflate)"
}

check_origin() { # PORT
    local p
    for p in "${ALL_PATHS[@]}"; do
        bounded 30 curl -sS -o "$RUN/origin.body" "http://127.0.0.1:$1$p" || die "origin $p: curl failed"
        cmp -s "$RUN/origin.body" "$SITE$p" || die "origin $p: body differs from the file"
    done
}

# ---------------------------------------------------------------------------------------------
# Browser.
check_browser() { # NAME PORT
    local name=$1 port=$2 profile want dom line rc=0 p e
    say "$name: headless Chromium loads /index.html through the proxy"
    want=$(python3 - "$SITE/properties.json" <<'PY'
import json, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
units = text.encode("utf-16-le")
h = 0x811C9DC5
for i in range(0, len(units), 2):
    h = ((h ^ (units[i] | units[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
print("json=%d:%x:%d" % (len(units) // 2, h, len(json.loads(text))))
PY
)
    profile=$(mktemp -d "$RUN/chromium-profile.XXXXXX")
    # The flags http/tests/browser.rs uses; Chromium is one tracked child, bounded by timeout.
    bounded 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --dump-dom "http://127.0.0.1:$port/index.html" \
        >"$RUN/$name.dom.html" 2>"$RUN/$name.chromium.log" </dev/null || rc=$?
    rm -rf "$profile"
    line=$(grep -o 'E2E .* END' "$RUN/$name.dom.html" || true)
    [ -n "$line" ] || { tail -20 "$RUN/$name.chromium.log"; die "$name: Chromium (exit $rc) shows no result from app.js (dom: $RUN/$name.dom.html)"; }
    echo "  page: $line"
    echo "  want: $want jquery=3.7.1 css=none,center"
    [[ " $line " == *" $want "* ]] || die "$name: the JSON the browser decoded is not the origin's ($want)"
    [[ " $line " == *" jquery=3.7.1 "* ]] || die "$name: jquery.js did not run in the browser"
    [[ " $line " == *" css=none,center "* ]] || die "$name: bootstrap.css was not applied in the browser"
    for p in /bootstrap.css /jquery.js /app.js /properties.json; do
        e=$(grep -o " res=$p:[0-9]*:[0-9]*" <<<" $line" | head -1)
        [ -n "$e" ] || die "$name: no resource timing entry for $p"
        e=${e#* res=$p:}
        [ "${e%%:*}" -gt 0 ] && [ "${e%%:*}" -lt "${e#*:}" ] ||
            die "$name: $p reached the browser uncompressed (encoded:decoded = $e)"
    done
    say "$name: the browser decoded and ran the page (4 resources compressed, JSON hash matches)"
}

# ---------------------------------------------------------------------------------------------
# Load.
write_wrk_lua() {
    {
        echo "-- Rotates over the file mix; prints one summary line for e2e.sh."
        printf 'local paths = {'
        printf ' "%s",' "${PATHS[@]}"
        echo ' }'
        cat <<'LUA'
local n = 0
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKSUMMARY requests=%d bytes=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.bytes, summary.duration, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99)))
end
LUA
    } >"$RUN/mix.lua"
}

# run_load NAME PORT PID: appends a line to $RUN/load.tsv
run_load() {
    local name=$1 port=$2 pid=$3 tck t0 t1 rc=0 s
    tck=$(getconf CLK_TCK)
    say "$name: wrk -t2 -c200 -d${LOAD_SECONDS}s, Accept-Encoding: gzip, ${#PATHS[@]} files in rotation"
    cut -d' ' -f1-3 /proc/loadavg >"$RUN/$name.loadavg"
    t0=$(cpu_ticks "$pid")
    bounded $((LOAD_SECONDS + 60)) wrk -t2 -c200 -d"${LOAD_SECONDS}s" --timeout 10s -s "$RUN/mix.lua" \
        "http://127.0.0.1:$port/" >"$RUN/$name.wrk.log" 2>&1 || rc=$?
    alive "$pid" || { tail -20 "$RUN/$name.log"; die "$name: the proxy died under load (pid $pid)"; }
    t1=$(cpu_ticks "$pid")
    sed 's/^/  wrk: /' "$RUN/$name.wrk.log" | grep -v WRKSUMMARY
    [ $rc = 0 ] || die "$name: wrk failed (exit $rc)"
    s=$(grep -o 'WRKSUMMARY.*' "$RUN/$name.wrk.log") || die "$name: no summary from wrk"
    local requests bytes dur connect read write status timeout
    eval "$(echo "${s#WRKSUMMARY }" | tr ' ' '\n' | grep -E '^(requests|bytes|duration_us|connect|read|write|status|timeout)=' |
        sed 's/^duration_us/dur/')"
    [ "$requests" -gt 0 ] || die "$name: wrk completed no request"
    python3 - "$name" "$requests" "$bytes" "$dur" "$connect" "$read" "$write" "$timeout" "$status" \
        "$((t1 - t0))" "$tck" >>"$RUN/load.tsv" <<'PY'
import sys
name, req, byt, dur, con, rd, wr, to, st, ticks, tck = sys.argv[1:]
req, byt, dur, ticks, tck = int(req), int(byt), int(dur), int(ticks), int(tck)
cpu = ticks / tck
print("\t".join(map(str, [name, req, "%.0f" % (req / (dur / 1e6)), "%.1f" % (byt / (dur / 1e6) / 1e6),
      con, rd, wr, to, st, "%.2f" % cpu, "%.0f" % (cpu * 1e6 / req), "%.0f" % (byt / req)])))
PY
    local errors
    errors=$((connect + read + write + timeout + status))
    say "$name: $(tail -1 "$RUN/load.tsv" | awk -F'\t' '{printf "%s requests, %s req/s, %s MB/s, CPU %s s = %s us/request, %s bytes/response", $2, $3, $4, $10, $11, $12}'); errors $errors; proxy alive"
    LOAD_ERRORS=$((LOAD_ERRORS + errors))
    # Still decoding after the load.
    for s in /ch02.html /jquery.js /properties.json /ifconfig.html; do check_file "$name-after-load" "$port" "$s"; done
    say "$name: responses after the load still decode (4 files, gzip and deflate)"
}

# ---------------------------------------------------------------------------------------------
LOAD_ERRORS=0
say "mode $MODE; HAProxy $HAPROXY_VERSION from $TARBALL"
build_capi
build_haproxy slz
SLZ_BIN=$BIN
check_symbols "$SLZ_BIN" "$BUILD_DIR"
if [ "$MODE" = compare ]; then
    build_haproxy stock
    STOCK_BIN=$BIN
    ORIGIN_BIN=$STOCK_BIN
else
    # --ci builds only the slz-linked binary; as the origin it has no compression filter, so
    # it only serves bytes from memory (checked against the files below).
    ORIGIN_BIN=$SLZ_BIN
fi

ORIGIN_PORT=$(free_port)
write_origin_cfg "$RUN/origin.cfg" "$ORIGIN_PORT"
start_haproxy origin "$ORIGIN_BIN" "$RUN/origin.cfg" "$ORIGIN_PORT"
ORIGIN_PID=$STARTED_PID
check_origin "$ORIGIN_PORT"
say "origin serves the ${#ALL_PATHS[@]} files byte for byte"

BUILDS=(slz)
[ "$MODE" = compare ] && BUILDS=(stock slz)
declare -A PORT PID
for b in "${BUILDS[@]}"; do
    PORT[$b]=$(free_port)
    write_proxy_cfg "$RUN/proxy-$b.cfg" "${PORT[$b]}" "$ORIGIN_PORT"
    if [ "$b" = slz ]; then bin=$SLZ_BIN; else bin=$STOCK_BIN; fi
    start_haproxy "proxy-$b" "$bin" "$RUN/proxy-$b.cfg" "${PORT[$b]}"
    PID[$b]=$STARTED_PID
done
for b in "${BUILDS[@]}"; do check_build "$b" "${PORT[$b]}"; done
for b in "${BUILDS[@]}"; do check_browser "$b" "${PORT[$b]}"; done

write_wrk_lua
: >"$RUN/load.tsv"
for b in "${BUILDS[@]}"; do run_load "$b" "${PORT[$b]}" "${PID[$b]}"; done
for b in "${BUILDS[@]}"; do alive "${PID[$b]}" || die "proxy-$b died"; done
alive "$ORIGIN_PID" || die "the origin died"

# ---------------------------------------------------------------------------------------------
# Report.
python3 - "$RUN" "$MODE" "$LOAD_SECONDS" "${BUILDS[@]}" >"$RUN/report.md" <<'PY'
import os, sys
run, mode, secs, builds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sizes = {}
for b in builds:
    sizes[b] = [l.rstrip("\n").split("\t") for l in open(os.path.join(run, b + ".sizes"))]
load = {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(os.path.join(run, "load.tsv"))}
mix = lambda b: [r for r in sizes[b] if r[0] not in ("/index.html", "/app.js")]
orig = sum(int(r[1]) for r in mix(builds[0]))
print("## HAProxy 3.4.0: stock libslz vs the slz C API\n")
print("Load: `wrk -t2 -c200 -d%ss`, `Accept-Encoding: gzip`, %d files in rotation (%d bytes in all)."
      % (secs, len(mix(builds[0])), orig))
print("CPU is the proxy process's utime+stime over the run. Ratio is compressed/original bytes"
      " of the file mix (gzip; deflate in parentheses).\n")
print("| build | requests/s | MB/s | errors (conn/read/write/timeout/non-2xx) | CPU µs/request | compressed bytes (gzip) | ratio |")
print("|---|---:|---:|---|---:|---:|---:|")
for b in builds:
    l = load[b]
    gz = sum(int(r[2]) for r in mix(b))
    zz = sum(int(r[3]) for r in mix(b))
    name = {"stock": "stock (HAProxy's C libslz)", "slz": "slz-linked (libslz_capi.a)"}[b]
    print("| %s | %s | %s | %s/%s/%s/%s/%s | %s | %d | %.2f%% (%.2f%%) |"
          % (name, l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[10], gz, 100 * gz / orig, 100 * zz / orig))
print("\nMachine: %d CPUs; load average (1/5/15 min) just before each run: %s. The origin is a"
      " separate HAProxy process serving the files from memory; wrk, the origin and the proxy share"
      " the CPUs." % (os.cpu_count(), "; ".join("%s %s" % (b, open(os.path.join(run, b + ".loadavg")).read().strip()) for b in builds)))
print("\nPer file (gzip body bytes; HAProxy compresses in 16 KiB buffers):\n")
print("| file | size | " + " | ".join("%s gzip | %s deflate" % (b, b) for b in builds) + " |")
print("|---|---:|" + "---:|---:|" * len(builds))
for i, r in enumerate(sizes[builds[0]]):
    cells = []
    for b in builds:
        s = sizes[b][i]
        cells += ["%s (%.1f%%)" % (s[2], 100 * int(s[2]) / int(s[1])), s[3]]
    print("| %s | %s | %s |" % (r[0], r[1], " | ".join(cells)))
PY
echo
cat "$RUN/report.md"
if [ "$MODE" = compare ]; then
    cp "$RUN/report.md" "$WORK/report.md"
    say "report written to $WORK/report.md"
fi
[ "$LOAD_ERRORS" = 0 ] || die "wrk counted $LOAD_ERRORS errors (see the table)"
say "PASS ($MODE)"
