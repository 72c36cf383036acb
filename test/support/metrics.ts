/** Sums every sample of a Prometheus metric scraped from a service's /metrics endpoint. */
export async function scrapeTotal(baseUrl: string, metric: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
