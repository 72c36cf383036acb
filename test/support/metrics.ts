/** One sample of Prometheus' text format: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples in a /metrics text, and the metric names its `# TYPE` lines declare (histograms without their suffixes). */
export function parseMetrics(text: string): { samples: Sample[]; names: Set<string> } {
  const samples: Sample[] = [];
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const declared = /^# TYPE (\S+) /.exec(line);
    if (declared) names.add(declared[1]!);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return { samples, names };
}

/** What a service's /metrics endpoint exposes now. */
export async function scrape(baseUrl: string): Promise<{ samples: Sample[]; names: Set<string> }> {
  return parseMetrics(await (await fetch(new URL('/metrics', baseUrl))).text());
}

/** Sums every sample of a Prometheus metric scraped from a service's /metrics endpoint. */
export async function scrapeTotal(baseUrl: string, metric: string): Promise<number> {
  const { samples } = await scrape(baseUrl);
  return samples.filter((sample) => sample.name === metric).reduce((total, sample) => total + sample.value, 0);
}
