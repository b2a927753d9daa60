-- Peer for `infercost metrics`: the same GROUP BY in raw DuckDB SQL on the same ledger file.
SELECT route, provider, model, workload, concurrency, count(*), sum(coalesce(requests,1) * acceptedOutputRate),
       sum(coalesce(requests,1) * costUsd), max(latencyP95Ms)
FROM trace_rows GROUP BY ALL;
