// Response schemas of the audit-log endpoint: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { DateTime, Nullable, StringEnum } from '../../http/schemas.js';

export const AuditRecordOut = Type.Object({
  source: StringEnum(['audit', 'event'] as const, { description: "'event': a change of an order, kept in the event log" }),
  id: Type.Integer({ description: "the record's id where it is kept (an event's position)" }),
  at: DateTime(),
  // the table also allows 'citizen' (a citizen's own channel), which no actor of the platform is yet
  actorKind: StringEnum(['staff', 'api_key', 'system', 'citizen'] as const),
  actorId: Nullable(Type.String(), { description: 'staff id or API key id; null for the platform itself' }),
  actorName: Nullable(Type.String()),
  action: Type.String({ description: "dotted verb: 'staff.created', 'order.dispatched', 'personal_data.read'…" }),
  subjectType: Type.String(),
  subjectId: Nullable(Type.String()),
  // free-form by design: each action records what it changed, in its own shape
  detail: Type.Record(Type.String(), Type.Unknown(), { description: 'what the action changed or read; its shape depends on the action' }),
  ip: Nullable(Type.String(), { description: "the caller's address; null when the change did not come over HTTP" }),
});
