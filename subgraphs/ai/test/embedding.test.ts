import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliasMap } from '../../../platform/text-analysis.ts';
import { cosine } from '../embedding/embedder.ts';
import { HashingEmbedder } from '../embedding/hashing.ts';
import { OpenAiEmbedder } from '../embedding/openai.ts';

const skills = aliasMap([
  { name: 'JavaScript', aliases: ['js'] },
  { name: 'Kubernetes', aliases: ['k8s'] },
  { name: 'Machine Learning', aliases: ['ml'] },
]);

describe('the built-in hashing embedder', () => {
  const embedder = new HashingEmbedder({ skills: () => skills });
  const similarity = async (a: string, b: string) => {
    const [x, y] = await embedder.embed([a, b]);
    return cosine(x!, y!);
  };

  it('makes unit vectors of its dimension, the same for the same text on every run', async () => {
    const [first] = await embedder.embed(['Senior TypeScript engineer']);
    const [again] = await new HashingEmbedder({ skills: () => skills }).embed(['Senior TypeScript engineer']);
    expect(first).toHaveLength(384);
    expect(Math.hypot(...first!)).toBeCloseTo(1, 10);
    expect(again).toEqual(first);
    expect(embedder.model).toBe('hashing-v1-384');
  });

  it('puts texts about the same work closer than texts about other work', async () => {
    const backend = 'Backend engineer building GraphQL APIs in TypeScript and PostgreSQL';
    expect(await similarity(backend, 'TypeScript developer, GraphQL services on PostgreSQL')).toBeGreaterThan(
      await similarity(backend, 'Registered nurse caring for patients in a hospital ward'),
    );
  });

  it('knows skills by any of their names, through the taxonomy', async () => {
    expect(await similarity('js and k8s', 'JavaScript and Kubernetes')).toBeGreaterThan(await similarity('js and k8s', 'Python and Terraform'));
    expect(await similarity('ml engineer', 'machine learning engineer')).toBeGreaterThan(0.5);
  });

  it('reads Chinese as character pairs, and shrugs off a typo', async () => {
    expect(await similarity('高级 Java 工程师', '招聘高级Java工程师')).toBeGreaterThan(await similarity('高级 Java 工程师', '市场营销经理'));
    // The misspelt word still shares most of its character trigrams.
    expect(await similarity('kubernetes operator', 'kubernetis operator')).toBeGreaterThan(await similarity('kubernetes operator', 'terraform operator'));
  });
});

describe('the OpenAI-compatible embedder', () => {
  let server: Server;
  let baseUrl: string;
  const requests: { path: string; authorization?: string; body: { model: string; input: string[] } }[] = [];
  let answer: (input: string[]) => unknown = (input) => ({ data: input.map((_, index) => ({ index, embedding: [3, 4] })).reverse() });

  beforeAll(async () => {
    server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        const body = JSON.parse(raw) as { model: string; input: string[] };
        requests.push({ path: request.url!, authorization: request.headers.authorization, body });
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(answer(body.input)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts batches to /embeddings with the model and key, and answers unit vectors in input order', async () => {
    const embedder = new OpenAiEmbedder({ baseUrl, apiKey: 'sk-test', model: 'text-embedding-3-small', timeoutMs: 2_000, batchSize: 2 });
    const vectors = await embedder.embed(['a', 'b', 'c']);
    expect(vectors).toEqual([
      [0.6, 0.8],
      [0.6, 0.8],
      [0.6, 0.8],
    ]);
    expect(requests.map((request) => [request.path, request.authorization, request.body.model, request.body.input])).toEqual([
      ['/v1/embeddings', 'Bearer sk-test', 'text-embedding-3-small', ['a', 'b']],
      ['/v1/embeddings', 'Bearer sk-test', 'text-embedding-3-small', ['c']],
    ]);
    expect(embedder.model).toBe('openai:text-embedding-3-small');
  });

  it('fails clearly when the endpoint answers something else, or nothing', async () => {
    answer = () => ({ data: [{ index: 0, embedding: ['x'] }] });
    const embedder = new OpenAiEmbedder({ baseUrl, model: 'm', timeoutMs: 2_000 });
    await expect(embedder.embed(['a'])).rejects.toThrow(`The embeddings endpoint at ${baseUrl}/embeddings answered something that is not 1 embeddings`);
    await expect(new OpenAiEmbedder({ baseUrl: 'http://127.0.0.1:9', model: 'm', timeoutMs: 500 }).embed(['a'])).rejects.toThrow(
      'The embeddings endpoint at http://127.0.0.1:9/embeddings did not answer',
    );
  });
});
