/**
 * Builds a WHERE clause from optional conditions. Write `$?` where the parameter goes; it is
 * numbered in order, so filters read like the SQL they produce.
 */
export class SqlFilter {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  constructor(initialParams: unknown[] = []) {
    this.params.push(...initialParams);
  }

  add(condition: string, ...values: unknown[]): this {
    let text = condition;
    for (const value of values) {
      this.params.push(value);
      const placeholder = `$${this.params.length}`;
      text = text.replace("$?", () => placeholder);
    }
    this.conditions.push(`(${text})`);
    return this;
  }

  sql(): string {
    return this.conditions.length ? `where ${this.conditions.join(' and ')}` : '';
  }
}

/** A LIKE pattern matching `text` anywhere, its `%` and `_` taken literally (backslash is LIKE's escape). */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
