import { AccessTokenVerifier, remoteKeySet, signGatewayCredential, type SessionLiveness } from '../../platform/auth/index.ts';
import { UsersSessionLiveness } from '../../gateway/users-auth.ts';
import type { HivePlugin } from './hive-runtime.ts';

/**
 * Hive Gateway doing the auth work Looma's gateway does without Redis, so the two are compared on
 * equal terms: once per client request, the client's Looma access token is verified (ES256
 * signature against the users subgraph's JWKS, fetched with jose's remote key set and cached, and
 * the session asked of the users subgraph), then a 60-s gateway credential naming the viewer is
 * signed (platform/auth/gateway-credential.ts). No token means an anonymous credential; a bad one
 * fails the request with 401, as Looma's gateway does. Only the credential reaches the subgraphs:
 * Hive forwards no client header unless told to.
 *
 * The credential travels as the subgraph request's `extensions.headers`, which Hive's HTTP executor
 * turns into headers BEFORE it deduplicates identical in-flight subgraph queries (on by default);
 * a header set later, in `onFetch`, would let two different callers share one subgraph answer.
 */
export function loomaCredentialPlugin(options: { usersUrl: string; sessions?: SessionLiveness }): HivePlugin {
  const verifier = new AccessTokenVerifier(
    remoteKeySet(new URL('/.well-known/jwks.json', options.usersUrl)),
    options.sessions ?? new UsersSessionLiveness(options.usersUrl),
  );
  return {
    async onContextBuilding({ context, extendContext }) {
      const viewer = await verifier.verify(context.request.headers.get('authorization') ?? undefined);
      extendContext({ subgraphCredential: await signGatewayCredential(viewer) });
    },
    onSubgraphExecute({ executionRequest, setExecutionRequest }) {
      const credential = executionRequest.context?.subgraphCredential;
      if (typeof credential !== 'string') return;
      const extensions = executionRequest.extensions ?? {};
      const headers = (extensions.headers ?? {}) as Record<string, string>;
      setExecutionRequest({ ...executionRequest, extensions: { ...extensions, headers: { ...headers, authorization: `Bearer ${credential}` } } });
    },
  };
}
