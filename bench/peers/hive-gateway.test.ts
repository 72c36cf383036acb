import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../../demo/dataset.ts';
import { loadDemoData } from '../../demo/load.ts';
import { ROOT } from '../../platform/registry.ts';
import { codes, graphql, type GraphQLResponse } from '../../test/support/client.ts';
import { startTestSupergraph } from '../../test/support/services.ts';
import { FLAGSHIP } from '../../test/e2e/flagship.ts';
import { startHiveGateway, type RunningHiveGateway } from './hive-gateway.ts';

const TALENT_NAMES = '{ talents(first: 3) { edges { node { name } } } }';

/** Whether a response carries no talents: refused, whatever code or status each gateway gives it. */
const noTalents = (response: GraphQLResponse<{ talents?: unknown } | null>) => !response.data?.talents;

describe('Hive Gateway as the benchmark peer, over the same subgraphs as Looma (demo dataset)', () => {
  let supergraph: Awaited<ReturnType<typeof startTestSupergraph>>;
  let hive: RunningHiveGateway;
  let token: string;

  beforeAll(async () => {
    supergraph = await startTestSupergraph(loadDemoData);
    await supergraph.built();
    hive = await startHiveGateway({
      supergraphSdl: readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'),
      urls: Object.fromEntries([...supergraph.subgraphs].map(([name, { service }]) => [name, service.url])),
      port: 0,
      host: '127.0.0.1',
    });
    const login = await graphql<{ login: { token: string } }>(supergraph.url, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_PASSWORD}") { token } }`);
    expect(login.errors).toBeUndefined();
    token = login.data!.login.token;
  });
  afterAll(async () => {
    await hive?.stop();
    await supergraph?.stop();
  });

  it('answers the flagship query for the demo admin exactly as Looma’s gateway does', async () => {
    const looma = await graphql(supergraph.url, FLAGSHIP, { first: 5 }, token);
    const throughHive = await graphql(hive.url, FLAGSHIP, { first: 5 }, token);
    expect(looma.errors).toBeUndefined();
    expect((looma.data as { talents: { edges: unknown[] } }).talents.edges).toHaveLength(5);
    expect(throughHive).toEqual(looma);
  });

  it('refuses an anonymous request for talents, as Looma’s gateway does', async () => {
    const looma = await graphql<{ talents?: unknown }>(supergraph.url, TALENT_NAMES);
    const throughHive = await graphql<{ talents?: unknown }>(hive.url, TALENT_NAMES);
    expect(noTalents(looma)).toBe(true);
    expect(noTalents(throughHive)).toBe(true);
    expect(codes(throughHive)).toEqual(codes(looma));
  });

  it('fails a request whose token does not verify with 401, as Looma’s gateway does', async () => {
    const forged = `${token.slice(0, -4)}AAAA`;
    const send = async (url: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
        body: JSON.stringify({ query: TALENT_NAMES }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse<{ talents?: unknown }> };
    };
    const looma = await send(supergraph.url);
    const throughHive = await send(hive.url);
    expect(throughHive.status).toBe(401);
    expect(looma.status).toBe(401);
    expect(codes(throughHive.body)).toEqual(['UNAUTHENTICATED']);
    expect(codes(looma.body)).toEqual(['UNAUTHENTICATED']);
    expect(noTalents(throughHive.body)).toBe(true);
  });

  it('never shares one subgraph answer between callers: identical queries in flight at once keep their own identities', async () => {
    // Hive deduplicates identical in-flight subgraph queries; the credential must be part of what makes them identical.
    const rounds = await Promise.all(
      Array.from({ length: 10 }, (_unused, round) => graphql<{ talents?: unknown }>(hive.url, TALENT_NAMES, {}, round % 2 === 0 ? token : undefined)),
    );
    rounds.forEach((response, round) => {
      if (round % 2 === 0) expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      else expect(noTalents(response)).toBe(true);
    });
  });

  it('refuses to start unless every subgraph of the supergraph has a URL', async () => {
    const urls = Object.fromEntries([...supergraph.subgraphs].filter(([name]) => name !== 'jobs').map(([name, { service }]) => [name, service.url]));
    const supergraphSdl = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');
    await expect(startHiveGateway({ supergraphSdl, urls, port: 0, host: '127.0.0.1' })).rejects.toThrow('No URL for the subgraphs jobs');
  });
});
