// The knowledge base: search and read for all staff, drafting for the units and the hotline, review
// and withdrawal for the hotline, the usage and expiry reports, and the public FAQ of the portal.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { responses, Secured } from '../../http/schemas.js';
import { ROLES } from '../auth/index.js';
import { getOrder } from '../orders/index.js';
import {
  ArticleOut, ArticleParams, CreateIn, ExpiryOut, ExpiryQuery, FaqOut, FaqQuery, ProposalOut, ProposalQuery, ReviewIn, SearchOut, SearchQueryIn,
  UsageOut, UsageQuery, VersionOut, WithdrawIn, WorkItemOut, WorkQuery,
} from './api-schemas.js';
import {
  articleVersions, createArticle, EDITORS, getArticle, proposalFrom, reviewVersion, submitVersion, withdrawArticle, workList, writeVersion,
} from './articles.js';
import { expiryReport } from './expiry.js';
import { searchArticles } from './search.js';
import { usageReport } from './usage.js';

/** Every staff role reads the published articles (共建共享). */
const readers = { roles: ROLES };
const editors = { roles: EDITORS };
const tags = ['knowledge'];
/** The FAQ shows the articles scoring at least this share of the best: the ones that answer, not every shared word. */
const FAQ_MIN_SHARE = 0.35;

export const knowledgeRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/knowledge/search', {
    schema: { tags, summary: 'Published articles matching what the caller asks, best first, with the words found marked',
      description: 'Cut into words by jieba with the city\'s vocabulary. An expired article is still found, marked `expired`, at half its score.',
      security: Secured, querystring: SearchQueryIn, response: responses({ 200: SearchOut }) },
  }, async (req) => {
    const actor = requireActor(req, readers);
    return searchArticles(db.pool, actor.cityCode, { ...req.query, q: req.query.q ?? '', limit: req.query.limit ?? 10, offset: req.query.offset ?? 0 });
  });

  app.post('/knowledge/articles', {
    schema: { tags, summary: 'A new article, its first version a draft (a unit for itself, the hotline for any unit)', security: Secured,
      body: CreateIn, response: responses({ 201: ArticleOut }, 403, 422) },
  }, async (req, reply) => reply.status(201).send(
    await createArticle(db.pool, requireActor(req, editors), req.body.ownerUnitId, req.body.content, req.body.sourceOrderId ?? null)));

  app.get('/knowledge/proposal', {
    schema: { tags, summary: "A new article proposed from an order's handling: its title as the question, the unit's last reply as the answer",
      description: 'For an answer units keep giving to the same question; nothing is saved until it is posted to /knowledge/articles.',
      security: Secured, querystring: ProposalQuery, response: responses({ 200: ProposalOut }, 404) },
  }, async (req) => {
    const actor = requireActor(req, editors);
    const order = await getOrder(db.pool, actor, req.query.orderId, req.ip);
    const replies = order.events.filter((e) => e.type === 'order.replied' || e.type === 'order.answered_directly').map((e) => String(e.payload.text));
    return { ...proposalFrom({ title: order.title, body: order.body, categoryCode: order.category?.code ?? null, areaCode: order.location.areaCode,
      leadUnitId: order.leadUnit?.id ?? null, replies }), sourceOrderId: order.id };
  });

  app.get('/knowledge/articles/:id', {
    schema: { tags, summary: 'An article: what agents read, and the version being written or reviewed for its writers', security: Secured,
      params: ArticleParams, response: responses({ 200: ArticleOut }, 404) },
  }, async (req) => getArticle(db.pool, requireActor(req, readers), req.params.id));

  app.get('/knowledge/articles/:id/versions', {
    schema: { tags, summary: "Every version of an article, newest first, with its review", security: Secured,
      params: ArticleParams, response: responses({ 200: Type.Array(VersionOut) }, 404) },
  }, async (req) => articleVersions(db.pool, requireActor(req, editors), req.params.id));

  app.put('/knowledge/articles/:id/draft', {
    schema: { tags, summary: 'Write the open version: edit the draft (or the rejected one), or start a revision of the published article',
      security: Secured, params: ArticleParams, body: CreateIn.properties.content, response: responses({ 200: ArticleOut }, 403, 404, 409, 422) },
  }, async (req) => writeVersion(db.pool, requireActor(req, editors), req.params.id, req.body));

  app.post('/knowledge/articles/:id/submit', {
    schema: { tags, summary: 'Hand the draft to the hotline for review', security: Secured,
      params: ArticleParams, response: responses({ 200: ArticleOut }, 403, 404, 409) },
  }, async (req) => submitVersion(db.pool, requireActor(req, editors), req.params.id));

  app.post('/knowledge/articles/:id/review', {
    schema: { tags, summary: 'The hotline publishes the version in review, or sends it back with a comment', security: Secured,
      params: ArticleParams, body: ReviewIn, response: responses({ 200: ArticleOut }, 403, 404, 409, 422) },
  }, async (req) => reviewVersion(db.pool, requireActor(req, editors), req.params.id, req.body.decision, req.body.comment ?? null));

  app.post('/knowledge/articles/:id/withdraw', {
    schema: { tags, summary: '下架: the article leaves search and the FAQ (a new version published brings it back)', security: Secured,
      params: ArticleParams, body: WithdrawIn, response: responses({ 200: ArticleOut }, 403, 404, 409) },
  }, async (req) => withdrawArticle(db.pool, requireActor(req, editors), req.params.id, req.body.reason));

  app.get('/knowledge/work', {
    schema: { tags, summary: 'Versions waiting for review (the hotline), or being written (a unit: its own)', security: Secured,
      querystring: WorkQuery, response: responses({ 200: Type.Array(WorkItemOut) }) },
  }, async (req) => workList(db.pool, requireActor(req, editors), req.query.status ?? 'in_review'));

  app.get('/knowledge/usage', {
    schema: { tags, summary: 'The direct-answer rate, the answers resting on articles, the articles used and those whose answers failed',
      security: Secured, querystring: UsageQuery, response: responses({ 200: UsageOut }) },
  }, async (req) => usageReport(db.pool, requireActor(req, editors), req.query.from, req.query.to));

  app.get('/knowledge/expiry', {
    schema: { tags, summary: 'Published articles expired, or expiring soon, soonest first', security: Secured,
      querystring: ExpiryQuery, response: responses({ 200: ExpiryOut }) },
  }, async (req) => expiryReport(db.pool, requireActor(req, editors), req.query.days ?? 30));

  app.get('/public/faq', {
    schema: { tags: ['citizen portal'], security: [], summary: 'The public FAQ: published public articles still valid, searched as agents search',
      querystring: FaqQuery, response: responses({ 200: FaqOut }) },
  }, async (req) => {
    const found = await searchArticles(db.pool, config.cityCode,
      { q: req.query.q ?? '', publicOnly: true, minShare: FAQ_MIN_SHARE, limit: req.query.limit ?? 20, offset: req.query.offset ?? 0 });
    return { total: found.total, items: found.items.map((h) => ({ id: h.id, title: h.title, answer: h.answer,
      ownerUnit: h.ownerUnit.name, publishedAt: h.publishedAt })) };
  });
};
