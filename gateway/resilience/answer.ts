import type { FetcherHeaders, FetcherResponse } from '@apollo/utils.fetcher';

/**
 * A subgraph's answer, read whole, as the data source's fetcher returns it. The body is already
 * text, so reading it again (a shared or batched call hands one answer to several callers) costs
 * nothing, and no web stream is built per call, as a `Response` would.
 */
export class SubgraphAnswer implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly url = '';

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: FetcherHeaders,
    private readonly body: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }

  json(): Promise<unknown> {
    try {
      return Promise.resolve(JSON.parse(this.body) as unknown);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(new TextEncoder().encode(this.body).buffer);
  }

  clone(): SubgraphAnswer {
    return this;
  }

  /** Any fetcher's answer, read whole (itself when it already is one). */
  static async read(response: FetcherResponse): Promise<SubgraphAnswer> {
    if (response instanceof SubgraphAnswer) return response;
    return new SubgraphAnswer(response.status, response.statusText, response.headers, await response.text());
  }

  /** The same status and headers around another body (a batched call's slice): its length and encoding no longer apply. */
  withBody(body: string): SubgraphAnswer {
    const headers = new Headers([...this.headers].filter(([name]) => name !== 'content-length' && name !== 'content-encoding'));
    return new SubgraphAnswer(this.status, this.statusText, headers, body);
  }
}
