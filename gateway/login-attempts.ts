import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { LoginLimiter } from './login-limiter.ts';

interface Attempt {
  responseKey: string;
  email: string;
}

/** The `login` fields of a mutation, with the email each tries, however the client wrote it. */
function loginAttempts(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): Attempt[] {
  if (operation.operation !== 'mutation') return [];
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
  return fields
    .filter((field) => field.name.value === 'login')
    .map((field) => {
      const value = field.arguments?.find((argument) => argument.name.value === 'email')?.value;
      const email = value?.kind === Kind.STRING ? value.value : value?.kind === Kind.VARIABLE ? variables[value.name.value] : undefined;
      return { responseKey: field.alias?.value ?? 'login', email: typeof email === 'string' ? email.trim() : '' };
    });
}

/**
 * Rate-limits `login` at the edge, per account and per client address: a spent budget is refused
 * before any subgraph is called; a refused password counts, a successful login clears the
 * account's count.
 */
export function loginAttemptsPlugin(limiter: LoginLimiter): ApolloServerPlugin<{ clientAddress: string }> {
  return {
    async requestDidStart() {
      let attempts: Attempt[] = [];
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          attempts = operation ? loginAttempts(document, operation, request.variables ?? {}) : [];
          for (const { email } of attempts) await limiter.check(email, contextValue.clientAddress);
        },
        async willSendResponse({ response, contextValue }) {
          if (!attempts.length || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          for (const { responseKey, email } of attempts) {
            const refused = errors?.some((error) => error.path?.[0] === responseKey && error.extensions?.code === 'UNAUTHENTICATED');
            if (refused) await limiter.recordFailure(email, contextValue.clientAddress);
            else if (data?.[responseKey]) await limiter.recordSuccess(email);
          }
        },
      };
    },
  };
}
