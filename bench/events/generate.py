#!/usr/bin/env python3
"""Writes N request events as CSV and JSON Lines for the events benchmark. Deterministic.
Usage: generate.py N OUT.csv OUT.jsonl
16 groups (4 routes/models x 4 workloads) at 4 logged concurrencies; ~2% failures; a third judged."""
import sys

n, out_csv, out_jsonl = int(sys.argv[1]), sys.argv[2], sys.argv[3]
routes = ["managed", "serverless", "dedicated", "self-hosted"]
workloads = ["support", "invoice", "coding", "extraction"]
statuses = ["ok"] * 48 + ["error", "timeout"]
accepted = ["true", "false", ""]
header = "requestId,startedAt,latencyMs,route,provider,model,workload,inputTokens,cachedInputTokens,outputTokens,ttftMs,status,attempt,accepted,costUsd,concurrency"
t0 = 1795341600000
with open(out_csv, "w") as c, open(out_jsonl, "w") as j:
    c.write(header + "\n")
    lines_c, lines_j = [], []
    for i in range(n):
        r = i % 4; w = (i >> 2) % 4; conc = 1 << ((i >> 4) % 4)
        lat = 200 + (i * 7919) % 9000 + ((i * 31) % 1000) / 1000
        ttft = 50 + (i * 104729) % 150
        inp = 500 + (i * 13) % 3000; cached = (inp * ((i * 17) % 100)) // 100
        out = 20 + (i * 29) % 600
        st = statuses[(i * 37) % 50]
        acc = accepted[(i * 11) % 3] if st == "ok" else ""
        cost = ((i * 97) % 5000) / 1e6
        start = t0 + i * 3
        lines_c.append(f"r{i},{start},{lat},{routes[r]},provider-{r},model-{r},{workloads[w]},{inp},{cached},{out},{ttft},{st},1,{acc},{cost},{conc}\n")
        a = acc if acc else "null"
        lines_j.append(f'{{"requestId":"r{i}","startedAt":{start},"latencyMs":{lat},"route":"{routes[r]}","provider":"provider-{r}","model":"model-{r}","workload":"{workloads[w]}","inputTokens":{inp},"cachedInputTokens":{cached},"outputTokens":{out},"ttftMs":{ttft},"status":"{st}","attempt":1,"accepted":{a},"costUsd":{cost},"concurrency":{conc}}}\n')
        if len(lines_c) == 100000:
            c.writelines(lines_c); j.writelines(lines_j); lines_c.clear(); lines_j.clear()
    c.writelines(lines_c); j.writelines(lines_j)
