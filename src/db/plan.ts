// A change written in one statement. Each module adds its own INSERTs and UPDATEs (written by the
// module that owns the table) as CTEs of one statement; the first CTEs update the rows whose
// versions the change was planned on, and every other part writes nothing unless all of those
// updates applied (`guard`). So a lifecycle change costs one round trip to the database whatever
// the number of modules it touches, and a change planned on a stale read writes nothing at all
// and is planned again.
import sql, { join, raw, type Sql } from 'sql-template-tag';

/** A data-modifying statement whose columns are merged until the plan is written (one UPDATE per row). */
interface Accumulated {
  columns: Record<string, unknown>;
  build: (columns: Record<string, unknown>) => Sql;
}

export class Plan {
  private readonly heads: { name: string; statement: Sql }[] = [];
  private readonly parts: ({ name: string; statement: Sql } | { name: string; accumulated: Accumulated })[] = [];
  private readonly merged = new Map<string, Accumulated>();
  private counter = 0;

  /**
   * Holds when every versioned update of the plan applied; each part writes nothing otherwise:
   * `INSERT … SELECT … WHERE ${plan.guard}`, `UPDATE … WHERE … AND ${plan.guard}`.
   */
  readonly guard: Sql = raw('(SELECT ok FROM plan_guard)');

  private name(prefix: string): string {
    return `${prefix}_${++this.counter}`;
  }

  /** An UPDATE of a row at the version read (`… WHERE id = … AND version = … RETURNING 1`): the plan applies only if it does. */
  addVersioned(prefix: string, statement: Sql): void {
    this.heads.push({ name: this.name(prefix), statement });
  }

  /** Adds a statement (which must use `guard`); returns its CTE's name, to read its RETURNING rows. */
  add(prefix: string, statement: Sql): string {
    const name = this.name(prefix);
    this.parts.push({ name, statement });
    return name;
  }

  /**
   * Adds columns to write to one row (`key`), merged with those added before for the same row, so
   * that the row is updated once (a statement may not update a row twice). `build` writes the UPDATE.
   */
  update(key: string, columns: Record<string, unknown>, build: (columns: Record<string, unknown>) => Sql): void {
    const held = this.merged.get(key);
    if (held) {
      Object.assign(held.columns, columns);
      return;
    }
    const accumulated = { columns: { ...columns }, build };
    this.merged.set(key, accumulated);
    this.parts.push({ name: this.name('u'), accumulated });
  }

  get empty(): boolean {
    return this.heads.length === 0 && this.parts.length === 0;
  }

  /** The statement: the versioned updates, the guard, every part; it answers one row, `applied`. */
  statement(): Sql {
    const ctes = [
      ...this.heads.map((h) => sql`${raw(h.name)} AS (${h.statement})`),
      sql`plan_guard AS (SELECT ${this.heads.length === 0 ? raw('true')
        : join(this.heads.map((h) => sql`(SELECT count(*) FROM ${raw(h.name)}) = 1`), ' AND ')} AS ok)`,
      ...this.parts.map((p) => sql`${raw(p.name)} AS (${'statement' in p ? p.statement : p.accumulated.build(p.accumulated.columns)})`),
    ];
    return sql`WITH ${join(ctes, ',\n')} SELECT (SELECT ok FROM plan_guard) AS applied`;
  }
}

/** `column = value, …` for an UPDATE's SET (column names are the caller's own, never input). */
export function setColumns(columns: Record<string, unknown>): Sql {
  return join(Object.entries(columns).map(([column, value]) => sql`${raw(column)} = ${value}`), ', ');
}
