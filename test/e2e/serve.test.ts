import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { codes, graphql } from '../support/client.ts';
import { contractSuite } from '../support/contract.ts';
import { POSTGRES_URL, postgresTarget } from '../support/databases.ts';
import { REDIS_URL, redisTarget } from '../support/redis.ts';
import { runScript, type RunningProcess } from '../support/processes.ts';

/** The production path: each service its own process (scripts/serve.ts), the gateway on a static supergraph. */
const LISTENING = /"service":"(\w+)","url":"(http:\/\/[^"]+)"/;
const GATEWAY_SECRET = 'serve-test-gateway-secret-serve-test';
const running: RunningProcess[] = [];

async function serve(service: string, env: Record<string, string>) {
  const process = await runScript('scripts/serve.ts', [service], { PORT: '0', GATEWAY_SECRET, ...env }, LISTENING);
  running.push(process);
  return { ...process, url: process.match[2]! };
}

async function stop(process: RunningProcess) {
  process.child.kill('SIGTERM');
  expect(await process.exited).toBe(0);
}

afterAll(() => {
  for (const process of running) process.child.kill('SIGKILL');
});

describe('a subgraph run alone', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'looma-serve-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens its own embedded store, and a production gateway serves it from the committed supergraph', async () => {
    const companies = await serve('companies', { DATA_DIR: dataDir });
    const users = await serve('users', { DATA_DIR: dataDir });
    expect(existsSync(join(dataDir, 'companies'))).toBe(true);
    expect(existsSync(join(dataDir, 'users'))).toBe(true);

    const gateway = await serve('gateway', { NODE_ENV: 'production', COMPANIES_URL: companies.url, USERS_URL: users.url });
    const registered = await graphql<{ register: { token: string } }>(
      gateway.url,
      'mutation { register(input: { email: "solo@looma.dev", password: "solo-password", name: "Solo" }) { token } }',
    );
    expect(registered.errors).toBeUndefined();
    const created = await graphql<{ createCompany: { name: string } }>(gateway.url, `mutation { createCompany(input: { name: "Solo" }) { name } }`, {}, registered.data!.register.token);
    expect(created.data).toEqual({ createCompany: { name: 'Solo' } });

    const introspection = await graphql(gateway.url, '{ __schema { queryType { name } } }');
    expect(codes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const landing = await (await fetch(gateway.url, { headers: { accept: 'text/html' } })).text();
    expect(landing).toContain(encodeURIComponent('"isProd":true'));

    await stop(gateway);
    await stop(users);
    await stop(companies);
  }, 120_000);
});

contractSuite('subgraph run alone with DATABASE_URL', await postgresTarget(), () => {
  const database = `looma_serve_${randomBytes(4).toString('hex')}`;
  const admin = () => new pg.Client({ connectionString: POSTGRES_URL });
  afterAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`drop database if exists ${database} with (force)`);
    await client.end();
  });

  it('migrates its own schema in that database and serves from it', async () => {
    const client = admin();
    await client.connect();
    await client.query(`create database ${database}`);
    await client.end();
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;

    // Queried directly, without a gateway: the local-work flag lets the subgraph answer.
    const skills = await serve('skills', { DATABASE_URL: url.toString(), ALLOW_DIRECT_SUBGRAPH_CALLS: 'true' });
    const result = await graphql<{ skills: { totalCount: number } }>(skills.url, '{ skills(first: 1) { totalCount } }');
    expect(result.data).toEqual({ skills: { totalCount: 0 } });
    await stop(skills);

    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    const tables = await check.query(`select table_name from information_schema.tables where table_schema = 'skills' order by 1`);
    await check.end();
    expect(tables.rows.map((row: { table_name: string }) => row.table_name)).toContain('schema_migrations');
  }, 120_000);
});

const redisUrl = REDIS_URL;
contractSuite('sessions ended across processes', await redisTarget(), () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'looma-redis-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('the users subgraph marks a logout in Redis and the gateway refuses the token from there', async () => {
    const users = await serve('users', { DATA_DIR: dataDir, REDIS_URL: redisUrl });
    const gateway = await serve('gateway', { USERS_URL: users.url, REDIS_URL: redisUrl });
    const registered = await graphql<{ register: { token: string } }>(
      gateway.url,
      'mutation { register(input: { email: "redis@looma.dev", password: "redis-password", name: "Red" }) { token } }',
    );
    const token = registered.data!.register.token;
    expect((await graphql(gateway.url, '{ me { name } }', {}, token)).data).toEqual({ me: { name: 'Red' } });
    expect((await graphql(gateway.url, 'mutation { logout }', {}, token)).data).toEqual({ logout: true });
    const sessionId = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
    const redis = new Redis(redisUrl);
    expect(await redis.ttl(`looma:revoked-session:${sessionId}`)).toBeGreaterThan(0);
    await redis.quit();
    expect(codes(await graphql(gateway.url, '{ me { name } }', {}, token))).toEqual(['UNAUTHENTICATED']);
    await stop(gateway);
    await stop(users);
  }, 120_000);
});
