#!/usr/bin/env bash
# Curve benchmark: `infercost curve` over a 1,000,000-row ledger (modeled cost for every 10th row, capacity routes on
# H100) against the same aggregations in raw DuckDB SQL on the same file. Prints median wall time and peak RSS of
# RUNS runs each. Needs python3 and /usr/bin/time (Debian's 'time').
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUNS=${RUNS:-5}
ROWS=${ROWS:-1000000}
mkdir -p bench/out
[[ -f bench/out/curve-1m.csv ]] || python3 bench/curve/generate.py "$ROWS" bench/out/curve-1m.csv
./infercost about >/dev/null   # build once, outside the timings
dotnet build bench/DuckDbPeer/DuckDbPeer.csproj -c Release -o bench/out/peer -nologo -v quiet >/dev/null
if [[ ! -f bench/out/curve.duckdb ]]; then
  dotnet .artifacts/cli/infercost.dll import bench/out/curve-1m.csv --ledger bench/out/curve.duckdb >/dev/null
fi
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for tool in infercost duckdb; do
  : > bench/out/curve-$tool.times
  for _ in $(seq "$RUNS"); do
    if [[ $tool == infercost ]]; then
      cmd=(dotnet .artifacts/cli/infercost.dll curve --workload support-policy --ledger bench/out/curve.duckdb --catalog bench/curve/catalog.json --format json)
    else
      cmd=(dotnet bench/out/peer/DuckDbPeer.dll bench/out/curve.duckdb bench/curve/peer.sql)
    fi
    /usr/bin/time -f "%e %M" -o bench/out/time.txt "${cmd[@]}" >/dev/null
    cat bench/out/time.txt >> bench/out/curve-$tool.times
  done
  wall=$(awk '{print $1}' bench/out/curve-$tool.times | median)
  rss=$(awk '{print $2}' bench/out/curve-$tool.times | median)
  echo "$tool: median wall ${wall}s, median peak RSS $((rss / 1024)) MiB over $RUNS runs"
done
