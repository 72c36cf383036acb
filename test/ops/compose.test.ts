import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRegistry, ROOT } from '../../platform/registry.ts';

/** The production stack's files, read as Docker Compose, Prometheus and Grafana read them. */
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  stop_grace_period?: string;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string | number | boolean | null>;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
}

const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const services = Object.entries(compose.services);
const subgraphs = loadRegistry().subgraphs;
/** Looma's own services: the ones built from this repository (the gateway and every subgraph). */
const looma = services.filter(([, service]) => service.build !== undefined).map(([name]) => name);
const environment = (name: string) => compose.services[name]?.environment ?? {};

/** `${VAR:?message}`: compose refuses to start while VAR is unset or empty. */
const REQUIRED = /\$\{([A-Z][A-Z0-9_]*):\?[^}]+\}/g;
/** A secret an optional feature needs (Zervigo's), passed through from .env and empty when unset. */
const OPTIONAL = /^\$\{([A-Z][A-Z0-9_]*):-\}$/;
const SECRET_KEY = /SECRET|PASSWORD|TOKEN|API_KEY|_AUTH$/;

describe('docker-compose.yml', () => {
  it('runs the gateway and every subgraph of supergraph.yaml, each from this repository, nothing else', () => {
    expect(looma.sort()).toEqual(['gateway', ...subgraphs.map((subgraph) => subgraph.name)].sort());
  });

  it("gives each Looma service time to drain and close its stores before Docker kills it (SHUTDOWN_GRACE_MS, 10 s, and more)", () => {
    const hurried = looma.filter((name) => compose.services[name]?.stop_grace_period !== '20s');
    expect(hurried).toEqual([]);
  });

  it('gives every service a healthcheck', () => {
    const without = services.filter(([, service]) => !service.healthcheck?.test || service.healthcheck.disable).map(([name]) => name);
    expect(without).toEqual([]);
  });

  it('gives every depends_on entry a condition, on a service that exists', () => {
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    for (const [name, service] of services) {
      if (service.depends_on === undefined) continue;
      expect(Array.isArray(service.depends_on), `${name}: depends_on as a list has no conditions`).toBe(false);
      for (const [dependency, entry] of Object.entries(service.depends_on)) {
        expect(compose.services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
        expect(conditions, `${name} → ${dependency}`).toContain(entry.condition);
      }
    }
  });

  it('declares every named volume a service mounts, and every file it bind-mounts exists', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
        if (/^[./~]/.test(source)) expect(existsSync(resolve(ROOT, source)), `${name} mounts ${source}`).toBe(true);
        else expect(declared, `${name} mounts the volume ${source}`).toContain(source);
      }
    }
  });

  it('runs each subgraph on the port of its routing_url, and the gateway reaches each at <NAME>_URL', () => {
    for (const subgraph of subgraphs) {
      expect(compose.services[subgraph.name]?.command).toEqual([subgraph.name]);
      expect(Number(environment(subgraph.name).PORT), `${subgraph.name}'s PORT`).toBe(subgraph.port);
      expect(environment('gateway')[`${subgraph.name.toUpperCase()}_URL`]).toBe(`http://${subgraph.name}:${subgraph.port}/graphql`);
    }
    expect(compose.services.gateway?.command).toEqual(['gateway']);
    expect(Number(environment('gateway').PORT)).toBe(9000);
  });

  it('holds no literal secret: each comes from .env as a required ${VAR:?…} (or an optional feature\'s ${VAR:-}), which .env.example documents without a value', () => {
    const example = read('.env.example');
    const required = new Set<string>();
    const optional = new Set<string>();
    for (const [name, service] of services) {
      for (const [key, raw] of Object.entries(service.environment ?? {})) {
        const value = String(raw ?? '');
        for (const [, variable] of value.matchAll(REQUIRED)) required.add(variable!);
        const optionalSecret = OPTIONAL.exec(value)?.[1];
        if (SECRET_KEY.test(key) && optionalSecret) optional.add(optionalSecret);
        else if (SECRET_KEY.test(key)) {
          // The whole value is one required variable, after at most a user name (NEO4J_AUTH: neo4j/…).
          expect(value, `${name}: ${key}`).toMatch(/^(?:[a-z0-9]+\/)?\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}$/);
        }
        // A password in a URL is a required variable too.
        const inUrl = /:\/\/[^:/@]+:([^@]+)@/.exec(value);
        if (inUrl) expect(inUrl[1], `${name}: ${key}`).toMatch(/^\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}$/);
      }
    }
    expect([...required].sort()).toEqual(['GATEWAY_SECRET', 'GRAFANA_ADMIN_PASSWORD', 'NEO4J_PASSWORD', 'POSTGRES_PASSWORD']);
    expect([...optional].sort()).toEqual(['ZERVIGO_JWT_SECRET', 'ZERVIGO_SERVICE_TOKEN']);
    for (const variable of [...required, ...optional]) {
      expect(example, `.env.example documents ${variable}`).toMatch(new RegExp(`^# ${variable}=$`, 'm'));
      expect(example, `.env.example gives ${variable} no value`).not.toMatch(new RegExp(`^${variable}=`, 'm'));
    }
  });

  it('keeps .env out of git and out of the image', () => {
    expect(spawnSync('git', ['check-ignore', '-q', '.env'], { cwd: ROOT }).status).toBe(0);
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });
});

describe('Prometheus and Grafana', () => {
  const prometheus = parse(read('ops/prometheus/prometheus.yml')) as {
    global?: { scrape_interval?: string };
    scrape_configs: { job_name: string; metrics_path?: string; scrape_interval?: string; static_configs: { targets: string[] }[] }[];
  };

  it("scrapes every Looma service at /metrics every 15 s, at the service's compose host name and port", () => {
    const scraped: string[] = [];
    for (const job of prometheus.scrape_configs) {
      expect(job.metrics_path ?? '/metrics').toBe('/metrics');
      expect(job.scrape_interval ?? prometheus.global?.scrape_interval).toBe('15s');
      for (const target of job.static_configs.flatMap((config) => config.targets)) {
        const [host, port] = target.split(':');
        expect(compose.services, `scrape target ${target}`).toHaveProperty(host!);
        expect(Number(port), `scrape target ${target}`).toBe(Number(environment(host!).PORT));
        scraped.push(host!);
      }
    }
    expect(scraped.sort()).toEqual([...looma].sort());
  });

  it('mounts its configuration read-only and checks readiness at /-/ready', () => {
    const service = compose.services.prometheus!;
    expect(service.volumes).toContain('./ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(JSON.stringify(service.healthcheck?.test)).toContain('/-/ready');
  });

  it('provisions Grafana with that Prometheus and the repository dashboard, after Prometheus is healthy', () => {
    const grafana = compose.services.grafana!;
    expect(grafana.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
    expect(JSON.stringify(grafana.healthcheck?.test)).toContain('/api/health');
    expect(environment('grafana').GF_SECURITY_ADMIN_PASSWORD).toBe('${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD}');

    const datasources = parse(read('ops/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; type: string; url: string }[] };
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = parse(read('ops/grafana/provisioning/dashboards/looma.yml')) as { providers: { options: { path: string } }[] };
    const mounts = (grafana.volumes ?? []).map(String);
    expect(mounts).toContain('./ops/grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(mounts).toContain(`./ops/grafana/dashboards:${providers.providers[0]!.options.path}:ro`);

    const dashboard = JSON.parse(read('ops/grafana/dashboards/looma.json')) as { uid: string; panels: { datasource?: { uid: string } }[] };
    expect(dashboard.uid).toBe('looma');
    expect(new Set(dashboard.panels.map((panel) => panel.datasource?.uid ?? 'prometheus'))).toEqual(new Set(['prometheus']));
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; scripts: Record<string, string> };

  it('installs production dependencies in one stage and runs as node from another, tsx among those dependencies', () => {
    expect(dockerfile).toMatch(/^FROM \S+ AS deps$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(dockerfile).toMatch(/^FROM \S+ AS runtime$/m);
    expect(dockerfile).toMatch(/^COPY --from=deps \/app\/node_modules /m);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    // node itself as PID 1: docker stop's SIGTERM must reach the service's graceful shutdown (npx would not pass it on),
    // with the heap sizes npm start runs with.
    const heapFlags = manifest.scripts.start!.match(/--max-[a-z-]+=\d+/g) ?? [];
    expect(heapFlags).not.toHaveLength(0);
    const entrypoint = ['node', ...heapFlags, '--import', 'tsx', 'scripts/serve.ts'].map((part) => `"${part}"`).join(', ');
    expect(runtime.split('\n')).toContain(`ENTRYPOINT [${entrypoint}]`);
    expect(runtime).toMatch(/^CMD \["gateway"\]$/m);
    expect(manifest.dependencies).toHaveProperty('tsx');
  });
});

/** Which compose client there is: the docker CLI's plugin, or the standalone docker-compose. */
function composeClient(): string[] | null {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    if (spawnSync(command[0]!, [...command.slice(1), 'version'], { stdio: 'ignore' }).status === 0) return command;
  }
  return null;
}
const client = composeClient();

describe.skipIf(!client)(`docker compose config${client ? '' : ' — no docker compose client on PATH, skipped'}`, () => {
  const secrets = { GATEWAY_SECRET: 'a'.repeat(64), NEO4J_PASSWORD: 'b'.repeat(32), POSTGRES_PASSWORD: 'c'.repeat(32), GRAFANA_ADMIN_PASSWORD: 'd'.repeat(32) };

  /** Runs `compose config -q` with only these secrets, whatever .env or the shell holds. */
  function config(variables: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'looma-compose-'));
    try {
      const envFile = join(dir, 'env');
      writeFileSync(envFile, Object.entries(variables).map(([key, value]) => `${key}=${value}\n`).join(''));
      const [command, ...args] = client!;
      const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !(key in secrets)));
      return spawnSync(command!, [...args, '--env-file', envFile, '-f', resolve(ROOT, 'docker-compose.yml'), 'config', '-q'], {
        cwd: ROOT,
        env: inherited,
        encoding: 'utf8',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  it('accepts the file with every secret set', () => {
    const result = config(secrets);
    expect(result.status, result.stderr).toBe(0);
  });

  it('refuses it while a secret is unset, naming it', () => {
    const { GRAFANA_ADMIN_PASSWORD: _unset, ...others } = secrets;
    const result = config(others);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('GRAFANA_ADMIN_PASSWORD');
  });
});
