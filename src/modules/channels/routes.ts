// The channels: the list and counters (for staff), the citizen portal's public routes (no sign-in),
// SMS's inbound callback, and the WeChat and Weibo callbacks (outside /api/v1, each signed its own way).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { clientAddressKey, limitedBy } from '../../http/client-address.js';
import { responses, Secured, Uuid } from '../../http/schemas.js';
import { AreaMatchOut } from '../directory/api-schemas.js';
import { searchAreas } from '../directory/index.js';
import { getOrderSummary, normalizePhone } from '../orders/index.js';
import { ChannelCountsOut, ChannelOut, CitizenOrderOut, CountsQuery, InboundSmsBody, InboundSmsOut, MessageOfOrderOut, PortalChallengeOut, PortalReceiptOut, PortalSubmitBody, RateBody, TrackBody, UploadQuery } from './api-schemas.js';
import { AttachmentOut } from '../attachments/api-schemas.js';
import { ACCEPTED_TYPES, MAX_PER_SUBMISSION, uploadedFile } from '../attachments/index.js';
import { channelCounts, countedAs, listChannels, PORTAL_CHANNEL, portalChallenge, rateRequest, receiveSms, messagesOfOrder, submitToPortal, trackRequest, uploadForPortal,
  verifyCallback, aesKeyOf, nonceHolds, receiveWechat, verifyUrl, checkReceiver, receiveWeibo, verifyWeibo, type WechatAccount } from './index.js';
import { DomainError } from '../../shared/errors.js';
import { bodySignatureOf } from '../../shared/signed-body.js';
import { keepRawJson, rawBodyOf } from '../../http/raw-body.js';

const HOUR = 3_600_000;

export const channelRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config, files }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const byAddress = (prefix: string) => (req: { ip: string }) => `${prefix}:${clientAddressKey(req.ip)}`;
  /** A pre-handler refusing with PORTAL_TOO_MANY past `max` requests per `timeWindow` for one key. */
  const limit = (max: number, timeWindow: number, keyGenerator: (req: FastifyRequest) => string) =>
    limitedBy([fastify.createRateLimit({ max, timeWindow, keyGenerator })], 'PORTAL_TOO_MANY');
  const submissions = limit(config.portalLimitPerAddress, HOUR, byAddress('portal'));
  // counted only once the proof holds and the submission is new: nobody can use up a stranger's phone with refused posts
  const perPhone = limit(config.portalLimitPerPhone, HOUR,
    (req) => `portal-phone:${normalizePhone(String((req.body as { contact?: { phone?: unknown } }).contact?.phone))}`);
  // a lookup code is 8 of 31 characters: at this rate, guessing one would take longer than any order lives
  const lookups = limit(config.portalLookupsPerMinute, 60_000, byAddress('lookup'));
  const uploads = limit(config.portalLimitPerAddress * MAX_PER_SUBMISSION, HOUR, byAddress('upload'));
  // the place type-ahead asks as the citizen types: more questions than lookups, none of them secret
  const placeSearches = limit(config.portalLookupsPerMinute * 4, 60_000, byAddress('places'));
  const publicTag = { tags: ['citizen portal'], security: [] };

  app.get('/channels/counts', {
    schema: { tags: ['channels'], summary: "Each channel's counters over a period: received, accepted, duplicate, refused (by error code), sent, failed",
      security: Secured, querystring: CountsQuery, response: responses({ 200: Type.Array(ChannelCountsOut) }) },
  }, async (req) => {
    const actor = requireActor(req, { roles: ['admin', 'supervisor', 'leader', 'lead'] });
    return channelCounts(db.pool, actor, req.query);
  });

  app.get('/orders/:id/messages', {
    schema: { tags: ['orders'], summary: 'What the hotline told (or is to tell) the citizen about the order, by SMS, WeChat or Weibo, oldest first', security: Secured,
      params: Type.Object({ id: Uuid }), response: responses({ 200: Type.Array(MessageOfOrderOut) }, 404) },
  }, async (req) => {
    const actor = requireActor(req, { scope: 'orders:read' });
    await getOrderSummary(db.pool, actor, req.params.id);
    return messagesOfOrder(db.pool, actor.cityCode, req.params.id);
  });

  app.get('/channels', {
    schema: { tags: ['channels'], summary: 'The channels citizens reach the hotline by (data: a new channel is a row)', security: Secured,
      response: responses({ 200: Type.Array(ChannelOut) }) },
  }, async (req) => {
    requireActor(req, { scope: 'directory:read' });
    return listChannels(db.pool);
  });

  app.get('/public/portal/challenge', {
    schema: { ...publicTag, summary: 'A proof-of-work challenge (ALTCHA) to solve before submitting a request',
      response: responses({ 200: PortalChallengeOut }) },
  }, async () => ({ challenge: await portalChallenge(db.pool, config.cityCode, config.portalProofOfWork) }));

  app.post('/public/portal/requests', {
    preHandler: submissions,
    onSend: countedAs(db.pool, config.cityCode, () => PORTAL_CHANNEL),
    schema: { ...publicTag, summary: "Submit a request to the mayor's mailbox (市长信箱)",
      description: 'Answers the tracking number and the lookup code. A retry with the same clientRef (and proof) gets the first ' +
        'answer (200) and makes no second order. Limited per client address and per contact phone (429 with Retry-After).',
      body: PortalSubmitBody, response: responses({ 201: PortalReceiptOut, 200: PortalReceiptOut }, 409, 422, 429) },
  }, async (req, reply) => {
    const receipt = await submitToPortal(db.pool, config.cityCode, req.body,
      { proofRequired: config.portalProofOfWork > 0, limitFresh: () => perPhone(req, reply) });
    return reply.status(receipt.created ? 201 : 200).send(receipt);
  });

  app.post('/public/portal/attachments', {
    preHandler: uploads,
    schema: { ...publicTag, summary: 'Upload a file (a photo, a PDF, an office document, a recording) for a submission to come',
      description: `multipart/form-data with one file; its type is read from its bytes (${Object.keys(ACCEPTED_TYPES).join(', ')}), ` +
        'at most ATTACHMENT_MAX_BYTES (10 MB) and 9 files per submission. Name the returned id in the submission\'s attachmentIds, ' +
        'with the same clientRef. An upload no submission claims is removed after a day.',
      consumes: ['multipart/form-data'], querystring: UploadQuery, response: responses({ 201: AttachmentOut }, 404, 409, 413, 415, 429) },
  }, async (req, reply) => {
    const file = await uploadedFile(req, config.attachmentMaxBytes);
    return reply.status(201).send(await uploadForPortal(db.pool, files, config.cityCode, req.query.clientRef, file));
  });

  app.post('/public/portal/track', {
    preHandler: lookups,
    schema: { ...publicTag, summary: 'A request as its citizen may see it: where it stands, its public history and the answer',
      description: 'POST, so that the lookup code stays out of addresses and logs.',
      body: TrackBody, response: responses({ 200: CitizenOrderOut }, 404, 429) },
  }, async (req) => trackRequest(db.pool, config.cityCode, req.body.trackingNo, req.body.code));

  app.post('/public/portal/rating', {
    preHandler: lookups,
    schema: { ...publicTag, summary: "The citizen's rating of the answer: it is the return visit",
      description: 'Solved and satisfied (or basically satisfied) closes the request; anything else goes to the supervisor, as a call would.',
      body: RateBody, response: responses({ 200: CitizenOrderOut }, 404, 409, 429) },
  }, async (req) => {
    const { trackingNo, code, ...rating } = req.body;
    return rateRequest(db.pool, config.cityCode, trackingNo, code, rating);
  });

  app.get('/public/areas/search', {
    preHandler: placeSearches,
    schema: { ...publicTag, summary: 'Areas whose name holds the words typed (the portal\'s place type-ahead)',
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Array(AreaMatchOut) }, 429) },
  }, async (req) => searchAreas(db.pool, config.cityCode, req.query.q, 10));

  // the SMS gateway's callback: signed over the body's exact bytes, so this scope keeps them, and
  // checks the signature before the body is validated (an unsigned caller learns nothing of it)
  await fastify.register(async (scope) => {
    keepRawJson(scope);
    scope.withTypeProvider<TypeBoxTypeProvider>().post('/public/sms/inbound', {
      preValidation: async (req) => {
        if (!config.smsCallbackSecret) throw new DomainError('SMS_NOT_CONFIGURED');
        await verifyCallback(db.pool, config.smsCallbackSecret, bodySignatureOf(req.headers), rawBodyOf(req));
      },
      schema: { tags: ['channels'], security: [], body: InboundSmsBody, response: responses({ 200: InboundSmsOut }, 409, 503),
        summary: "Messages citizens sent to the hotline's SMS number (Alibaba Cloud SmsUp push), signed by the gateway (docs/sms.md)" },
    }, async (req) => {
      // each message on its own: one refused (its id reused for another text) does not hold back the others
      const results = [];
      for (const message of req.body) {
        results.push(await receiveSms(db.pool, config.cityCode, message).catch((error: unknown) => {
          if (!(error instanceof DomainError)) throw error;
          return { kind: 'ignored' as const, reason: 'refused' as const, code: error.code };
        }));
      }
      return { code: 0, msg: '接收成功', results };
    });
  });
};

const WechatQuery = Type.Object({
  signature: Type.Optional(Type.String({ maxLength: 64 })),
  timestamp: Type.Optional(Type.String({ maxLength: 16 })),
  nonce: Type.Optional(Type.String({ maxLength: 64 })),
  echostr: Type.Optional(Type.String({ maxLength: 512 })),
  openid: Type.Optional(Type.String({ maxLength: 64 })),
  encrypt_type: Type.Optional(Type.String({ maxLength: 16 })),
  msg_signature: Type.Optional(Type.String({ maxLength: 64 })),
});

/**
 * WeChat's server-side callback for the official account, at /wechat/callback (outside /api/v1:
 * the address is configured once in WeChat's console): GET to verify the address, POST for
 * messages, in plain, compatible or safe mode (docs/wechat.md).
 */
export const wechatRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  const account = (): WechatAccount => {
    if (!config.wechat.token) throw new DomainError('WECHAT_NOT_CONFIGURED');
    return { token: config.wechat.token, appId: config.wechat.appId, aesKey: aesKeyOf(config.wechat.encodingAesKey) };
  };
  const tags = { tags: ['channels'], security: [] };
  fastify.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/wechat/callback', {
    schema: { ...tags, querystring: WechatQuery, produces: ['text/plain'], response: responses({ 200: Type.String({ description: 'echostr, as sent' }) }, 503),
      summary: "WeChat's check of the callback address: echostr back when the signature holds" },
  }, async (req, reply) => reply.type('text/plain; charset=utf-8').send(verifyUrl(account(), req.query)));
  app.post('/wechat/callback', {
    schema: { ...tags, querystring: WechatQuery, consumes: ['text/xml'], produces: ['text/xml'],
      body: Type.String({ maxLength: 64 * 1024, description: "WeChat's message XML (plain, or with <Encrypt> in safe and compatible mode)" }),
      response: responses({ 200: Type.String({ description: 'the passive reply (encrypted in safe mode), or "success" for none' }) }, 503),
      summary: 'Messages followers send to the official account: a text becomes a request (once per MsgId) answered with its tracking number; a photo or a location is added to it' },
  }, async (req, reply) => {
    const answer = await receiveWechat(db.pool, config.cityCode, account(), config.publicUrl, req.query, req.body);
    return reply.type(answer === 'success' ? 'text/plain; charset=utf-8' : 'text/xml; charset=utf-8').send(answer);
  });
};

const WeiboQuery = Type.Object({
  signature: Type.Optional(Type.String({ maxLength: 64 })),
  timestamp: Type.Optional(Type.String({ maxLength: 16 })),
  nonce: Type.Optional(Type.String({ maxLength: 64 })),
  echostr: Type.Optional(Type.String({ maxLength: 512 })),
});
const WeiboId = Type.Union([Type.String({ pattern: '^\\d{1,20}$' }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })]);
const WeiboPushBody = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 32 }),
  receiver_id: WeiboId,
  sender_id: WeiboId,
  created_at: Type.String({ minLength: 1, maxLength: 64, description: 'as Weibo writes it: Mon Jul 16 18:09:20 +0800 2012' }),
  text: Type.Optional(Type.String({ maxLength: 5000 })),
  data: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { additionalProperties: true });

/**
 * Weibo's fan service (粉丝服务平台) push for the hotline's Weibo account, at /weibo/callback (outside
 * /api/v1, configured once in Weibo's console): GET to verify the address, POST for private messages
 * and @-mentions (docs/weibo.md).
 */
export const weiboRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  keepRawJson(fastify); // the nonce is bound to the body's digest
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const verified = async (req: FastifyRequest) => {
    if (!config.weiboAppSecret) throw new DomainError('WEIBO_NOT_CONFIGURED');
    const { nonce } = verifyWeibo(config.weiboAppSecret, req.query as Record<string, unknown>);
    if (req.method === 'POST' && !(await nonceHolds(db.pool, 'weibo', nonce, rawBodyOf(req), new Date()))) {
      throw new DomainError('WEIBO_SIGNATURE_INVALID');
    }
  };
  const tags = { tags: ['channels'], security: [] };
  app.get('/weibo/callback', {
    preValidation: verified,
    schema: { ...tags, querystring: WeiboQuery, produces: ['text/plain'], response: responses({ 200: Type.String({ description: 'echostr, as sent' }) }, 503),
      summary: "Weibo's check of the callback address: echostr back when the signature holds" },
  }, async (req, reply) => {
    if (!req.query.echostr) throw new DomainError('WEIBO_SIGNATURE_INVALID');
    return reply.type('text/plain; charset=utf-8').send(req.query.echostr);
  });
  app.post('/weibo/callback', {
    preValidation: verified,
    schema: { ...tags, querystring: WeiboQuery, body: WeiboPushBody,
      response: responses({ 200: Type.String({ description: 'the passive reply as JSON text ({result, receiver_id, sender_id, type, data}), or empty for none' }) }, 503),
      summary: 'Private messages and @-mentions to the Weibo account: a text is a request (once however often pushed) answered with its tracking number; a place or a photo joins it' },
  }, async (req, reply) => {
    checkReceiver(config.weiboUid, req.body);
    const answer = await receiveWeibo(db.pool, config.cityCode, config.publicUrl, req.body);
    return reply.type(answer ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8').send(answer);
  });
};
