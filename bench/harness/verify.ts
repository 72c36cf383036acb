import { firstDifference } from './compare.ts';
import type { Operation } from './operations.ts';
import { problemWith, send } from './send.ts';
import type { Target } from './target.ts';

/** One way a query is sent: as one sender, with one of its variable sets. */
interface Sending {
  label: string;
  token: string;
  variant: number;
}

/** Every sender with every variable set of a query; a mutation cycle once, as its first sender. */
function sendingsOf(operation: Operation, tokens: readonly string[]): Sending[] {
  const senders = operation.kind === 'query' ? tokens : tokens.slice(0, 1);
  const variants = operation.kind === 'query' ? operation.variants : 1;
  return Array.from({ length: variants }, (_, variant) =>
    senders.map((token, sender) => ({ label: senders.length * variants > 1 ? ` (sender ${sender + 1}, variables ${variant + 1})` : '', token, variant })),
  ).flat();
}

/**
 * Before any load: every step of every operation answers without errors on every target, and each
 * query answers every target the same data as the first target (Looma), for each of its senders
 * and variable sets. Throws, naming the target, the operation and what differs, so no run compares
 * answers that are not the same work.
 */
export async function verifyTargets(targets: readonly Target[], operations: readonly Operation[], tokensOf: (operation: Operation) => readonly string[]): Promise<void> {
  const failures: string[] = [];
  for (const operation of operations) {
    for (const sending of sendingsOf(operation, tokensOf(operation))) {
      const name = `${operation.name}${sending.label}`;
      let reference: { target: string; data: unknown[] } | undefined;
      for (const target of targets) {
        const context = { variant: sending.variant };
        const data: unknown[] = [];
        for (const [index, step] of operation.steps.entries()) {
          const problem = await send(target.url, step, context, sending.token).then(
            (answer) => {
              data.push(answer.data);
              return problemWith(answer);
            },
            (error: Error) => error.message,
          );
          if (!problem) continue;
          failures.push(`${name} on ${target.name}, step ${index + 1}: ${problem}`);
          break; // later steps need what this one should have answered
        }
        if (operation.kind !== 'query') continue;
        if (!reference) reference = { target: target.name, data };
        else {
          const difference = firstDifference(reference.data, data);
          if (difference) failures.push(`${name}: ${target.name} answers other data than ${reference.target} at ${difference}`);
        }
      }
    }
  }
  if (failures.length) throw new Error(`The targets do not all answer the operations alike:\n  ${failures.join('\n  ')}`);
}
