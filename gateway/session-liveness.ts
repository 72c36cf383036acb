import { signGatewayCredential, type SessionLiveness } from '../platform/auth/index.ts';

/** Without Redis, the gateway asks the users subgraph, which owns the sessions, on every request. */
export class UsersSessionLiveness implements SessionLiveness {
  constructor(private readonly statusUrl: URL) {}

  async isLive(sessionId: string): Promise<boolean> {
    const response = await fetch(this.statusUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signGatewayCredential(null)}` },
      body: JSON.stringify({ sessionId }),
    });
    if (!response.ok) throw new Error(`The users subgraph answered ${response.status} for a session status`);
    return ((await response.json()) as { live: boolean }).live;
  }
}
