import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The request went out on a connection that an earlier request had opened (kept alive). */
  reusedSocket: boolean;
}

/**
 * One client connection, kept alive between requests, as a gateway or a load balancer holds
 * one: what a server does with a request arriving on an already open connection is visible.
 */
export class Connection {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  /** A GraphQL operation, POSTed. */
  graphql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
    return this.send(url, 'POST', JSON.stringify({ query, variables }));
  }

  get(url: string): Promise<Answer> {
    return this.send(url, 'GET');
  }

  close(): void {
    this.agent.destroy();
  }

  private send(url: string, method: 'GET' | 'POST', body?: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { method, agent: this.agent, headers: body ? { 'content-type': 'application/json' } : {} }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: the text itself is the body.
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed, reusedSocket: outgoing.reusedSocket });
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}
