import { firstDifference } from './compare.ts';
import type { Operation } from './operations.ts';
import { problemWith, send } from './send.ts';
import type { Target } from './target.ts';

/**
 * Before any load: every step of every operation answers without errors on every target, and each
 * query answers every target the same data as the first target (Looma). Throws, naming the target,
 * the operation and what differs, so no run compares answers that are not the same work.
 */
export async function verifyTargets(targets: readonly Target[], operations: readonly Operation[], token: string): Promise<void> {
  const failures: string[] = [];
  for (const operation of operations) {
    let reference: { target: string; data: unknown[] } | undefined;
    for (const target of targets) {
      const context = {};
      const data: unknown[] = [];
      for (const [index, step] of operation.steps.entries()) {
        const problem = await send(target.url, step, context, token).then(
          (answer) => {
            data.push(answer.data);
            return problemWith(answer);
          },
          (error: Error) => error.message,
        );
        if (!problem) continue;
        failures.push(`${operation.name} on ${target.name}, step ${index + 1}: ${problem}`);
        break; // later steps need what this one should have answered
      }
      if (operation.kind !== 'query') continue;
      if (!reference) reference = { target: target.name, data };
      else {
        const difference = firstDifference(reference.data, data);
        if (difference) failures.push(`${operation.name}: ${target.name} answers other data than ${reference.target} at ${difference}`);
      }
    }
  }
  if (failures.length) throw new Error(`The targets do not all answer the operations alike:\n  ${failures.join('\n  ')}`);
}
