// Supervision (督办): deadline settings, warnings and overdue orders by unit, decisions waiting,
// an order's deadlines, and each staff member's notices.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { NoContent, Page, PageOf, responses, Secured, StringEnum, Uuid } from '../../http/schemas.js';
import { withTransaction } from '../../db/tx.js';
import { pickLanguage } from '../../shared/i18n.js';
import { HOTLINE_ROLES, UNIT_ROLES } from '../auth/index.js';
import { sweepAllDue, timerBacklog } from '../timers/index.js';
import { alertSummary, getOrderDeadlines, listAlerts, listPendingDecisions } from '../supervision/index.js';
import { TIMER_HANDLERS } from '../../platform.js';
import {
  getSlaSettings, listNotices, markNoticeRead, updateSlaSettings,
} from './index.js';
import {
  AlertOut, NoticeOut, PendingDecisionOut, RoundOut, SlaSettingsOut, SweepOut, TimerBacklogOut, UnitAlertCountOut,
} from './api-schemas.js';

const Limit = (maximum: number) => Type.Number({ minimum: 0, maximum });
const Policy = Type.Object({
  unit: StringEnum(['working_days', 'hours'] as const), sign: Limit(240), reply: Limit(720), closeAfterReply: Limit(240), warnBefore: Limit(240),
}, { additionalProperties: false });
const SettingsPatch = Type.Object({
  deadlines: Type.Optional(Type.Object({ normal: Type.Optional(Type.Partial(Policy)), urgent: Type.Optional(Type.Partial(Policy)) },
    { additionalProperties: false })),
  useCategoryTimeLimit: Type.Optional(Type.Boolean()),
  returnWindowDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })),
  extensionMaxDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
  visit: Type.Optional(Type.Object({ maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    retryAfterHours: Type.Optional(Type.Number({ minimum: 0, maximum: 168 })),
    directAnswerSamplePercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })) }, { additionalProperties: false })),
  serviceLevels: Type.Optional(Type.Object({ phoneAnswerSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    mailboxReplyHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })) }, { additionalProperties: false })),
  assessmentWeights: Type.Optional(Type.Object({ response: Type.Optional(Limit(100)), onTimeReply: Type.Optional(Limit(100)),
    resolution: Type.Optional(Limit(100)), satisfaction: Type.Optional(Limit(100)) }, { additionalProperties: false })),
}, { additionalProperties: false, minProperties: 1 });

const SUPERVISORS = { roles: ['supervisor', 'lead', 'leader', 'admin'] as const };
const WATCHERS = { roles: [...HOTLINE_ROLES, ...UNIT_ROLES], scope: 'orders:read' as const };

export const slaRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/sla/settings', {
    schema: { tags: ['supervision'], summary: 'Deadline policies, return window, extension limit, return-visit rules, service levels, assessment weights',
      security: Secured, response: responses({ 200: SlaSettingsOut }) },
  }, async (req) => getSlaSettings(db.pool, requireActor(req, { roles: HOTLINE_ROLES }).cityCode));

  app.patch('/sla/settings', {
    schema: { tags: ['supervision'], summary: 'Change some settings (admin); they apply to deadlines set from now on', security: Secured,
      body: SettingsPatch, response: responses({ 200: SlaSettingsOut }, 422) },
  }, async (req) => {
    const actor = requireActor(req, { roles: ['admin'] });
    return withTransaction(db.pool, (client) => updateSlaSettings(client, actor, req.body));
  });

  app.get('/orders/:id/deadlines', {
    schema: { tags: ['supervision'], summary: "An order's deadlines, round by round, with what was met, warned and overdue",
      security: Secured, params: Type.Object({ id: Uuid }), response: responses({ 200: Type.Array(RoundOut) }, 404) },
  }, async (req) => getOrderDeadlines(db.pool, requireActor(req, WATCHERS), req.params.id));

  app.get('/supervision/alerts', {
    schema: { tags: ['supervision'], summary: 'Orders warned of a deadline, or overdue, the most pressing first', security: Secured,
      description: "A unit's staff see their unit's subtree; the hotline sees the city.",
      querystring: Type.Object({ level: StringEnum(['warning', 'overdue'] as const), unitId: Type.Optional(Uuid), ...Page },
        { additionalProperties: false }),
      response: responses({ 200: PageOf(AlertOut) }) },
  }, async (req) => {
    const { level, unitId, limit = 50, offset = 0 } = req.query;
    return listAlerts(db.pool, requireActor(req, WATCHERS), { level, unitId, limit, offset });
  });

  app.get('/supervision/units', {
    schema: { tags: ['supervision'], summary: 'Per unit: active rounds, warned, overdue, paused, extension requests', security: Secured,
      response: responses({ 200: Type.Array(UnitAlertCountOut) }) },
  }, async (req) => alertSummary(db.pool, requireActor(req, WATCHERS)));

  app.get('/supervision/extensions', {
    schema: { tags: ['supervision'], summary: 'Extension requests waiting for a decision (approve_extension / deny_extension)',
      security: Secured, querystring: Type.Object({ ...Page }, { additionalProperties: false }),
      response: responses({ 200: PageOf(PendingDecisionOut) }) },
  }, async (req) => listPendingDecisions(db.pool, requireActor(req, SUPERVISORS), 'extensions',
    { limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));

  app.get('/supervision/returns', {
    schema: { tags: ['supervision'], summary: 'Returned orders to arbitrate: dispatch elsewhere (upheld) or reject_return',
      security: Secured, querystring: Type.Object({ ...Page }, { additionalProperties: false }),
      response: responses({ 200: PageOf(PendingDecisionOut) }) },
  }, async (req) => listPendingDecisions(db.pool, requireActor(req, SUPERVISORS), 'returns',
    { limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));

  app.get('/supervision/timers', {
    schema: { tags: ['supervision'], summary: 'Timers waiting, due now, and failing (the sweep is healthy when due stays near 0)',
      security: Secured, response: responses({ 200: TimerBacklogOut }) },
  }, async (req) => {
    requireActor(req, SUPERVISORS);
    return timerBacklog(db.pool);
  });

  app.post('/supervision/timers/sweep', {
    schema: { tags: ['supervision'], summary: 'Fire the due timers now (admin); the server also sweeps every TIMER_SWEEP_SECONDS',
      security: Secured, response: responses({ 200: SweepOut }) },
  }, async (req) => {
    requireActor(req, { roles: ['admin'] });
    return sweepAllDue(db.pool, TIMER_HANDLERS);
  });

  app.get('/notices', {
    schema: { tags: ['supervision'], summary: "The caller's notices: deadline warnings, overdue marks, urges, escalations, a report ready, an article expired, a quality review scored",
      security: Secured, querystring: Type.Object({ unreadOnly: Type.Optional(Type.Boolean()), ...Page }, { additionalProperties: false }),
      response: responses({ 200: PageOf(NoticeOut) }) },
  }, async (req) => listNotices(db.pool, requireActor(req, { roles: [...HOTLINE_ROLES, ...UNIT_ROLES] }),
    { unreadOnly: req.query.unreadOnly ?? false, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 },
    pickLanguage(req.headers['accept-language'])));

  app.post('/notices/:id/read', {
    schema: { tags: ['supervision'], summary: 'Mark a notice read', security: Secured,
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: responses({ 204: NoContent }, 404) },
  }, async (req, reply) => {
    await markNoticeRead(db.pool, requireActor(req, { roles: [...HOTLINE_ROLES, ...UNIT_ROLES] }), req.params.id);
    return reply.status(204).send();
  });
};
