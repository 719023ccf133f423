// Response schemas of the return-visit endpoints: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { DateTime, Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { SATISFACTION } from '../orders/index.js';

const VISIT_STATUSES = ['pending', 'done', 'unreachable', 'to_confirm', 'reopened', 'closed', 'withdrawn'] as const;

export const ReturnVisitOut = Type.Object({
  id: Type.Integer(), orderId: Uuid, trackingNo: Type.String(), title: Type.String(),
  reason: StringEnum(['reply', 'direct_answer_sample'] as const,
    { description: "why the citizen is called: the unit replied, or the order answered at the hotline fell in the sample" }),
  status: StringEnum(VISIT_STATUSES, { description: 'pending: to call; to_confirm: waiting for the supervisor; withdrawn: the hotline moved on' }),
  attempts: Type.Integer({ description: 'calls made' }),
  nextAttemptAt: DateTime('the next call is due then'),
  leadUnit: Nullable(Type.Object({ id: Uuid, name: Type.String() }),
    { description: 'the unit that handled the order; null: answered at the hotline' }),
  answer: Nullable(Type.String(), { description: 'what the unit (or the agent) answered: what to ask the citizen about' }),
  result: Type.Object({
    reached: Nullable(Type.Boolean()), solved: Nullable(Type.Boolean()), satisfaction: Nullable(StringEnum(SATISFACTION)),
    comment: Nullable(Type.String()), at: Nullable(DateTime()),
  }, { description: 'the outcome of the last call; nulls: no call reached the citizen yet' }),
  createdAt: DateTime(),
});
