import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Nothing may load or frame an API answer. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The security headers of every HTTP response of every service: helmet's (nosniff, frame,
 * referrer and cross-origin policies, HSTS), and a Content-Security-Policy that allows nothing,
 * except on the GraphQL landing page (a browser's GET for HTML on `graphqlPaths`), which Apollo
 * serves with its own per-response CSP for Sandbox's scripts; a second policy would block them.
 */
export function securityHeaders(graphqlPaths: readonly string[]): RequestHandler[] {
  const landingPage = new Set(graphqlPaths);
  return [
    helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false, referrerPolicy: { policy: 'no-referrer' } }),
    (request, response, next) => {
      if (!(request.method === 'GET' && landingPage.has(request.path) && request.accepts(['json', 'html']) === 'html')) {
        response.setHeader('content-security-policy', API_CSP);
      }
      next();
    },
  ];
}

/** Apollo Sandbox on Apollo's site: allowed in development, so it can explore a local gateway. */
export const SANDBOX_ORIGIN = 'https://studio.apollographql.com';
const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;

/**
 * Which browser origins may call the gateway (CORS_ORIGINS, comma-separated; `*` for any). Unset:
 * none in production (same origin only), and in development Apollo Sandbox's origin and pages on
 * localhost. Credentials are bearer tokens and API keys in headers, never cookies, so none are allowed.
 */
export function corsOrigins(env: NodeJS.ProcessEnv, production: boolean): (string | RegExp)[] | '*' {
  const listed = env.CORS_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean);
  if (listed?.includes('*')) return '*';
  if (listed && listed.length > 0) return listed;
  return production ? [] : [SANDBOX_ORIGIN, LOCAL_ORIGIN];
}

export function corsPolicy(origins: (string | RegExp)[] | '*'): RequestHandler {
  return cors({
    origin: origins === '*' ? '*' : origins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'apollographql-client-version'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    credentials: false,
    maxAge: 600,
  });
}
