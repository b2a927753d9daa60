#!/usr/bin/python3
"""The SimPy peer of the C# simulator benchmark: the same M/M/c queue (lambda = 8/s, exponential service with
mean 1 s, c = 10 servers, FIFO), written the idiomatic SimPy way: one process per customer.

Debian's python3-simpy is SimPy 2.3 (the classic SimPy.Simulation API), so that is what this uses.
Run with Debian's interpreter: /usr/bin/python3 bench/simulation/mmc_simpy.py [requests] [runs] [seed]
Prints one line per run and a median line: simulated requests per second of wall time.
"""
import math
import random
import statistics
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

LAMBDA = 8.0
MEAN_SERVICE_S = 1.0
SERVERS = 10


class Source(Process):
    def generate(self, n, counter, rng, waits):
        for _ in range(n):
            c = Customer()
            activate(c, c.visit(counter, rng, waits))
            yield hold, self, rng.expovariate(LAMBDA)


class Customer(Process):
    def visit(self, counter, rng, waits):
        arrived = now()
        yield request, self, counter
        waits.append(now() - arrived)
        yield hold, self, rng.expovariate(1.0 / MEAN_SERVICE_S)
        yield release, self, counter


def run(n, seed):
    rng = random.Random(seed)
    waits = []
    initialize()
    counter = Resource(capacity=SERVERS, name="replicas", unitName="replica")
    source = Source()
    activate(source, source.generate(n, counter, rng, waits))
    simulate(until=math.inf)
    return waits


def percentile(sorted_values, q):
    h = (len(sorted_values) - 1) * q
    lo = math.floor(h)
    if lo >= len(sorted_values) - 1:
        return sorted_values[-1]
    return sorted_values[lo] + (h - lo) * (sorted_values[lo + 1] - sorted_values[lo])


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rates = []
    for i in range(runs):
        start = time.perf_counter()
        waits = run(n, seed + i)
        elapsed = time.perf_counter() - start
        rate = n / elapsed
        rates.append(rate)
        measured = sorted(waits[n // 10:])
        wait_probability = sum(1 for w in measured if w > 0) / len(measured)
        print(f"run {i + 1}: {n} requests in {elapsed:.3f} s = {rate:.0f} simulated requests/s; "
              f"waitProbability {wait_probability:.5f}, queueWaitMeanMs {1000 * statistics.fmean(measured):.2f}, "
              f"queueWaitP95Ms {1000 * percentile(measured, 0.95):.2f}, queueWaitP99Ms {1000 * percentile(measured, 0.99):.2f}")
    print(f"simpy median: {statistics.median(rates):.0f} simulated requests/s ({runs} runs of {n} requests)")


if __name__ == "__main__":
    main()
