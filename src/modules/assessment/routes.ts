// Assessment results, the orders behind a figure, and the Excel export.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { Month, Page, PageOf, responses, Secured, StringEnum, Uuid } from '../../http/schemas.js';
import { HOTLINE_ROLES } from '../auth/index.js';
import { areaIndex } from '../directory/index.js';
import { AssessmentOut, AssessmentWorkbookOut, FigureOrderOut } from './api-schemas.js';
import { assessmentWorkbook, assessUnits, figureOrders, FIGURE_NAMES, FIGURES, periodOf, RATES, SCORE_FORMULA } from './index.js';

const PeriodQuery = {
  month: Type.Optional(Month),
  from: Type.Optional(Type.String({ format: 'date', description: 'first day (YYYY-MM-DD), with `to`' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'last day, included' })),
};
const readers = { roles: [...HOTLINE_ROLES, 'unit_manager'] as const, scope: 'orders:read' as const };
const rules = [
  'Counted: each round (a dispatch, or a reopening) that started in the period; a return upheld by the hotline is not held against the unit.',
  ...Object.values(RATES).map((r) => `- ${r.formula.zh} (${r.formula.en})`),
  `- ${SCORE_FORMULA.zh} (${SCORE_FORMULA.en})`,
  'Ranked within each level: departments, districts; streets within their district, communities within their street.',
  `Figures: ${FIGURE_NAMES.map((f) => `\`${f}\` ${FIGURES[f].zh}`).join(', ')}.`,
].join('\n');

export const assessmentRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/assessment', {
    schema: { tags: ['assessment'], summary: 'Figures, the three rates (响应率 / 解决率 / 满意率), score and rank of every unit in a period',
      description: rules, security: Secured, querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
      response: responses({ 200: AssessmentOut }, 422) },
  }, async (req) => assessUnits(db.pool, requireActor(req, readers), periodOf(req.query)));

  app.get('/assessment/units/:unitId/orders', {
    schema: { tags: ['assessment'], summary: 'The orders behind one figure of one unit', description: rules, security: Secured,
      params: Type.Object({ unitId: Uuid }),
      querystring: Type.Object({ ...PeriodQuery, figure: StringEnum(FIGURE_NAMES), ...Page }, { additionalProperties: false }),
      response: responses({ 200: PageOf(FigureOrderOut) }, 422) },
  }, async (req) => {
    const { figure, limit = 50, offset = 0, ...period } = req.query;
    return figureOrders(db.pool, requireActor(req, readers), req.params.unitId, periodOf(period), figure, { limit, offset });
  });

  app.get('/assessment/export.xlsx', {
    schema: { tags: ['assessment'], summary: "The period's assessment as an Excel workbook, one sheet per level, formulas stated",
      security: Secured, querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
      response: responses({ 200: AssessmentWorkbookOut }, 422) },
  }, async (req, reply) => {
    const assessment = await assessUnits(db.pool, requireActor(req, readers), periodOf(req.query));
    const city = (await areaIndex(db.pool, config.cityCode)).get(config.cityCode);
    const file = await assessmentWorkbook(assessment, city?.name ?? config.cityCode);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="assessment-${assessment.period.label}.xlsx"`).send(file);
  });
};
