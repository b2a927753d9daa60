#!/usr/bin/env bash
# Simulation benchmark: the issue's M/M/c case (λ = 8/s, mean service 1,000 ms, 10 replicas) in the C# simulator
# and in SimPy (Debian's python3-simpy), both pinned to one core. Prints one line per run, a median per engine and
# the ratio. Usage: bench/simulation/run.sh [csharp-requests=10000000] [simpy-requests=200000] [runs=5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cs_requests="${1:-10000000}"
py_requests="${2:-200000}"
runs="${3:-5}"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

dotnet build "$root/bench/simulation/SimBench/SimBench.csproj" -c Release -o "$root/bench/out/simbench" -nologo -v quiet -clp:ErrorsOnly >&2
cs_line=$("${pin[@]}" dotnet "$root/bench/out/simbench/SimBench.dll" "$cs_requests" "$runs" | tee /dev/stderr | tail -1)
py_line=$("${pin[@]}" /usr/bin/python3 "$root/bench/simulation/mmc_simpy.py" "$py_requests" "$runs" | tee /dev/stderr | tail -1)
cs=$(awk '{print $3}' <<<"$cs_line")
py=$(awk '{print $3}' <<<"$py_line")
echo "$cs_line"
echo "$py_line"
awk -v a="$cs" -v b="$py" 'BEGIN { printf "ratio: %.1fx (csharp / simpy)\n", a / b }'
