import type { Leftovers } from './operations.ts';
import { problemWith, send } from './send.ts';
import type { Target } from './target.ts';

/**
 * Deletes what an operation's cycles left on `target` (run once the target has settled, so no
 * create is still in flight); returns how many. Throws when a lookup or a delete fails: a run
 * whose data set grows round after round would measure a different data set each time.
 */
export async function sweep(target: Target, leftovers: Leftovers, token: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const found = await send(target.url, leftovers.find, {}, token);
    const problem = problemWith(found);
    if (problem) throw new Error(`Looking for leftovers on ${target.name} failed: ${problem}`);
    const ids = leftovers.ids(found.data);
    if (ids.length === 0) return removed;
    for (const id of ids) {
      const failure = problemWith(await send(target.url, leftovers.remove(id), {}, token));
      if (failure) throw new Error(`Deleting leftover ${id} on ${target.name} failed: ${failure}`);
      removed++;
    }
  }
}
