-- wrk reports p50/p75/p90/p99 with --latency; the Studio target is a p95, so print it (and the count) at the end.
done = function(summary, latency, requests)
  io.write(string.format("p95_ms %.2f requests %d errors %d\n", latency:percentile(95) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
