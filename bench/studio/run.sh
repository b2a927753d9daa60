#!/usr/bin/env bash
# Studio benchmark: the Workload page and GET /api/curve over a 1,000,000-row ledger, p95 at 8 concurrent clients
# (wrk, 2 threads), side by side with GET /healthz on the same server (the raw HTTP floor: no ledger work).
# Prints one line per figure: the median p95 of RUNS runs of DURATION each, after one warm-up request per URL
# (the first request aggregates the ledger; later ones reuse the per-import-list cache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
ROWS=${ROWS:-1000000}
PORT=${PORT:-5091}
WORKLOAD=${WORKLOAD:-support-policy}
if ! command -v wrk >/dev/null; then
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi
mkdir -p bench/out
csv=bench/out/import-1m.csv
ledger=bench/out/studio-1m.duckdb
[[ -f $csv ]] || python3 bench/import/generate.py "$ROWS" "$csv"
if [[ ! -f $ledger ]]; then
  ./infercost import "$csv" --ledger "$ledger" >/dev/null
fi
./infercost studio --ledger "$ledger" --port "$PORT" > bench/out/studio.log 2>&1 &
studio=$!
trap 'kill $studio 2>/dev/null; wait $studio 2>/dev/null || true' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 120); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.5; done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A urls=(
  [workload-page]="$base/workload/$WORKLOAD"
  [api-curve]="$base/api/curve?workload=$WORKLOAD"
  [api-metrics]="$base/api/metrics"
  [healthz-peer]="$base/healthz"
)
for name in workload-page api-curve api-metrics healthz-peer; do
  url=${urls[$name]}
  start=$(date +%s.%N)
  curl -fs -o /dev/null "$url"
  first=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.0f", (e-s)*1000}')
  : > bench/out/studio-$name.p95
  for _ in $(seq "$RUNS"); do
    wrk -t2 -c8 -d"$DURATION" -s bench/studio/p95.lua "$url" | awk '/^p95_ms/{print $2, $4, $6}' >> bench/out/studio-$name.p95
  done
  p95=$(awk '{print $1}' bench/out/studio-$name.p95 | median)
  reqs=$(awk '{print $2}' bench/out/studio-$name.p95 | median)
  errs=$(awk '{s+=$3} END {print s}' bench/out/studio-$name.p95)
  echo "$name: p95 ${p95} ms at 8 clients (median of $RUNS × $DURATION; median $reqs requests per run, $errs errors; first request ${first} ms) over $ROWS rows"
done
