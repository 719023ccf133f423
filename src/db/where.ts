// Builds a parameterised WHERE clause from optional filters: each `?` becomes the next $n.

export class WhereBuilder {
  readonly params: unknown[] = [];
  private readonly clauses: string[] = [];

  /** Adds a condition; each `?` in it takes the next value. */
  add(condition: string, ...values: unknown[]): this {
    let i = 0;
    this.clauses.push(condition.replace(/\?/g, () => this.param(values[i++])));
    return this;
  }

  /** Registers a value and returns its parameter marker ($n), for use outside WHERE (LIMIT…). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  get sql(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** `text` to be matched as itself inside a LIKE pattern: its `%`, `_` and `\` lose their meaning. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
