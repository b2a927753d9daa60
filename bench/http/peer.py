#!/usr/bin/env python3
"""Peer client for bench/http: the same measurement as `infercost bench` in Python asyncio + aiohttp.

Streams /v1/chat/completions with include_usage, parses every SSE event with json.loads, takes TTFT at the first
chunk carrying content. Modes:
  closed URL CONCURRENCY REQUESTS            -> "peer closed: R req/s ..."
  rate   URL RATE REQUESTS SEED              -> "peer rate: achieved A req/s of S scheduled, ttft p99 T ms"
"""
import asyncio, json, random, sys, time

import aiohttp

BODY = {
    "model": "m",
    "messages": [{"role": "user", "content": " the of and to in is that for it as with was on be at by"}],
    "max_tokens": 64,
    "stream": True,
    "stream_options": {"include_usage": True},
}


async def one(session, url):
    start = time.perf_counter()
    ttft = None
    tokens = 0
    async with session.post(url, json=BODY) as response:
        buffer = b""
        async for data in response.content.iter_any():
            buffer += data
            while b"\n\n" in buffer:
                event, buffer = buffer.split(b"\n\n", 1)
                for line in event.split(b"\n"):
                    if not line.startswith(b"data:"):
                        continue
                    payload = line[5:].strip()
                    if payload == b"[DONE]":
                        continue
                    chunk = json.loads(payload)
                    for choice in chunk.get("choices", []):
                        if choice.get("delta", {}).get("content"):
                            if ttft is None:
                                ttft = time.perf_counter() - start
                    if chunk.get("usage"):
                        tokens = chunk["usage"]["completion_tokens"]
    return ttft, time.perf_counter() - start, tokens


def pct(values, q):
    values = sorted(values)
    h = (len(values) - 1) * q
    lo = int(h)
    return values[lo] if lo + 1 >= len(values) else values[lo] + (h - lo) * (values[lo + 1] - values[lo])


async def closed(url, concurrency, requests):
    counter = iter(range(requests))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        for _ in range(min(200, requests)):  # warm-up, not timed
            await one(session, url)

        async def worker():
            for _ in counter:
                await one(session, url)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    print(f"peer closed: {requests / elapsed:.0f} req/s (concurrency {concurrency}, {requests} requests, 64 tokens each)")


async def rate(url, rps, requests, seed):
    rng = random.Random(seed)
    ttfts, tasks = [], []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        for _ in range(200):
            await one(session, url)

        async def fire():
            ttft, _, _ = await one(session, url)
            ttfts.append(ttft * 1000)

        start = time.perf_counter()
        t = 0.0
        sent, scheduled = [], []
        for _ in range(requests):
            t += rng.expovariate(rps)
            delay = start + t - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent.append(time.perf_counter() - start)
            scheduled.append(t)
            tasks.append(asyncio.create_task(fire()))
        await asyncio.gather(*tasks)
    achieved = (requests - 1) / (sent[-1] - sent[0])
    asked = (requests - 1) / (scheduled[-1] - scheduled[0])
    print(f"peer rate: achieved {achieved:.0f} req/s of {asked:.0f} scheduled, ttft p50 {pct(ttfts, 0.5):.2f} ms, p99 {pct(ttfts, 0.99):.2f} ms")


if __name__ == "__main__":
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "closed":
        asyncio.run(closed(url, int(sys.argv[3]), int(sys.argv[4])))
    else:
        asyncio.run(rate(url, float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
