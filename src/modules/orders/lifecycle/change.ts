// One change of one order, in one transaction: the order row locked through the actor's view of it,
// the rule of the transition table checked on the locked row, the recipe's changes, then the new
// state, version and columns written with the change's event in one statement. The recipes
// (./recipes.ts) say what each action does; this file is the machinery they share.
import sql, { join, raw } from 'sql-template-tag';
import type { Queryable } from '../../../db/tx.js';
import { prepared } from '../../../db/tx.js';
import { WhereBuilder } from '../../../db/where.js';
import { DomainError } from '../../../shared/errors.js';
import type { Actor } from '../../auth/index.js';
import { getUnit, type Unit } from '../../directory/index.js';
import { appendStatement, type EventPayload, type EventType, type NewEvent } from '../../events/index.js';
import type { Assignment, TransitionInput } from '../model.js';
import { visibleTo } from '../reads.js';
import { checkTransition, ORDER_STATE_GROUP, ORDER_STATE_LABELS, TRANSITIONS, type OrderAction, type OrderState } from '../rules.js';
import { snapshotOf } from '../snapshot.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id that is not a UUID names no order: answered as not found, like any unknown id. */
export function assertOrderId(id: string): void {
  if (!UUID.test(id)) throw new DomainError('ORDER_NOT_FOUND', { id });
}

/** The locked row: every column of `orders`; these are the ones the recipes read. */
export interface LockedOrder extends Record<string, any> {
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

export interface AssignmentRow {
  id: number;
  unit_id: string;
  role: 'lead' | 'co';
  status: Assignment['status'];
  parent_assignment_id: number | null;
}

/** Locks the order row through the actor's visibility (ORDER_NOT_FOUND outside it) and reads its assignments. */
export async function lockOrder(tx: Queryable, actor: Actor, id: string): Promise<{ order: LockedOrder; assignments: AssignmentRow[] }> {
  assertOrderId(id);
  const where = visibleTo(actor, new WhereBuilder()).add('o.id = ?', id);
  const locked = await tx.query(prepared(
    `SELECT o.*, COALESCE((SELECT json_agg(json_build_object('id', a.id, 'unit_id', a.unit_id, 'role', a.role, 'status', a.status,
                                                      'parent_assignment_id', a.parent_assignment_id) ORDER BY a.id)
                             FROM order_assignments a WHERE a.order_id = o.id), '[]') AS assignments
       FROM orders o ${where.sql} FOR UPDATE OF o`, where.params));
  if (locked.rowCount === 0) throw new DomainError('ORDER_NOT_FOUND', { id });
  const { assignments, ...order } = locked.rows[0];
  return { order: order as LockedOrder, assignments: (assignments as AssignmentRow[]).map((a) => ({ ...a, id: Number(a.id),
    parent_assignment_id: a.parent_assignment_id === null ? null : Number(a.parent_assignment_id) })) };
}

/** Refuses a change made on a stale copy: the caller saw `expected`, the order is at another version. */
export function assertVersion(order: LockedOrder, expected: number | undefined): void {
  if (expected !== undefined && expected !== order.version) {
    throw new DomainError('ORDER_VERSION_CONFLICT', { expected, actual: order.version });
  }
}

/** What a recipe decides: its event's payload, and what it changes besides the state the rule gives. */
export interface Outcome<A extends OrderAction = OrderAction> {
  payload: EventPayload<(typeof TRANSITIONS)[A]['event']>;
  /** columns of `orders` to set (plain values: the row is locked, so they are computed from it) */
  columns?: Record<string, unknown>;
  /** overrides the rule's target state (a return to the unit that passed the order down) */
  toState?: OrderState;
}

/**
 * An order locked for one action, and the operations a recipe uses on it. The recipe calls
 * `check()` first: role, unit, state and reason against the transition table.
 */
export class Change {
  private target: OrderState | null = null;
  /** events of other orders that the change also appends (a merge's target) */
  readonly others: { order: LockedOrder; assignments: AssignmentRow[]; type: EventType; payload: object }[] = [];

  constructor(
    readonly tx: Queryable,
    readonly actor: Actor,
    readonly action: OrderAction,
    readonly order: LockedOrder,
    readonly assignments: AssignmentRow[],
    readonly input: TransitionInput,
    readonly now: Date,
  ) {}

  /** The rule of the transition table for this action, checked on the locked row (throws why not). */
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

  activeIds(role?: 'lead' | 'co'): number[] {
    return this.assignments.filter((a) => a.status === 'active' && (!role || a.role === role)).map((a) => a.id);
  }

  /** Appends an event to another order, locked by the recipe, with this change (its state unchanged). */
  also(other: { order: { order: LockedOrder; assignments: AssignmentRow[] }; type: EventType; payload: object }): void {
    this.others.push({ ...other.order, type: other.type, payload: other.payload });
  }

  /** `input[field]`, trimmed, or ORDER_INVALID_FIELD. */
  requireText(field: 'text'): string {
    const value = this.input[field]?.trim();
    if (!value) throw new DomainError('ORDER_INVALID_FIELD', { detail: `${this.action} needs ${field}` });
    return value;
  }

  /** The active handling unit an input names (ORDER_INVALID_TARGET when it is not one). */
  async handlingUnit(unitId: string | undefined, field: string): Promise<Unit> {
    if (!unitId) throw new DomainError('ORDER_INVALID_FIELD', { detail: `${field} is required` });
    if (!UUID.test(unitId)) throw new DomainError('ORDER_INVALID_TARGET', { detail: `${field}: ${unitId} is not an id` });
    const unit = await getUnit(this.tx, this.actor.cityCode, unitId).catch(() => {
      throw new DomainError('ORDER_INVALID_TARGET', { detail: `${field}: no such unit ${unitId}` });
    });
    if (!unit.active) throw new DomainError('ORDER_INVALID_TARGET', { detail: `${field}: unit ${unit.name} is inactive` });
    if (unit.level === 'hotline') throw new DomainError('ORDER_INVALID_TARGET', { detail: `${field}: the hotline is not a handling unit` });
    return unit;
  }

  async endAssignments(ids: number[], status: Assignment['status']): Promise<void> {
    if (ids.length === 0) return;
    await this.tx.query(prepared('UPDATE order_assignments SET status = $2, ended_at = $3 WHERE id = ANY($1)', [ids, status, this.now]));
    for (const a of this.assignments) if (ids.includes(a.id)) a.status = status;
  }

  /** Assigns the order to a unit, and opens it to that unit and every unit above it (order_scopes). */
  async assign(unit: Unit, role: 'lead' | 'co', parentId: number | null = null): Promise<void> {
    const lineage = unit.path.split('/').filter(Boolean);
    const r = await this.tx.query(prepared(
      `WITH a AS (
         INSERT INTO order_assignments (city_code, order_id, unit_id, role, parent_assignment_id, status, assigned_at, assigned_by)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7) RETURNING id),
       s AS (
         INSERT INTO order_scopes (unit_id, order_id, city_code, order_created_at)
         SELECT unnest($8::uuid[]), $2, $1, $9 ON CONFLICT DO NOTHING)
       SELECT id FROM a`,
      [this.order.city_code, this.order.id, unit.id, role, parentId, this.now, this.actor.kind === 'staff' ? this.actor.id : null,
        lineage, this.order.created_at]));
    this.assignments.push({ id: Number(r.rows[0].id), unit_id: unit.id, role, status: 'active', parent_assignment_id: parentId });
  }
}

/**
 * Writes a change: the new state, version and columns of the order, and its event (with the order's
 * snapshot after the change), in one statement. The version becomes the event's seq.
 */
export async function writeChange(tx: Queryable, actor: Actor, order: LockedOrder, assignments: readonly AssignmentRow[],
  e: { type: EventType; payload: object; toState: OrderState; reason?: string | null | undefined; columns?: Record<string, unknown> },
  now: Date): Promise<void> {
  const columns: Record<string, unknown> = { ...e.columns, state: e.toState, version: order.version + 1, updated_at: now };
  const closing = ORDER_STATE_GROUP[e.toState] === 'closed' && order.state !== e.toState;
  if (closing && !('closed_at' in columns)) columns.closed_at = order.closed_at ?? now;
  const after = { ...order, ...columns } as LockedOrder;
  const event: NewEvent = {
    type: e.type, stream: 'order', streamId: order.id, seq: after.version, at: now, actor, fromState: order.state, toState: e.toState,
    reason: e.reason, payload: e.payload as never, snapshot: await snapshotOf(tx, after, assignments.map((a) => a.unit_id)),
  };
  const sets = join(Object.entries(columns).map(([column, value]) => sql`${raw(column)} = ${value}`), ', ');
  const statement = sql`WITH o AS (UPDATE orders SET ${sets} WHERE id = ${order.id}::uuid RETURNING id)
    ${appendStatement(order.city_code, [event], sql`EXISTS (SELECT 1 FROM o)`)}`;
  await tx.query(prepared(statement.text, statement.values));
  Object.assign(order, columns);
}

/** The label of an action that the transition table does not hold (an edit), for errors. */
export function notAllowed(order: LockedOrder, action: { zh: string; en: string }): DomainError {
  return new DomainError('ORDER_TRANSITION_NOT_ALLOWED', { state: ORDER_STATE_LABELS[order.state], action });
}
