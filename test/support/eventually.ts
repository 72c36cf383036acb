/**
 * Polls until `check` holds, failing once `withinMs` has passed: derived stores follow the
 * owners within 2 s, and a test says so by this deadline.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, withinMs = 2_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
