import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, getVariableValues, valueFromASTUntyped, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../platform/errors.ts';
import type { LoginLimiter } from './login-limiter.ts';

interface Attempt {
  responseKey: string;
  /** Whose password is tried: the email a `login` names, or the signed-in user of `changePassword`. */
  account: string;
}

/** The root fields of a mutation, however the client wrote them (aliases, fragments). */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): FieldNode[] {
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const fields: FieldNode[] = [];
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return fields;
}

/** The fields that hash a password: a few tens of milliseconds and 16 MiB each (password.ts). */
const PASSWORD_FIELDS = new Set(['login', 'register', 'changePassword']);

/** The fields of a mutation that check a password, with the account each tries. */
function passwordAttempts(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  callerId: string | null,
): Attempt[] {
  if (operation.operation !== 'mutation') return [];
  // The values the resolvers will get, variables' default values included; with bad variables nothing runs.
  const { coerced } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (!coerced) return [];
  const fields = rootFields(document, operation);
  // One per request: a mutation of a thousand aliased `register`s would hash for minutes.
  if (fields.filter((field) => PASSWORD_FIELDS.has(field.name.value)).length > 1) {
    throw new GraphQLError('Send one login, register or changePassword per request', {
      extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
    });
  }
  return fields.flatMap((field) => {
    const responseKey = field.alias?.value ?? field.name.value;
    if (field.name.value === 'login') {
      const value = field.arguments?.find((argument) => argument.name.value === 'email')?.value;
      const email: unknown = value && valueFromASTUntyped(value, coerced);
      return [{ responseKey, account: `email:${typeof email === 'string' ? email.trim() : ''}` }];
    }
    // The current password it checks is a password guess too, so it shares the limits (per user).
    if (field.name.value === 'changePassword' && callerId) return [{ responseKey, account: `user:${callerId}` }];
    return [];
  });
}

/**
 * Rate-limits password checks (`login`, `changePassword`) at the edge, per account and per
 * client address: each counts before any subgraph is called, a spent budget is refused, and a
 * success clears the account's count and gives the address its attempt back.
 */
export function loginAttemptsPlugin(limiter: LoginLimiter): ApolloServerPlugin<{ clientAddress: string; callerId: string | null }> {
  return {
    async requestDidStart() {
      let attempts: Attempt[] = [];
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          attempts = operation ? passwordAttempts(schema, document, operation, request.variables ?? {}, contextValue.callerId) : [];
          for (const { account } of attempts) await limiter.attempt(account, contextValue.clientAddress);
        },
        async willSendResponse({ response, contextValue }) {
          if (!attempts.length || response.body.kind !== 'single') return;
          const { data } = response.body.singleResult;
          for (const { responseKey, account } of attempts) {
            if (data?.[responseKey]) await limiter.recordSuccess(account, contextValue.clientAddress);
          }
        },
      };
    },
  };
}
