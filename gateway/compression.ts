import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/** Answers smaller than this go as they are: compressing them costs more than it saves. */
const THRESHOLD_BYTES = 1024;

/** Streams that must reach the client chunk by chunk (incremental delivery, server-sent events) are never buffered for compression. */
const STREAMING = /^(multipart\/|text\/event-stream)/i;

/**
 * Compression at the edge only: the gateway compresses what it sends to clients that ask for it
 * (Accept-Encoding: gzip, deflate or br), and nothing else does — a subgraph's answer crosses one
 * hop inside the deployment, where compressing and inflating it again would only cost CPU.
 */
export function edgeCompression(): RequestHandler {
  return compression({
    threshold: THRESHOLD_BYTES,
    filter: (request: Request, response: Response) => !STREAMING.test(String(response.getHeader('content-type') ?? '')) && compression.filter(request, response),
  });
}
