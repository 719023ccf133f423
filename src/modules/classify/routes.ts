// Classification endpoints: suggestions while typing, an order's suggestion and similar orders,
// the models in use and their training, and how often agents accept what is suggested.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { responses, Secured, Uuid } from '../../http/schemas.js';
import { DomainError } from '../../shared/errors.js';
import { getOrderSummary, similarOrders, suggestWhileTyping, trainingOrders } from '../orders/index.js';
import { AcceptanceOut, DecisionOut, ModelOut, RunOut, SimilarOut, SuggestBody, SuggestionOut } from './api-schemas.js';
import { acceptance, getRun, latestSuggestion, listModels, listRuns, startTraining } from './index.js';

const intake = { roles: ['agent', 'lead', 'dispatcher'] as const };
const oversight = { roles: ['admin', 'lead', 'supervisor', 'leader'] as const };
const IdParams = Type.Object({ id: Uuid });

export const classifyRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/classify/suggest', {
    schema: { tags: ['classification'], summary: 'Suggest category, request type, units, signals and similar orders for a text (nothing stored)',
      description: 'What the agent sees while typing. Confidence is calibrated: 0.8 means right about 8 times in 10; ' +
        'below 0.6 the suggestion is flagged lowConfidence. The same suggestion comes with POST /orders and PATCH /orders/{id} (text).',
      security: Secured, body: SuggestBody, response: responses({ 200: SuggestionOut }, 422) },
  }, async (req) => {
    return suggestWhileTyping(db.pool, requireActor(req, intake), req.body);
  });

  app.get('/orders/:id/suggestion', {
    schema: { tags: ['classification'], summary: "The latest suggestion made for an order, and the agent's choice once made",
      security: Secured, params: IdParams,
      response: responses({ 200: Type.Intersect([SuggestionOut, Type.Object({ decision: DecisionOut })]) }, 404) },
  }, async (req) => {
    const actor = requireActor(req, intake);
    await getOrderSummary(db.pool, actor, req.params.id);
    const s = await latestSuggestion(db.pool, req.params.id);
    if (!s) throw new DomainError('CLASSIFY_NO_SUGGESTION', { id: req.params.id });
    return s;
  });

  app.get('/orders/:id/similar', {
    schema: { tags: ['classification'], summary: 'The orders most similar to this one (duplicates, answers that worked)', security: Secured,
      params: IdParams,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 365 })) }, { additionalProperties: false }),
      response: responses({ 200: SimilarOut }, 404) },
  }, async (req) => similarOrders(db.pool, requireActor(req, intake), req.params.id, { limit: req.query.limit ?? 10, days: req.query.days ?? 365 }));

  app.get('/classify/models', {
    schema: { tags: ['classification'], summary: 'The trained models: the ones in use, their versions, training dates and held-back scores',
      security: Secured, response: responses({ 200: Type.Object({ models: Type.Array(ModelOut), runs: Type.Array(RunOut) }) }) },
  }, async (req) => {
    const actor = requireActor(req, oversight);
    return { models: await listModels(db.pool, actor.cityCode), runs: await listRuns(db.pool, actor.cityCode, 20) };
  });

  app.post('/classify/training', {
    schema: { tags: ['classification'], summary: 'Retrain from the closed orders now (admin); answers at once with the run to follow',
      description: 'A new model is switched in only if it scores better than the one in use on the same held-back orders (the newest tenth).',
      security: Secured, response: responses({ 202: Type.Object({ runId: Type.Integer() }) }, 409) },
  }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['admin'] });
    const { runId, done } = await startTraining(db.pool, actor, 'api', { source: { kind: 'history', orders: trainingOrders } });
    done.catch((error: unknown) => req.log.error(error));
    return reply.status(202).send({ runId });
  });

  app.get('/classify/training/:id', {
    schema: { tags: ['classification'], summary: 'One training run: running, done (with its models), skipped (and why) or failed',
      security: Secured, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: responses({ 200: RunOut }, 404) },
  }, async (req) => getRun(db.pool, requireActor(req, oversight).cityCode, req.params.id));

  app.get('/classify/acceptance', {
    schema: { tags: ['classification'], summary: 'How often agents accepted the suggested category and request type',
      description: 'Over the orders dispatched or answered directly in [from, to) (default: the last 30 days). Accepted: the agent kept ' +
        'the suggested category or chose one beneath it; corrected: anything else. acceptanceRate = accepted ÷ (accepted + corrected).',
      security: Secured,
      querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })) },
        { additionalProperties: false }),
      response: responses({ 200: AcceptanceOut }) },
  }, async (req) => {
    const actor = requireActor(req, oversight);
    const to = req.query.to ? new Date(req.query.to) : new Date();
    const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * 86_400_000);
    if (!(from < to)) throw new DomainError('VALIDATION_FAILED', { detail: { zh: '开始时间 from 须早于结束时间 to', en: 'from must be before to' } });
    return acceptance(db.pool, actor.cityCode, from, to);
  });
};
