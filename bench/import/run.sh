#!/usr/bin/env bash
# Import benchmark: 1,000,000 contract rows into a fresh ledger, against DuckDB's own read_csv + INSERT on the same file.
# Prints rows/s and peak RSS for each, medians of RUNS runs. Needs python3 and /usr/bin/time (Debian's 'time').
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUNS=${RUNS:-5}
ROWS=${ROWS:-1000000}
mkdir -p bench/out
[[ -f bench/out/import-1m.csv ]] || python3 bench/import/generate.py "$ROWS" bench/out/import-1m.csv
./infercost about >/dev/null   # build once, outside the timings
dotnet build bench/DuckDbPeer/DuckDbPeer.csproj -c Release -o bench/out/peer -nologo -v quiet >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for tool in infercost duckdb; do
  : > bench/out/$tool.times
  for _ in $(seq "$RUNS"); do
    rm -f bench/out/bench.duckdb bench/out/bench.duckdb.wal
    if [[ $tool == infercost ]]; then
      cmd=(dotnet .artifacts/cli/infercost.dll import bench/out/import-1m.csv --ledger bench/out/bench.duckdb)
    else
      cmd=(dotnet bench/out/peer/DuckDbPeer.dll bench/out/bench.duckdb bench/import/peer.sql)
    fi
    /usr/bin/time -f "%e %M" -o bench/out/time.txt "${cmd[@]}" >/dev/null
    cat bench/out/time.txt >> bench/out/$tool.times
  done
  wall=$(awk '{print $1}' bench/out/$tool.times | median)
  rss=$(awk '{print $2}' bench/out/$tool.times | median)
  echo "$tool: median wall ${wall}s, $(awk -v n="$ROWS" -v w="$wall" 'BEGIN{printf "%.0f", n/w}') rows/s, median peak RSS $((rss / 1024)) MiB over $RUNS runs"
done
