-- Peer for `infercost curve`: the aggregations curve needs, in raw DuckDB SQL on the same ledger file:
-- per-group sums, token sums for modeled cost (per provider/model/batch/has-cost), and GPU per group.
SELECT route, provider, model, workload, concurrency, count(*), sum(coalesce(requests,1) * acceptedOutputRate),
       sum(coalesce(requests,1) * costUsd), max(latencyP95Ms), sum(coalesce(requests,1) * outputTokensPerSecond * concurrency * acceptedOutputRate)
FROM trace_rows GROUP BY ALL;
SELECT route, provider, model, workload, concurrency, batchEligible, costUsd IS NOT NULL,
       sum(coalesce(requests,1) * (1 + coalesce(retryRate,0)) * greatest(inputTokens - least(inputTokens, coalesce(cachedInputTokens, inputTokens * cacheHitRate)) - coalesce(cacheWriteTokens,0), 0)),
       sum(coalesce(requests,1) * (1 + coalesce(retryRate,0)) * least(inputTokens, coalesce(cachedInputTokens, inputTokens * cacheHitRate))),
       sum(coalesce(requests,1) * (1 + coalesce(retryRate,0)) * outputTokens)
FROM trace_rows GROUP BY ALL;
SELECT route, provider, model, workload, concurrency, min(gpuType), max(gpuCount) FROM trace_rows GROUP BY ALL;
