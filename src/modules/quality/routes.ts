// Quality review (质检): scoring sheets, the month's samples, their scores, each agent's own reviews.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { PageOf, responses, Secured } from '../../http/schemas.js';
import { beijingMonth } from '../../shared/beijing.js';
import { HOTLINE_ROLES } from '../auth/index.js';
import { AgentScoresOut, ScoresWorkbookOut, DrawIn, DrawOut, MonthQuery, MyReviewsOut, ReviewOut, ReviewParams, ReviewsQuery, ScoreIn, SheetIn, SheetOut, SheetParams } from './api-schemas.js';
import { qualityWorkbook } from './export.js';
import { agentScores, getReview, listReviews, monthReviews, myReviews, REVIEW_READERS, REVIEWERS, scoreReview } from './reviews.js';
import { drawSamples } from './samples.js';
import { createSheet, listSheets, retireSheet } from './sheets.js';

const readers = { roles: REVIEW_READERS };
const reviewers = { roles: REVIEWERS };
/** Who defines the sheets: team leads and quality inspectors, and administrators. */
const sheetEditors = { roles: ['lead', 'admin'] as const };
/** Whose work is reviewed: the hotline's staff, each reading their own reviews. */
const reviewed = { roles: HOTLINE_ROLES };

export const qualityRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/quality/sheets', {
    schema: { tags: ['quality'], summary: 'The scoring sheets (质检评分表), the active ones first', security: Secured,
      response: responses({ 200: Type.Array(SheetOut) }) },
  }, async (req) => listSheets(db.pool, requireActor(req, readers).cityCode));

  app.post('/quality/sheets', {
    schema: { tags: ['quality'], summary: 'A new scoring sheet, active at once (and the sheet it replaces retired)', security: Secured,
      body: SheetIn, response: responses({ 201: SheetOut }, 404, 422) },
  }, async (req, reply) => {
    const { replaces, ...sheet } = req.body;
    return reply.status(201).send(await createSheet(db.pool, requireActor(req, sheetEditors), sheet, replaces));
  });

  app.post('/quality/sheets/:sheetId/retire', {
    schema: { tags: ['quality'], summary: 'Retire a scoring sheet: no new review uses it; the reviews that did keep it', security: Secured,
      params: SheetParams, response: responses({ 200: SheetOut }, 404) },
  }, async (req) => retireSheet(db.pool, requireActor(req, sheetEditors), req.params.sheetId));

  app.post('/quality/draws', {
    schema: { tags: ['quality'], summary: "Draw a month's samples: every mis-routed or reopened order, and random orders and calls per agent",
      description: 'Drawn again, it tops up: the new mis-routed and reopened orders, and random samples up to the numbers asked, never the same twice.',
      security: Secured, body: DrawIn, response: responses({ 200: DrawOut }) },
  }, async (req) => drawSamples(db.pool, requireActor(req, reviewers), { ...req.body, callsPerAgent: req.body.callsPerAgent ?? 0 }));

  app.get('/quality/reviews', {
    schema: { tags: ['quality'], summary: "The month's samples and their reviews, those waiting first", security: Secured,
      querystring: ReviewsQuery, response: responses({ 200: PageOf(ReviewOut) }) },
  }, async (req) => listReviews(db.pool, requireActor(req, readers),
    { ...req.query, month: req.query.month ?? beijingMonth(new Date()), limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));

  app.get('/quality/reviews/mine', {
    schema: { tags: ['quality'], summary: 'Your own reviews of a month, once scored, with your average', security: Secured,
      querystring: MonthQuery, response: responses({ 200: MyReviewsOut }) },
  }, async (req) => myReviews(db.pool, requireActor(req, reviewed), req.query.month));

  app.get('/quality/scores', {
    schema: { tags: ['quality'], summary: "Each agent's month: samples drawn and reviewed, average and lowest score, each item's average", security: Secured,
      querystring: MonthQuery, response: responses({ 200: AgentScoresOut }) },
  }, async (req) => agentScores(db.pool, requireActor(req, readers), req.query.month));

  app.get('/quality/scores.xlsx', {
    schema: { tags: ['quality'], summary: "The month's quality review as an Excel workbook: each agent's scores, then every scored review",
      security: Secured, querystring: MonthQuery, response: responses({ 200: ScoresWorkbookOut }) },
  }, async (req, reply) => {
    const actor = requireActor(req, readers);
    const reviews = await monthReviews(db.pool, actor, req.query.month);
    const { agents } = await agentScores(db.pool, actor, req.query.month, reviews);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="quality-${req.query.month}.xlsx"`)
      .send(await qualityWorkbook(req.query.month, agents, reviews));
  });

  app.get('/quality/reviews/:reviewId', {
    schema: { tags: ['quality'], summary: 'One review (an agent reads their own once scored)', security: Secured,
      params: ReviewParams, response: responses({ 200: ReviewOut }, 404) },
  }, async (req) => getReview(db.pool, requireActor(req, reviewed), req.params.reviewId));

  app.put('/quality/reviews/:reviewId', {
    schema: { tags: ['quality'], summary: 'Score a sample on a sheet, with a comment (or score it again); never your own work', security: Secured,
      params: ReviewParams, body: ScoreIn, response: responses({ 200: ReviewOut }, 404, 409, 422) },
  }, async (req) => scoreReview(db.pool, requireActor(req, reviewers), req.params.reviewId, req.body));
};
