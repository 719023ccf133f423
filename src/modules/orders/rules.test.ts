import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../shared/errors.js';
import type { Actor, Role } from '../auth/index.js';
import { ROLES } from '../auth/index.js';
import { availableActions, checkTransition, ORDER_ACTIONS, ORDER_STATES, TRANSITIONS, type OrderSnapshot, type TransitionRule } from './rules.js';

const LEAD_UNIT = 'unit-lead';
const CO_UNIT = 'unit-co';
const actor = (role: Role, unitId: string | null = null): Actor =>
  ({ kind: 'staff', id: 'x', name: 'x', cityCode: '370100', roles: [role], unitId, unitPath: null, scopes: [] });
const order = (state: OrderSnapshot['state'], extensionPending = false, clockPaused = false): OrderSnapshot =>
  ({ state, leadUnitId: LEAD_UNIT, coUnitIds: [CO_UNIT], extensionPending, clockPaused });
const codeOf = (fn: () => unknown) => {
  try { fn(); return 'OK'; } catch (error) { return (error as DomainError).code; }
};

test('every action allows exactly its listed states, roles and unit, and refuses everything else', () => {
  for (const action of ORDER_ACTIONS) {
    const rule: TransitionRule = TRANSITIONS[action];
    for (const state of ORDER_STATES) {
      for (const role of ROLES) {
        for (const unitId of [LEAD_UNIT, CO_UNIT, 'unit-other']) {
          const pending = action === 'approve_extension' || action === 'deny_extension';
          const paused = action === 'resume_clock';
          const result = codeOf(() => checkTransition(action, order(state, pending, paused), actor(role, unitId), 'a reason'));
          const roleOk = rule.roles.includes(role);
          const unitOk = rule.unit === undefined || (rule.unit === 'lead' ? unitId === LEAD_UNIT : unitId === CO_UNIT);
          const stateOk = rule.from.includes(state);
          // the state before the unit: the loser of a race (its unit no longer holds the order) hears 409
          const expected = !roleOk ? 'ORDER_ACTION_FORBIDDEN' : !stateOk ? 'ORDER_TRANSITION_NOT_ALLOWED' : !unitOk ? 'ORDER_ACTION_FORBIDDEN' : 'OK';
          assert.equal(result, expected, `${action} from ${state} by ${role} of ${unitId}`);
        }
      }
    }
  }
});

test('an allowed action moves the order to the state in the table', () => {
  assert.equal(checkTransition('dispatch', order('registered'), actor('agent'), undefined), 'dispatched');
  assert.equal(checkTransition('sign', order('dispatched'), actor('unit_handler', LEAD_UNIT), undefined), 'signed');
  assert.equal(checkTransition('reply', order('signed'), actor('unit_manager', LEAD_UNIT), undefined), 'replied');
  assert.equal(checkTransition('reopen', order('visited'), actor('visitor'), 'not solved'), 'dispatched');
  assert.equal(checkTransition('urge', order('signed'), actor('supervisor'), undefined), 'signed');
});

test('actions that need a reason refuse an empty or blank one', () => {
  const needReason = ORDER_ACTIONS.filter((a) => (TRANSITIONS[a] as TransitionRule).reason);
  assert.deepEqual(needReason.sort(), ['cancel', 'deny_extension', 'escalate', 'pause_clock', 'reject_return', 'reopen', 'request_extension', 'return'].sort());
  assert.equal(codeOf(() => checkTransition('return', order('signed'), actor('unit_handler', LEAD_UNIT), '  ')), 'ORDER_REASON_REQUIRED');
  assert.equal(codeOf(() => checkTransition('cancel', order('registered'), actor('lead'), undefined)), 'ORDER_REASON_REQUIRED');
});

test('an extension is decided only when one is pending, and requested only when none is', () => {
  const handler = actor('unit_handler', LEAD_UNIT);
  assert.equal(codeOf(() => checkTransition('approve_extension', order('signed', false), actor('supervisor'), undefined)), 'ORDER_EXTENSION_NOT_PENDING');
  assert.equal(codeOf(() => checkTransition('request_extension', order('signed', true), handler, 'complex')), 'ORDER_EXTENSION_ALREADY_PENDING');
  assert.equal(checkTransition('approve_extension', order('signed', true), actor('supervisor'), undefined), 'signed');
});

test('every state can be reached and every open state can be left', () => {
  const reachable = new Set<string>(['registered']);
  for (const rule of Object.values(TRANSITIONS) as TransitionRule[]) if (rule.to !== 'same') reachable.add(rule.to);
  assert.deepEqual([...reachable].sort(), [...ORDER_STATES].sort());
  for (const state of ORDER_STATES.filter((s) => s !== 'archived')) {
    assert.ok((Object.values(TRANSITIONS) as TransitionRule[]).some((r) => r.from.includes(state) && r.to !== 'same' && r.to !== state),
      `${state} has a way out`);
  }
});

test('offers each reader the actions the rules let them take now, and only those', () => {
  assert.deepEqual(availableActions(order('registered'), actor('agent')), ['answer_directly', 'dispatch', 'merge']);
  assert.deepEqual(availableActions(order('dispatched'), actor('unit_handler', LEAD_UNIT)), ['sign', 'return']);
  assert.deepEqual(availableActions(order('dispatched'), actor('unit_handler', 'unit-other')), []);
  assert.deepEqual(availableActions(order('signed'), actor('unit_handler', CO_UNIT)), ['co_reply']);
  assert.ok(!availableActions(order('signed', true), actor('unit_handler', LEAD_UNIT)).includes('request_extension'), 'one extension request at a time');
  // the same answer as checkTransition, for every state, role and unit
  for (const state of ORDER_STATES) {
    for (const role of ROLES) {
      for (const unitId of [LEAD_UNIT, CO_UNIT, null]) {
        const offered = availableActions(order(state), actor(role, unitId));
        for (const action of ORDER_ACTIONS) {
          assert.equal(offered.includes(action), codeOf(() => checkTransition(action, order(state), actor(role, unitId), 'a reason')) === 'OK');
        }
      }
    }
  }
});
