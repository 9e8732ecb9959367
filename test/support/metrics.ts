// Reading an instance's /metrics (Prometheus text) the way a scraper would.

/**
 * The value of one sample of `${baseUrl}/metrics`, named as it is written there (`name` or
 * `name{label="value"}`); 0 when absent (a counter not incremented yet has no line).
 */
export async function metricValue(baseUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}
