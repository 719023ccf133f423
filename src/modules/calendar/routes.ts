// The official calendar: which years are loaded, a year's days, loading a year (admin).
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { responses, Secured } from '../../http/schemas.js';
import { withTransaction } from '../../db/tx.js';
import { HOTLINE_ROLES, UNIT_ROLES } from '../auth/index.js';
import { CalendarYearOut, CalendarYearSummaryOut, WorkingDaysOut } from './api-schemas.js';
import { currentCalendar, getCalendarYear, listCalendarYears, saveCalendarYear } from './index.js';

const Day = Type.Object({ date: Type.String({ format: 'date' }), name: Type.String({ maxLength: 50 }) },
  { additionalProperties: false });
const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
const readers = { roles: [...HOTLINE_ROLES, ...UNIT_ROLES] };

export const calendarRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/calendar/years', {
    schema: { tags: ['calendar'], summary: 'Years whose official holiday calendar is loaded, and where each came from', security: Secured,
      response: responses({ 200: Type.Array(CalendarYearSummaryOut) }) },
  }, async (req) => {
    requireActor(req, readers);
    return listCalendarYears(db.pool);
  });

  app.get('/calendar/years/:year', {
    schema: { tags: ['calendar'], summary: "A year's public holidays and adjusted working days (调休)", security: Secured,
      params: YearParams, response: responses({ 200: CalendarYearOut }, 404) },
  }, async (req) => {
    requireActor(req, readers);
    return getCalendarYear(db.pool, req.params.year);
  });

  app.put('/calendar/years/:year', {
    schema: { tags: ['calendar'], summary: "Load or replace a year from the State Council's notice (admin)", security: Secured,
      description: 'Deadlines computed from now on use it; deadlines already set are not recomputed.',
      params: YearParams, body: Type.Object({ source: Type.String({ minLength: 1, maxLength: 200 }),
        holidays: Type.Array(Day, { maxItems: 60 }), workdays: Type.Array(Day, { maxItems: 30 }) }, { additionalProperties: false }),
      response: responses({ 200: CalendarYearOut }, 422) },
  }, async (req) => {
    const actor = requireActor(req, { roles: ['admin'] });
    return withTransaction(db.pool, (client) => saveCalendarYear(client, actor, req.params.year, req.body));
  });

  app.get('/calendar/working-days', {
    schema: { tags: ['calendar'], summary: 'When a limit of N working days that starts at a moment ends', security: Secured,
      querystring: Type.Object({ from: Type.String({ format: 'date-time' }), days: Type.Integer({ minimum: 0, maximum: 365 }) },
        { additionalProperties: false }),
      response: responses({ 200: WorkingDaysOut }) },
  }, async (req) => {
    requireActor(req, readers);
    const span = (await currentCalendar(db.pool)).addWorkingDays(new Date(req.query.from), req.query.days);
    return { dueAt: span.at.toISOString(), calendarComplete: span.calendarComplete };
  });
};
