#!/usr/bin/env python3
"""Writes an N-row contract CSV for the curve benchmark: the import benchmark's shape plus gpuType/gpuCount on the
capacity routes, and every 10th row without costUsd (so modeled cost is exercised). Deterministic.
Usage: generate.py N OUT.csv"""
import sys
n, out = int(sys.argv[1]), sys.argv[2]
routes = ["Managed frontier API", "Hosted open-weight serverless", "Dedicated endpoint", "Self-hosted GPU stack"]
workloads = ["support-policy", "invoice-review", "coding-agent-maintenance", "browser-extraction"]
with open(out, "w") as f:
    f.write("route,provider,model,workload,inputTokens,outputTokens,cacheHitRate,batchEligible,concurrency,ttftMs,latencyP50Ms,latencyP95Ms,outputTokensPerSecond,acceptedOutputRate,costUsd,reviewMinutes,requests,latencyP99Ms,retryRate,gpuType,gpuCount\n")
    for i in range(n):
        r = i % 4; w = (i // 4) % 4; c = 1 << (i % 6)
        ttft = 300 + i % 700; p50 = ttft + 2000 + i % 900; p95 = p50 + 3000 + i % 1300
        cost = "" if i % 10 == 0 else f"{(i % 1000) / 100000}"
        gpu = "H100,1" if r >= 2 else ","
        f.write(f"{routes[r]},provider-{r},model-{r}-{i % 3},{workloads[w]},{2000 + i % 5000},{200 + i % 900},{(i % 100) / 100},{'true' if i % 3 == 0 else 'false'},{c},{ttft},{p50},{p95},{40 + i % 80},{(50 + i % 50) / 100},{cost},{(i % 60) / 10},{100 + i % 900},{p95 + 500},{(i % 10) / 100},{gpu}\n")
