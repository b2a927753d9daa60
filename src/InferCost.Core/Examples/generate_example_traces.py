#!/usr/bin/env python3
"""Generates example-traces.csv, the demo's richer example (deterministic: no randomness).

Four workloads, several routes each, several concurrency levels, `requests` counts, p99, retry rates,
utilization for capacity routes, fallback routes, and per-workload p95 targets (targetP95Ms):
- support-policy (target 9 s): all four playbook routes; the dedicated endpoint wins at high concurrency.
- invoice-review (target 20 s, batch-eligible): serverless vs managed vs self-hosted.
- browser-extraction (target 2.5 s): no route meets the target -> the report says "none" and why.
- Two rows give no costUsd (a real catalog model on each): their cost is modeled from catalog/prices.json, one of
  them batch-eligible, so it is priced in the provider's batch lane.
- coding-agent-maintenance (target 30 s): a small sample (20 outputs) and a model with 0 acceptance
  (cost per accepted output is null, with a reason).
Run: python3 generate_example_traces.py > example-traces.csv
"""
import csv, sys

FIELDS = ["route", "provider", "model", "workload", "inputTokens", "outputTokens", "cacheHitRate", "batchEligible",
          "concurrency", "ttftMs", "latencyP50Ms", "latencyP95Ms", "outputTokensPerSecond", "acceptedOutputRate",
          "costUsd", "reviewMinutes", "requests", "latencyP99Ms", "retryRate", "utilization", "fallbackRoute",
          "gpuType", "targetP95Ms"]

def row(route, provider, model, workload, inp, out, cache, batch, conc, ttft, p50, p95, p99, tps, acc, cost, review,
        requests, retry, util="", fallback="", gpu="", target=""):
    return dict(route=route, provider=provider, model=model, workload=workload, inputTokens=inp, outputTokens=out,
                cacheHitRate=cache, batchEligible=batch, concurrency=conc, ttftMs=ttft, latencyP50Ms=p50,
                latencyP95Ms=p95, outputTokensPerSecond=tps, acceptedOutputRate=acc, costUsd=cost,
                reviewMinutes=review, requests=requests, latencyP99Ms=p99, retryRate=retry, utilization=util,
                fallbackRoute=fallback, gpuType=gpu, targetP95Ms=target)

rows = []
W = "support-policy"
for conc, (ttft, p50, p95, p99, tps) in {4: (520, 2900, 5200, 7400, 92), 16: (610, 3300, 6900, 9800, 84), 32: (790, 4100, 9900, 14100, 71)}.items():
    rows.append(row("Managed frontier API", "OpenAI", "frontier-mini", W, 2800, 520, 0.62, "false", conc, ttft, p50, p95, p99, tps, 0.91, 0.0041, 0.9, 400, 0.02, target=9000))
for conc, (ttft, p50, p95, p99, tps) in {4: (380, 3000, 6100, 9900, 88), 16: (450, 3500, 8200, 13500, 76), 32: (700, 4700, 12800, 21000, 58)}.items():
    rows.append(row("Hosted open-weight serverless", "Together AI", "llama-3.3-70b-instruct-turbo", W, 2800, 540, 0.30, "false", conc, ttft, p50, p95, p99, tps, 0.83, 0.0019, 1.6, 400, 0.05,
                    fallback="Managed frontier API", target=9000))
for conc, (ttft, p50, p95, p99, tps, util) in {4: (300, 2500, 4300, 6000, 108, 0.18), 16: (340, 2800, 5200, 7100, 101, 0.46), 32: (420, 3100, 6300, 8800, 95, 0.81)}.items():
    rows.append(row("Dedicated endpoint", "Fireworks", "qwen2.5-72b-instruct", W, 2800, 520, 0.55, "false", conc, ttft, p50, p95, p99, tps, 0.86, round(0.0052 * 32 / conc, 5), 1.2, 600, 0.01,
                    util=util, fallback="Managed frontier API", gpu="H100", target=9000))
for conc, (ttft, p50, p95, p99, tps, util) in {16: (360, 3000, 6000, 8900, 97, 0.52), 32: (450, 3400, 7600, 11800, 90, 0.74)}.items():
    rows.append(row("Self-hosted GPU stack", "vLLM on cloud GPUs", "llama-3.1-70b-instruct-fp8", W, 2800, 530, 0.48, "false", conc, ttft, p50, p95, p99, tps, 0.84, round(0.0031 * 32 / conc, 5), 1.4, 500, 0.02,
                    util=util, fallback="Managed frontier API", gpu="H100", target=9000))
rows.append(row("Hosted open-weight serverless", "Fireworks", "llama-v3p3-70b-instruct", W, 2800, 530, 0.50, "false", 16, 420, 3200, 7900, 12400, 80, 0.82, "", 1.7, 400, 0.04,
                fallback="Managed frontier API", target=9000))

W = "invoice-review"
for conc, (p50, p95, p99) in {8: (6100, 11800, 16900), 32: (7900, 17200, 26400)}.items():
    rows.append(row("Hosted open-weight serverless", "Together AI", "qwen2.5-72b-instruct", W, 4100, 720, 0.10, "true", conc, 820, p50, p95, p99, 74 if conc == 8 else 61, 0.78, 0.0041, 3.6, 800, 0.03,
                    fallback="Managed frontier API", target=20000))
    rows.append(row("Managed frontier API", "Anthropic", "frontier-sonnet", W, 4100, 690, 0.45, "true", conc, 940, p50 + 600, p95 + 1400, p99 + 2100, 66 if conc == 8 else 58, 0.92, 0.0188, 2.1, 800, 0.01, target=20000))
    rows.append(row("Self-hosted GPU stack", "vLLM on cloud GPUs", "qwen2.5-72b-instruct-awq", W, 4100, 730, 0.22, "true", conc, 700, p50 - 300, p95 - 500, p99 - 200, 81 if conc == 8 else 70, 0.76, round(0.0066 * 32 / conc, 5), 3.8, 800, 0.02,
                    util=0.2 if conc == 8 else 0.63, fallback="Managed frontier API", gpu="H100", target=20000))
rows.append(row("Managed frontier API", "OpenAI", "gpt-4.1-mini", W, 4100, 700, 0.40, "true", 8, 900, 6400, 12600, 17800, 70, 0.74, "", 3.6, 800, 0.02, target=20000))

W = "browser-extraction"
for conc, (ttft, p50, p95, p99) in {1: (600, 1900, 3400, 4600), 4: (720, 2300, 4100, 6200)}.items():
    rows.append(row("Managed frontier API", "OpenAI", "frontier-mini", W, 9600, 310, 0.40, "false", conc, ttft, p50, p95, p99, 95, 0.88, 0.0061, 0.4, 300, 0.04, target=2500))
    rows.append(row("Hosted open-weight serverless", "Fireworks", "llama-3.1-8b-instruct", W, 9600, 330, 0.05, "false", conc, ttft - 250, p50 - 100, p95 + 600, p99 + 1500, 160, 0.61, 0.0012, 0.9, 300, 0.09, target=2500))

W = "coding-agent-maintenance"
for conc, (p50, p95, p99) in {2: (13100, 24800, 33900), 4: (14800, 28200, 39100)}.items():
    rows.append(row("Managed frontier API", "OpenAI", "frontier-reasoning", W, 6200, 1200, 0.35, "false", conc, 1900, p50, p95, p99, 48, 0.84, 0.215, 3.5, 120, 0.06, target=30000))
rows.append(row("Hosted open-weight serverless", "Together AI", "deepseek-v3", W, 6200, 1350, 0.20, "false", 4, 1500, 15900, 27400, 41800, 41, 0.71, 0.021, 5.5, 20, 0.11,
                fallback="Managed frontier API", target=30000))
rows.append(row("Hosted open-weight serverless", "Together AI", "open-small-8b", W, 6200, 1500, 0.20, "false", 4, 400, 6100, 9800, 12500, 150, 0.0, 0.0021, 1.0, 60, 0.0,
                fallback="Managed frontier API", target=30000))

w = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
w.writeheader()
w.writerows(rows)
