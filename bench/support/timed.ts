/** What `timed` measured: how many requests, and the median, 95th percentile and slowest time in ms. */
export interface Timing {
  runs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Sends `times` requests one after another through `run`, reading each body to its end, and
 * times each one. Throws on the first answer that is not 2xx: a benchmark of errors measures nothing.
 */
export async function timed(times: number, run: () => Promise<Response>): Promise<Timing> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const res = await run();
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`status ${res.status}`);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Number(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(1));
  return { runs: times, medianMs: at(0.5), p95Ms: at(0.95), maxMs: Number(ms[ms.length - 1]!.toFixed(1)) };
}
