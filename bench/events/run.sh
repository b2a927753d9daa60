#!/usr/bin/env bash
# Events benchmark: import + exact rollup of N generated request events (CSV and JSON Lines) with infercost, beside
# DuckDB alone (read_csv / read_json + quantile_cont GROUP BY) on the same files, and DuckDB alone storing the events
# in a table of the ledger's shape first (read + INSERT + the same query: the floor for any import that keeps them),
# with DuckDB's default insertion order and without it (as infercost loads events). Prints events/s and peak RSS,
# medians of RUNS runs. Needs python3 and /usr/bin/time (Debian's 'time'). Usage: EVENTS=10000000 RUNS=3 bench/events/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUNS=${RUNS:-3}
EVENTS=${EVENTS:-1000000}
out=bench/out/events-$EVENTS
mkdir -p bench/out
[[ -f $out.csv && -f $out.jsonl ]] || python3 bench/events/generate.py "$EVENTS" "$out.csv" "$out.jsonl"
./infercost about >/dev/null   # build once, outside the timings
dotnet build bench/DuckDbPeer/DuckDbPeer.csproj -c Release -o bench/out/peer -nologo -v quiet >/dev/null
sed "s|@SOURCE@|read_csv('$out.csv', header = true, auto_detect = true)|" bench/events/peer.sql.in > bench/out/events-peer-csv.sql
sed "s|@SOURCE@|read_json('$out.jsonl', format = 'newline_delimited')|" bench/events/peer.sql.in > bench/out/events-peer-jsonl.sql
sed "s|@SOURCE@|read_csv('$out.csv', header = true, auto_detect = true)|" bench/events/peer-store.sql.in > bench/out/events-store-csv.sql
sed "s|@SOURCE@|read_json('$out.jsonl', format = 'newline_delimited')|" bench/events/peer-store.sql.in > bench/out/events-store-jsonl.sql
# The storing peer once more with insertion order off, as infercost loads events (DuckDB then stores them faster).
for kind in csv jsonl; do
  { echo "SET preserve_insertion_order = false;"; cat bench/out/events-store-$kind.sql; } > bench/out/events-store-anyorder-$kind.sql
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for kind in csv jsonl; do
  for tool in infercost duckdb duckdb-store duckdb-store-anyorder; do
    : > bench/out/events.times
    for _ in $(seq "$RUNS"); do
      rm -f bench/out/events.duckdb bench/out/events.duckdb.wal bench/out/peer.duckdb
      if [[ $tool == infercost ]]; then
        cmd=(bash -c "dotnet .artifacts/cli/infercost.dll import $out.$kind --format events --ledger bench/out/events.duckdb >/dev/null && dotnet .artifacts/cli/infercost.dll rollup --ledger bench/out/events.duckdb --format json >bench/out/events-rollup.json")
      elif [[ $tool == duckdb ]]; then
        cmd=(dotnet bench/out/peer/DuckDbPeer.dll bench/out/peer.duckdb bench/out/events-peer-$kind.sql)
      elif [[ $tool == duckdb-store ]]; then
        cmd=(dotnet bench/out/peer/DuckDbPeer.dll bench/out/peer.duckdb bench/out/events-store-$kind.sql)
      else
        cmd=(dotnet bench/out/peer/DuckDbPeer.dll bench/out/peer.duckdb bench/out/events-store-anyorder-$kind.sql)
      fi
      /usr/bin/time -f "%e %M" -o bench/out/time.txt "${cmd[@]}" >/dev/null
      cat bench/out/time.txt >> bench/out/events.times
    done
    wall=$(awk '{print $1}' bench/out/events.times | median)
    rss=$(awk '{print $2}' bench/out/events.times | median)
    echo "$kind $tool: median wall ${wall}s, $(awk -v n="$EVENTS" -v w="$wall" 'BEGIN{printf "%.0f", n/w}') events/s, median peak RSS $((rss / 1024)) MiB over $RUNS runs"
  done
done
