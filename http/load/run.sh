#!/usr/bin/env bash
# Load comparison, on demand (not in CI): N concurrent slow streaming responses (10 events of
# ~200 bytes, one per second) through the slz layer, tower-http's CompressionLayer (gzip at its
# default level, and at level 1) and no compression, on the same hyper server code; then
# requests per second of a 64 KiB streamed page. Loopback only; every phase is bounded.
#
#   http/load/run.sh [N=10000] [RATE_CONCURRENCY=64] [RATE_SECONDS=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000}"
CONC="${2:-64}"
SECS="${3:-10}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "fd limit: $(ulimit -n); N=$N, rate phase: $CONC connections for ${SECS}s; $(nproc) cores"
[ "$(ulimit -n)" -gt "$((N + 100))" ] || { echo "need more file descriptors than N" >&2; exit 1; }
cargo build -q --release -j2 -p slz-http --example load_server --example load_client
bin=target/release/examples
port=$((20000 + RANDOM % 20000))
for mode in none slz tower-1 tower; do
  addr="127.0.0.1:$port"
  port=$((port + 1))
  log=$(mktemp)
  "$bin/load_server" "$mode" "$addr" >"$log" 2>&1 &
  srv=$!
  for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
  if ! grep -q listening "$log"; then cat "$log"; kill "$srv"; exit 1; fi
  set +e
  line=$(timeout 300 "$bin/load_client" "$addr" "$srv" "$N" "$CONC" "$SECS")
  status=$?
  set -e
  kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null || true
  rm -f "$log"
  printf '%-8s %s%s\n' "$mode" "$line" "$([ $status = 0 ] || echo " FAILED($status)")"
done
