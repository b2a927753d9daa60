#!/usr/bin/env bash
# HTTP benchmark: `infercost bench` against `infercost emulate` with zero delays (64 streamed tokens per response),
# beside a Python asyncio + aiohttp client (Debian's python3-aiohttp) doing the same against the same emulator.
# Figures: the most streamed requests/s each client sustains (closed loop), and at a 1,000 req/s Poisson target the
# achieved rate and the client-added latency (measured TTFT − injected TTFT 0 ms, p99).
# Usage: bench/http/run.sh [closed-requests=20000] [rate-requests=10000] [concurrency=64]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
closed_requests="${1:-20000}"
rate_requests="${2:-10000}"
concurrency="${3:-64}"
port=18555
out="$root/bench/out/http"
mkdir -p "$out"

if ! /usr/bin/python3 -c 'import aiohttp' 2>/dev/null; then
  (apt-get update -qq && apt-get install -y -qq python3-aiohttp) >&2
fi
"$root/infercost" --help >/dev/null   # builds the CLI (Release) when sources changed

"$root/infercost" emulate --port "$port" --output-tokens 64 >"$out/emulator.log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q Emulating "$out/emulator.log" 2>/dev/null && break; sleep 0.2; done
url="http://127.0.0.1:$port/v1"

# Closed loop: the most requests/s each client sustains.
"$root/infercost" bench --endpoint "$url" --model m --route self-hosted --synthetic "isl=16,osl=64" \
  --concurrency "$concurrency" --requests "$closed_requests" --warmup 1000 --quiet --out "$out/closed" >/dev/null
python3 - "$out/closed/summary.json" "$concurrency" "$closed_requests" <<'PY'
import json, sys
level = json.load(open(sys.argv[1]))["levels"][0]
print(f"infercost closed: {level['throughputRequestsPerSecond']:.0f} req/s (concurrency {sys.argv[2]}, {sys.argv[3]} requests, 64 tokens each, errors {level['attempts'] - level['succeeded']})")
PY
/usr/bin/python3 "$root/bench/http/peer.py" closed "$url/chat/completions" "$concurrency" "$closed_requests"

# Open loop at 1,000 req/s Poisson.
"$root/infercost" bench --endpoint "$url" --model m --route self-hosted --synthetic "isl=16,osl=64" \
  --rate 1000 --requests "$rate_requests" --warmup 500 --quiet --out "$out/rate" >/dev/null
python3 - "$out/rate/summary.json" "$out/rate/events.jsonl" <<'PY'
import json, sys
level = json.load(open(sys.argv[1]))["levels"][0]
ttft = sorted(json.loads(l)["ttftMs"] for l in open(sys.argv[2]) if '"ttftMs"' in l)
def pct(v, q):
    h = (len(v) - 1) * q; lo = int(h)
    return v[lo] if lo + 1 >= len(v) else v[lo] + (h - lo) * (v[lo + 1] - v[lo])
print(f"infercost rate: achieved {level['achievedRatePerSecond']:.0f} req/s of {level['scheduledRatePerSecond']:.0f} scheduled "
      f"(target 1000), schedule lag p99 {level['scheduleLagP99Ms']:.2f} ms, ttft p50 {pct(ttft, 0.5):.2f} ms, p99 {pct(ttft, 0.99):.2f} ms")
PY
/usr/bin/python3 "$root/bench/http/peer.py" rate "$url/chat/completions" 1000 "$rate_requests" 1
