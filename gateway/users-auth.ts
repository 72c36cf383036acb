import { request } from 'undici';
import { signGatewayCredential, type SessionLiveness, type Viewer } from '../platform/auth/index.ts';
import { badCredential } from '../platform/auth/credential-error.ts';

/**
 * Asks the users subgraph, which owns sessions and API keys, as the gateway. Sent with undici's
 * `request` on its kept-alive connections: it is asked on every signed-in request, and `fetch`
 * would build a Request, a Response and their streams each time.
 */
async function askUsers<Answer>(url: URL, body: unknown): Promise<Answer> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signGatewayCredential(null)}` },
    body: JSON.stringify(body),
  });
  if (response.statusCode < 200 || response.statusCode >= 300) {
    await response.body.dump();
    throw new Error(`The users subgraph answered ${response.statusCode} at ${url.pathname}`);
  }
  return (await response.body.json()) as Answer;
}

/**
 * Without Redis, whether a session is live is asked of the users subgraph for every request;
 * requests of one session that arrive while its question is in flight share that question's
 * answer (a user's page sends several at once), so a revocation still holds from the next question on.
 */
export class UsersSessionLiveness implements SessionLiveness {
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(private readonly usersUrl: string) {}

  isLive(sessionId: string): Promise<boolean> {
    const inFlight = this.asking.get(sessionId);
    if (inFlight) return inFlight;
    const answer = askUsers<{ live: boolean }>(new URL('/auth/session-status', this.usersUrl), { sessionId })
      .then(({ live }) => live)
      .finally(() => this.asking.delete(sessionId));
    this.asking.set(sessionId, answer);
    return answer;
  }
}

/** The `x-api-key` header: checked with the users subgraph on every request, so a revocation is immediate. */
export class ApiKeyVerifier {
  constructor(private readonly usersUrl: string) {}

  async verify(key: string): Promise<Viewer> {
    const { viewer } = await askUsers<{ viewer: Viewer | null }>(new URL('/auth/api-key', this.usersUrl), { key });
    if (!viewer) throw badCredential('The API key is not valid (unknown, expired or revoked)');
    return viewer;
  }
}
