/** Reads Prometheus text format back into numbers, for exact before/after comparisons. */

/** `name{a="x",b="y"}` → value, with labels in the order prom-client prints them. */
export type Samples = ReadonlyMap<string, number>;

export function parseMetrics(text: string): Samples {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

export async function scrape(port: number): Promise<Samples> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** How much each listed sample moved between two scrapes (a sample absent before counts as 0). */
export function deltas(before: Samples, after: Samples, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, (after.get(k) ?? 0) - (before.get(k) ?? 0)]));
}
