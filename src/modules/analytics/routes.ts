// The analysis (figures, trends, rankings over the rollups) and the early warnings (突发事件预警): the list, one warning with its reports, acknowledging and closing, the thresholds.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { Page, PageOf, responses, Secured, StringEnum, Uuid } from '../../http/schemas.js';
import { withTransaction } from '../../db/tx.js';
import { pageOf } from '../../db/page.js';
import { HOTLINE_ROLES, UNIT_ROLES } from '../auth/index.js';
import { AcknowledgeIn, CallersOut, ReportFileOut, ReportOut, CloseIn, Day, DimensionIn, HotTopicOrdersOut, HotTopicsOut, TodayOut, RisingWordsOut, OverviewOut, TopOut, TrendOut, WarningDetailOut, WarningOut, WarningSettingsOut,
  WarningSettingsPatch } from './api-schemas.js';
import { callerAnalysis, overview, today, top, TOP_ORDERS, trend } from './analysis.js';
import { analysisReport, reportFile, REPORT_FORMATS, REPORT_LANGS } from './report/index.js';
import { HOT_TOPIC_ORDERS, hotTopicOrders, hotTopics, JOIN_SIMILARITY, MIN_SIZE, risingWords, WINDOW_HOURS } from './hot-topics.js';
import { getWarningSettings, updateWarningSettings } from './warning-settings.js';
import { acknowledgeWarning, closeWarning, getWarning, listWarnings, WARNING_HANDLERS, WARNING_STATUSES } from './warnings.js';

/** The early warnings: the hotline's staff, and city-wide keys that read orders or the analysis (as the hot topics, with their orders) */
const READERS = { roles: HOTLINE_ROLES, scope: ['orders:read', 'analytics:read'] as const };
const HANDLERS = { roles: WARNING_HANDLERS };
const ANALYSTS = { roles: [...HOTLINE_ROLES, ...UNIT_ROLES], scope: 'analytics:read' as const };
const scoped = 'Read from the rollups (never the orders). Scoped by the reader: the hotline\'s staff and city-wide keys (scope analytics:read) ' +
  'read the whole city; a unit\'s staff and keys read the orders their unit and the units below it lead (scope: units). ' +
  'Days are Beijing dates; `to` is the last day included.';
const SpanIn = { from: Day, to: Type.String({ format: 'date', description: 'the last day, included' }) };
const rule = 'A warning is raised when the reports of one matter (the category at the third level) from one area (a community, or a street) ' +
  'within the window reach the minimum and are less likely than the threshold under the area\'s history; later reports join it. ' +
  'Pushed on the live stream as warning.* events. City-wide: the hotline\'s staff and city-wide API keys (scope orders:read or analytics:read) read them.';

export const analyticsRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/analytics/overview', {
    schema: { tags: ['analytics'], summary: 'A period\'s figures, against the period before (环比) and the same dates a year earlier (同比)',
      description: `${scoped} At most 11 years.`, security: Secured,
      querystring: Type.Object(SpanIn, { additionalProperties: false }), response: responses({ 200: OverviewOut }, 422) },
  }, async (req) => overview(db.pool, requireActor(req, ANALYSTS), req.query));

  app.get('/analytics/trend', {
    schema: { tags: ['analytics'], summary: 'Figures per day, month or year for the members of a dimension, each period against the one before and a year earlier',
      description: `${scoped} By day at most 400 days, by month or year 11 years. A span's first and last periods hold only its days.`, security: Secured,
      querystring: Type.Object({
        ...SpanIn,
        dim: DimensionIn,
        grain: StringEnum(['day', 'month', 'year'] as const),
        member: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20, description: 'repeat for several; default: the biggest `limit` over the span' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })),
      }, { additionalProperties: false }),
      response: responses({ 200: TrendOut }, 422) },
  }, async (req) => {
    const { member, limit = 8, ...q } = req.query;
    return trend(db.pool, requireActor(req, ANALYSTS), { ...q, members: member, limit });
  });

  app.get('/analytics/top', {
    schema: { tags: ['analytics'], summary: 'The members of a dimension ranked by orders, or by growth against the span before (what is rising)',
      description: `${scoped} At most 11 years.`, security: Secured,
      querystring: Type.Object({
        ...SpanIn,
        dim: DimensionIn,
        order: Type.Optional(StringEnum(TOP_ORDERS, { description: 'orders (default); growth: the most orders more than in the span before; ' +
          'angry, repeated, danger: the most orders whose text the classifier flagged so (舆情)' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20 })),
      }, { additionalProperties: false }),
      response: responses({ 200: TopOut }, 422) },
  }, async (req) => {
    const { order = 'orders', limit = 20, ...q } = req.query;
    return top(db.pool, requireActor(req, ANALYSTS), { ...q, order, limit });
  });

  app.get('/analytics/callers', {
    schema: { tags: ['analytics'], summary: 'Callers by how often they contact the hotline (once, 2–5, 6–20, more), and the span\'s orders of each group compared',
      description: `${scoped} A caller is a phone number, else an identity on a channel (WeChat, Weibo), counted as a pseudonym; ` +
        'the group is by contacts over the whole history, so a caller moves up as they call again. At most 11 years.', security: Secured,
      querystring: Type.Object(SpanIn, { additionalProperties: false }), response: responses({ 200: CallersOut }, 422) },
  }, async (req) => callerAnalysis(db.pool, requireActor(req, ANALYSTS), req.query));

  app.get('/analytics/hot-topics', {
    schema: { tags: ['analytics'], summary: 'Hot topics (热点): clusters of similar recent requests from one district, ranked by size or growth',
      description: `Each registered order joins the topic of its district (active within ${WINDOW_HOURS} h) whose keywords are closest ` +
        `(cosine ≥ ${JOIN_SIMILARITY}), or starts one; a topic is hot from ${MIN_SIZE} orders. Refreshed as orders arrive. ` +
        'City-wide: the hotline\'s staff and city-wide keys (scope analytics:read).', security: Secured,
      querystring: Type.Object({
        hours: Type.Optional(Type.Integer({ minimum: 1, maximum: WINDOW_HOURS, default: 24, description: 'the window, hours before now' })),
        order: Type.Optional(StringEnum(HOT_TOPIC_ORDERS, { description: 'recent (default): most orders in the window; growth: most more than the window before' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
      }, { additionalProperties: false }),
      response: responses({ 200: HotTopicsOut }) },
  }, async (req) => {
    const { hours = 24, order = 'recent', limit = 20 } = req.query;
    return hotTopics(db.pool, requireActor(req, ANALYSTS), { hours, order, limit });
  });

  app.get('/analytics/hot-topics/:id/orders', {
    schema: { tags: ['analytics'], summary: 'A hot topic\'s orders, the latest first (the drill-down from a topic)',
      description: 'City-wide: the hotline\'s staff and city-wide keys (scope analytics:read). A topic is dropped 30 days after its last order.',
      security: Secured, params: Type.Object({ id: Uuid }), querystring: Type.Object({ ...Page }, { additionalProperties: false }),
      response: responses({ 200: HotTopicOrdersOut }, 404) },
  }, async (req) => {
    const { limit = 50, offset = 0 } = req.query;
    const { items, total } = await hotTopicOrders(db.pool, requireActor(req, ANALYSTS), req.params.id, { limit, offset });
    return pageOf(items, { total, exact: true }, { limit, offset });
  });

  const ReportQuery = {
    period: Type.String({ maxLength: 7, description: 'a month (2026-11) or a quarter (2026-Q4) that has begun; one under way is counted up to today' }),
  };
  const reportText = `${scoped} Every section read as the endpoints above read it; the hot topics, the early warnings and the units' assessment ` +
    'are in the city-wide report only (null in a unit\'s). Hot topics are kept 30 days after their last order: a report made later has fewer.';
  app.get('/analytics/report', {
    schema: { tags: ['analytics'], summary: 'The monthly or quarterly analysis report (月度、季度分析报告): volumes, hot topics, rankings, satisfaction, callers',
      description: reportText, security: Secured, querystring: Type.Object(ReportQuery, { additionalProperties: false }),
      response: responses({ 200: ReportOut }, 422) },
  }, async (req) => analysisReport(db.pool, requireActor(req, ANALYSTS), req.query.period));

  for (const format of REPORT_FORMATS) {
    app.get(`/analytics/report.${format}`, {
      schema: { tags: ['analytics'], summary: `The analysis report as ${format === 'pdf' ? 'a PDF to print, with its charts' : 'an Excel workbook, a sheet per section, with its charts'}`,
        description: `${reportText} In Simplified Chinese, or English with lang=en.`, security: Secured,
        querystring: Type.Object({ ...ReportQuery, lang: Type.Optional(StringEnum(REPORT_LANGS, { description: 'zh (default) or en' })) }, { additionalProperties: false }),
        response: responses({ 200: ReportFileOut[format] }, 422) },
    }, async (req, reply) => {
      const { period, lang = 'zh' } = req.query;
      const file = await reportFile(db.pool, requireActor(req, ANALYSTS), { period, lang, format });
      return reply.type(file.type).header('content-disposition', `attachment; filename="${file.name}"`).send(file.bytes);
    });
  }

  app.get('/analytics/today', {
    schema: { tags: ['analytics'], summary: 'Today\'s orders hour by hour, against the same date a year earlier (the leadership screen\'s live volume)',
      description: 'From the city\'s rollups by hour of registration (Beijing). Up to now against the same time a year earlier, the hour under way ' +
        'taken in proportion to its minutes gone. City-wide: a unit is refused with ANALYTICS_CITY_ONLY.', security: Secured,
      response: responses({ 200: TodayOut }) },
  }, async (req) => today(db.pool, requireActor(req, ANALYSTS)));

  app.get('/analytics/rising-words', {
    schema: { tags: ['analytics'], summary: 'Public opinion (舆情): the words used in the most orders more than in the days before',
      description: 'The keywords of the orders registered in the last `days` (counted as they arrive, kept 90 days) against the ' +
        'days before; a word rises from 3 orders. City-wide: the hotline\'s staff and city-wide keys (scope analytics:read).', security: Secured,
      querystring: Type.Object({
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 45, default: 7 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
      }, { additionalProperties: false }),
      response: responses({ 200: RisingWordsOut }) },
  }, async (req) => risingWords(db.pool, requireActor(req, ANALYSTS), { days: req.query.days ?? 7, limit: req.query.limit ?? 20 }));

  app.get('/warnings', {
    schema: { tags: ['warnings'], summary: 'Early warnings (突发事件预警), the latest first', description: rule, security: Secured,
      querystring: Type.Object({
        status: Type.Optional(Type.Array(StringEnum(WARNING_STATUSES), { maxItems: 3, description: 'repeat to ask for several; default all' })),
        from: Type.Optional(Type.String({ format: 'date-time', description: 'crossed at or after' })),
        to: Type.Optional(Type.String({ format: 'date-time', description: 'crossed before' })),
        ...Page,
      }, { additionalProperties: false }),
      response: responses({ 200: PageOf(WarningOut) }) },
  }, async (req) => {
    const { limit = 50, offset = 0, ...q } = req.query;
    const { items, total } = await listWarnings(db.pool, requireActor(req, READERS), { ...q, limit, offset });
    return pageOf(items, { total, exact: true }, { limit, offset });
  });

  app.get('/warnings/settings', {
    schema: { tags: ['warnings'], summary: 'The thresholds of the early warning', security: Secured, response: responses({ 200: WarningSettingsOut }) },
  }, async (req) => getWarningSettings(db.pool, requireActor(req, { roles: HOTLINE_ROLES }).cityCode));

  app.patch('/warnings/settings', {
    schema: { tags: ['warnings'], summary: 'Change some thresholds (admin); they apply to the reports that come from now on', security: Secured,
      body: WarningSettingsPatch, response: responses({ 200: WarningSettingsOut }, 422) },
  }, async (req) => {
    const actor = requireActor(req, { roles: ['admin'] });
    return withTransaction(db.pool, (tx) => updateWarningSettings(tx, actor, req.body));
  });

  app.get('/warnings/:id', {
    schema: { tags: ['warnings'], summary: 'One early warning, with its reports', security: Secured, params: Type.Object({ id: Uuid }),
      response: responses({ 200: WarningDetailOut }, 404) },
  }, async (req) => getWarning(db.pool, requireActor(req, READERS), req.params.id));

  app.post('/warnings/:id/acknowledge', {
    schema: { tags: ['warnings'], summary: 'Take an open warning in hand (确认): supervisors, team leads, leaders', security: Secured,
      params: Type.Object({ id: Uuid }), body: AcknowledgeIn, response: responses({ 200: WarningOut }, 404, 409) },
  }, async (req) => acknowledgeWarning(db.pool, requireActor(req, HANDLERS), req.params.id, req.body.text?.trim() || null));

  app.post('/warnings/:id/close', {
    schema: { tags: ['warnings'], summary: 'Close a warning with its outcome (关闭): a real incident, or a false alarm', security: Secured,
      params: Type.Object({ id: Uuid }), body: CloseIn, response: responses({ 200: WarningOut }, 404, 409) },
  }, async (req) => closeWarning(db.pool, requireActor(req, HANDLERS), req.params.id, req.body.outcome, req.body.text?.trim() || null));
};
