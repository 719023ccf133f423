// A lifecycle change in two round trips: one statement reads the order as the change needs it (its
// row, its assignments, its latest deadline round, its suggestion waiting for the agent's choice),
// the recipes decide and plan in memory, and one statement writes it all (src/db/plan.ts): the
// order at the version it was read, its events, and every module's writes, none of which applies
// if the order changed in between (the change is then planned again, see ./index.ts). The recipes
// (./recipes.ts) say what each action does; this file is the machinery they share.
import sql from 'sql-template-tag';
import { Plan, setColumns } from '../../../db/plan.js';
import type { Queryable } from '../../../db/tx.js';
import { allOrNothing, prepared } from '../../../db/tx.js';
import { WhereBuilder } from '../../../db/where.js';
import { DomainError } from '../../../shared/errors.js';
import type { Actor } from '../../auth/index.js';
import { pendingSuggestionQuery, type PendingSuggestion } from '../../classify/index.js';
import { getUnit, unitIndex, type Unit } from '../../directory/index.js';
import { appendStatement, type EventPayload, type EventType, type NewEvent } from '../../events/index.js';
import { latestRoundQuery, roundFromJson, type RoundHolder } from '../../sla/index.js';
import type { Assignment, TransitionInput } from '../model.js';
import { visibleTo } from '../reads.js';
import { checkTransition, ORDER_STATE_GROUP, ORDER_STATE_LABELS, TRANSITIONS, type OrderAction, type OrderState } from '../rules.js';
import { snapshotOf } from '../snapshot.js';
import { isUuid } from '../../../shared/uuid.js';

/** An id that is not a UUID names no order: answered as not found, like any unknown id. */
export function assertOrderId(id: string): void {
  if (!isUuid(id)) throw new DomainError('ORDER_NOT_FOUND', { id });
}

/** The order's row: every column of `orders`; these are the ones the recipes read. */
export interface OrderRow extends Record<string, any> {
  id: string;
  city_code: string;
  tracking_no: string;
  channel: string;
  title: string;
  confidential: boolean;
  area_code: string | null;
  state: OrderState;
  version: number;
  urgency: string;
  category_id: string | null;
  request_type: string;
  lead_unit_id: string | null;
  extension_pending: boolean;
  clock_paused: boolean;
  no_callback: boolean;
  reopen_count: number;
  urge_count: number;
  created_at: Date;
}

/** An assignment; `id` is null for one this change makes. */
export interface AssignmentRow {
  id: number | null;
  unit_id: string;
  role: 'lead' | 'co';
  status: Assignment['status'];
  parent_assignment_id: number | null;
}

/** An order as a change reads it, and holds it while the change is planned. */
export interface OrderRead extends RoundHolder {
  order: OrderRow;
  assignments: AssignmentRow[];
  /** the suggestion waiting for the agent's choice, if any (the classify module's) */
  suggestion: PendingSuggestion | null;
}

/** Reads an order for a change, through the actor's visibility (ORDER_NOT_FOUND outside it), in one statement. */
async function readForChange(db: Queryable, actor: Actor, id: string): Promise<OrderRead> {
  assertOrderId(id);
  const where = visibleTo(actor, new WhereBuilder()).add('o.id = ?', id);
  const round = latestRoundQuery(sql`o.id`, sql`o.city_code`);
  const suggestion = pendingSuggestionQuery(sql`o.id`, sql`o.city_code`);
  const text = `SELECT o.*,
      COALESCE((SELECT json_agg(json_build_object('id', a.id, 'unit_id', a.unit_id, 'role', a.role, 'status', a.status,
                                                  'parent_assignment_id', a.parent_assignment_id) ORDER BY a.id)
                  FROM order_assignments a WHERE a.order_id = o.id AND a.city_code = o.city_code), '[]') AS assignments,
      ${round.text} AS latest_round, ${suggestion.text} AS pending_suggestion
    FROM orders o ${where.sql}`;
  const read = await db.query(prepared(text, where.params));
  if (read.rowCount === 0) throw new DomainError('ORDER_NOT_FOUND', { id });
  const { assignments, latest_round, pending_suggestion, ...order } = read.rows[0];
  return {
    order: order as OrderRow,
    assignments: (assignments as AssignmentRow[]).map((a) => ({ ...a, id: Number(a.id),
      parent_assignment_id: a.parent_assignment_id === null ? null : Number(a.parent_assignment_id) })),
    round: roundFromJson(latest_round),
    suggestion: pending_suggestion,
  };
}

/** An order held by a session: as read, its version when read, the columns it changes, its events. */
interface Held extends OrderRead {
  readVersion: number;
  columns: Record<string, unknown>;
  events: NewEvent[];
}

/**
 * One change of one or more orders, planned in memory and written in one statement. `load` reads an
 * order (once per session); transitions and facts change it in memory and plan their writes;
 * `commit` writes everything, or nothing if an order changed since it was read.
 */
export class Session {
  readonly plan = new Plan();
  private readonly held = new Map<string, Held>();

  constructor(readonly db: Queryable, readonly now: Date) {}

  /** The order as this session holds it (read through `actor`'s visibility the first time). */
  async load(actor: Actor, orderId: string): Promise<Held> {
    let held = this.held.get(orderId);
    if (!held) {
      held = { ...(await readForChange(this.db, actor, orderId)), readVersion: 0, columns: {}, events: [] };
      held.readVersion = held.order.version;
      this.held.set(orderId, held);
    }
    return held;
  }

  /** Whether other orders were merged into `order`. */
  async hasDuplicates(order: OrderRow): Promise<boolean> {
    const found = await this.db.query(prepared('SELECT 1 FROM orders WHERE city_code = $1 AND merged_into = $2 LIMIT 1',
      [order.city_code, order.id]));
    return (found.rowCount ?? 0) > 0;
  }

  /** Changes an order's state and columns in memory and appends its event (the snapshot after it). */
  async record(held: Held, actor: Actor, e: { type: EventType; payload: object; toState: OrderState; reason?: string | null | undefined;
    columns?: Record<string, unknown> }): Promise<void> {
    const order = held.order;
    const columns: Record<string, unknown> = { ...e.columns, state: e.toState, version: order.version + 1, updated_at: this.now };
    if (ORDER_STATE_GROUP[e.toState] === 'closed' && order.state !== e.toState && !('closed_at' in columns)) {
      columns.closed_at = order.closed_at ?? this.now;
    }
    const fromState = order.state;
    Object.assign(order, columns);
    Object.assign(held.columns, columns);
    held.events.push({
      type: e.type, stream: 'order', streamId: order.id, seq: order.version, at: this.now, actor, fromState, toState: e.toState,
      reason: e.reason, payload: e.payload as never, snapshot: await snapshotOf(this.db, order, held.assignments.map((a) => a.unit_id)),
    });
  }

  /** Writes the session's changes in one statement; false when an order changed since it was read (nothing written). */
  async commit(): Promise<boolean> {
    const changed = [...this.held.values()].filter((h) => h.events.length > 0);
    if (changed.length === 0) return true;
    for (const h of changed) {
      this.plan.addVersioned('o', sql`UPDATE orders SET ${setColumns(h.columns)}
        WHERE id = ${h.order.id}::uuid AND city_code = ${h.order.city_code} AND version = ${h.readVersion}::int RETURNING 1`);
    }
    const events = changed.flatMap((h) => h.events);
    this.plan.add('events', appendStatement(changed[0]!.order.city_code, events, this.plan.guard));
    const statement = this.plan.statement();
    const write = async (db: Queryable) => (await db.query(prepared(statement.text, statement.values))).rows[0].applied === true;
    // Within one statement each order's versioned update applies on its own version alone: a change
    // of several orders (a merge) would keep the update of one whose partner moved. So it runs where
    // it can be undone, and is undone unless every order was still at the version read.
    return changed.length === 1 ? write(this.db) : allOrNothing(this.db, write);
  }
}

/** Refuses a change made on a stale copy: the caller saw `expected`, the order is at another version. */
export function assertVersion(order: OrderRow, expected: number | undefined): void {
  if (expected !== undefined && expected !== order.version) {
    throw new DomainError('ORDER_VERSION_CONFLICT', { expected, actual: order.version });
  }
}

/** What a recipe decides: its event's payload, and what it changes besides the state the rule gives. */
export interface Outcome<A extends OrderAction = OrderAction> {
  payload: EventPayload<(typeof TRANSITIONS)[A]['event']>;
  /** columns of `orders` to set (computed from the row as read) */
  columns?: Record<string, unknown>;
  /** overrides the rule's target state (a return to the unit that passed the order down) */
  toState?: OrderState;
}

/**
 * An order held for one action, and the operations a recipe uses on it. The recipe calls `check()`
 * first: role, unit, state and reason against the transition table.
 */
export class Change {
  private target: OrderState | null = null;

  constructor(
    readonly session: Session,
    readonly actor: Actor,
    readonly action: OrderAction,
    /** the order as read, changed in memory as the recipe goes (its round, its suggestion) */
    readonly held: Held,
    readonly input: TransitionInput,
  ) {}

  get db(): Queryable { return this.session.db; }
  get plan(): Plan { return this.session.plan; }
  get now(): Date { return this.session.now; }
  get order(): OrderRow { return this.held.order; }
  get assignments(): AssignmentRow[] { return this.held.assignments; }

  /** The rule of the transition table for this action, checked on the order as read (throws why not). */
  check(): void {
    this.target = checkTransition(this.action, {
      state: this.order.state,
      leadUnitId: this.activeLead()?.unit_id ?? null,
      coUnitIds: this.assignments.filter((a) => a.status === 'active' && a.role === 'co').map((a) => a.unit_id),
      extensionPending: this.order.extension_pending,
      clockPaused: this.order.clock_paused,
    }, this.actor, this.input.reason);
  }

  /** The state the rule leads to; the recipe must have checked the rule. */
  get ruleTarget(): OrderState {
    if (!this.target) throw new Error(`the ${this.action} recipe did not check its rule`);
    return this.target;
  }

  activeLead(): AssignmentRow | undefined {
    return this.assignments.find((a) => a.status === 'active' && a.role === 'lead');
  }

  /** The last unit that led the order (the one it returns to, or is reopened to). */
  lastLead(): AssignmentRow | undefined {
    return [...this.assignments].reverse().find((a) => a.role === 'lead');
  }

  active(role?: 'lead' | 'co'): AssignmentRow[] {
    return this.assignments.filter((a) => a.status === 'active' && (!role || a.role === role));
  }

  /** `input[field]`, trimmed, or ORDER_INVALID_FIELD. */
  requireText(field: 'text'): string {
    const value = this.input[field]?.trim();
    if (!value) throw new DomainError('ORDER_INVALID_FIELD', { detail: { zh: `“${TRANSITIONS[this.action].label.zh}”须填写内容（${field}）`, en: `${TRANSITIONS[this.action].label.en} needs ${field}` } });
    return value;
  }

  /**
   * The active handling unit an input names (ORDER_INVALID_TARGET when it is not one), from the
   * directory's held copy; a unit the copy lacks is looked up in the database.
   */
  async handlingUnit(unitId: string | undefined, field: string): Promise<Unit> {
    if (!unitId) throw new DomainError('ORDER_INVALID_FIELD', { detail: { zh: `须填写 ${field}`, en: `${field} is required` } });
    if (!isUuid(unitId)) throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: `${field}：${unitId} 不是单位编号`, en: `${field}: ${unitId} is not an id` } });
    const unit = (await unitIndex(this.db, this.actor.cityCode)).get(unitId)
      ?? await getUnit(this.db, this.actor.cityCode, unitId).catch(() => {
        throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: `${field}：没有编号为 ${unitId} 的单位`, en: `${field}: no such unit ${unitId}` } });
      });
    if (!unit.active) throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: `${field}：单位“${unit.name}”已停用`, en: `${field}: unit ${unit.name} is inactive` } });
    if (unit.level === 'hotline') throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: `${field}：热线中心不是承办单位`, en: `${field}: the hotline is not a handling unit` } });
    return unit;
  }

  /** Ends assignments (each one UPDATE in the plan). */
  endAssignments(rows: AssignmentRow[], status: Assignment['status']): void {
    for (const a of rows) {
      if (a.id === null) throw new Error('an assignment made by this change is not ended by it');
      const id = a.id;
      this.plan.update(`order_assignments:${id}`, { status, ended_at: this.now }, (columns) => sql`UPDATE order_assignments
        SET ${setColumns(columns)} WHERE id = ${id}::bigint AND city_code = ${this.order.city_code} AND ${this.plan.guard}`);
      a.status = status;
    }
  }

  /** Assigns the order to a unit, and opens it to that unit and every unit above it (order_scopes). */
  assign(unit: Unit, role: 'lead' | 'co', parentId: number | null = null): void {
    const order = this.order;
    this.plan.add('assign', sql`INSERT INTO order_assignments (city_code, order_id, unit_id, role, parent_assignment_id, status,
                                                               assigned_at, assigned_by)
      SELECT ${order.city_code}, ${order.id}::uuid, ${unit.id}::uuid, ${role}, ${parentId}::bigint, 'active', ${this.now}::timestamptz,
             ${this.actor.kind === 'staff' ? this.actor.id : null}::uuid
       WHERE ${this.plan.guard}`);
    this.plan.add('scope', sql`INSERT INTO order_scopes (unit_id, order_id, city_code, order_created_at)
      SELECT unnest(${unit.path.split('/').filter(Boolean)}::uuid[]), ${order.id}::uuid, ${order.city_code}, ${order.created_at}::timestamptz
       WHERE ${this.plan.guard}
      ON CONFLICT DO NOTHING`);
    this.assignments.push({ id: null, unit_id: unit.id, role, status: 'active', parent_assignment_id: parentId });
  }

  /** Records a fact on another order of the session (a merge's target), its state unchanged. */
  async also(other: Held, type: EventType, payload: object): Promise<void> {
    await this.session.record(other, this.actor, { type, payload, toState: other.order.state });
  }
}

/** The label of an action that the transition table does not hold (an edit), for errors. */
export function notAllowed(order: OrderRow, action: { zh: string; en: string }): DomainError {
  return new DomainError('ORDER_TRANSITION_NOT_ALLOWED', { state: ORDER_STATE_LABELS[order.state], action });
}

export type { Held };
