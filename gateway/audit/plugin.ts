import type { ApolloServerPlugin } from '@apollo/server';
import type { Role } from '../../platform/auth/index.ts';
import { logger } from '../../platform/logger.ts';
import { currentRequest } from '../../platform/request-context.ts';
import { auditRecords, type AuditRecord, type AuditedResponse } from './record.ts';

/** What the gateway's context tells the audit of the caller. */
export interface AuditedContext {
  clientAddress: string;
  callerId: string | null;
  callerRole?: Role | null;
}

/**
 * Records every root field of every mutation that reached the GraphQL layer (parsed and valid),
 * refused ones included: once the response is ready, handed to `sink`, which sends it later.
 * Requests refused before that (a bad credential, a rate limit, the allow-list) name no operation.
 */
export function auditPlugin(sink: { record(record: AuditRecord): void }): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart() {
      const at = new Date();
      const requestId = currentRequest()?.reqId ?? 'unknown';
      return {
        async willSendResponse({ schema, document, operation, request, response, contextValue }) {
          if (operation?.operation !== 'mutation' || !document) return;
          const body = response.body;
          const answer: AuditedResponse = body.kind === 'single' ? body.singleResult : body.initialResult;
          try {
            const records = auditRecords(schema, document, operation, request.variables ?? {}, {
              at,
              requestId,
              clientAddress: contextValue.clientAddress,
              actorId: contextValue.callerId,
              actorRole: contextValue.callerRole ?? null,
            }, answer);
            for (const record of records) sink.record(record);
          } catch (error) {
            // The client's answer stands; what went unrecorded is said where operators look.
            logger.error({ err: error, operationName: operation.name?.value, requestId }, 'audit records could not be made for a mutation');
          }
        },
      };
    },
  };
}
