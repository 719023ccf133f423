// The mobile app's API for citizens, under /api/v1/app (docs/app.md): sign-in by phone with a
// one-time SMS code, then, with the citizen session's bearer token, their requests. Staff sessions
// and API keys get 403 AUTH_FORBIDDEN here, as citizens do on staff routes.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.js';
import { requireCitizen } from '../../http/auth.js';
import { clientAddressKey, limitedBy } from '../../http/client-address.js';
import { NoContent, responses } from '../../http/schemas.js';
import { DomainError } from '../../shared/errors.js';
import { AttachmentOut } from '../attachments/api-schemas.js';
import { ACCEPTED_TYPES, MAX_PER_SUBMISSION, uploadedFile } from '../attachments/index.js';
import { signInCitizen, signOutCitizen } from '../auth/index.js';
import { normalizePhone } from '../orders/index.js';
import { AppCodeBody, AppCodeOut, AppFollowBody, AppMeOut, AppRateBody, AppRequestsOut, AppRequestsQuery, AppSessionOut, AppSignInBody,
  AppSubmitBody, AppTrackingParams, CitizenOrderOut, PortalReceiptOut, UploadQuery } from './api-schemas.js';
import { AliyunSms, APP_CHANNEL, appRequest, countedAs, followRequest, myRequests, rateFromApp, sendSignInCode, submitFromApp, unfollowRequest,
  uploadFromApp } from './index.js';

const HOUR = 3_600_000;
const AppSecured = [{ citizen: [] }];

export const appRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config, files }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const byAddress = (prefix: string) => (req: FastifyRequest) => `${prefix}:${clientAddressKey(req.ip)}`;
  const limit = (max: number, timeWindow: number, keyGenerator: (req: FastifyRequest) => string) =>
    limitedBy([fastify.createRateLimit({ max, timeWindow, keyGenerator })], 'PORTAL_TOO_MANY');
  // codes cost an SMS each: an address asks for as many as it may submit on the portal; each phone's own limits are in the database
  const codeRequests = limit(config.portalLimitPerAddress, HOUR, byAddress('app-code'));
  // a code is 6 digits, 5 tries each: the address's tries are limited as lookups are
  const signIns = limit(config.portalLookupsPerMinute, 60_000, byAddress('app-sign-in'));
  const follows = limit(config.portalLookupsPerMinute, 60_000, byAddress('app-follow'));
  const perCitizen = (prefix: string) => (req: FastifyRequest) => `${prefix}:${req.actor?.id ?? clientAddressKey(req.ip)}`;
  const submissions = limit(config.portalLimitPerAddress, HOUR, perCitizen('app-submit'));
  const uploads = limit(config.portalLimitPerAddress * MAX_PER_SUBMISSION, HOUR, perCitizen('app-upload'));
  const tags = { tags: ['mobile app'] };
  const signedIn = { ...tags, security: AppSecured };

  app.post('/app/sign-in/code', {
    preHandler: codeRequests,
    schema: { ...tags, security: [], summary: 'Send a one-time sign-in code to the phone by SMS',
      description: `Six digits, good for 5 minutes and one sign-in. One code a minute and 5 an hour per phone (429 APP_CODE_TOO_SOON with Retry-After); a new code replaces the last.`,
      body: AppCodeBody, response: responses({ 200: AppCodeOut }, 422, 429, 503) },
  }, async (req, reply) => {
    // the sign-in code needs its own approved template: without it, no code can be sent
    const sms = config.aliyunSms?.templates.sign_in_code ? new AliyunSms(config.aliyunSms) : null;
    const result = await sendSignInCode(db.pool, config.cityCode, sms, req.body.phone);
    if (!result.sent) {
      reply.header('retry-after', String(result.retryAfterSeconds));
      throw new DomainError('APP_CODE_TOO_SOON', { seconds: result.retryAfterSeconds });
    }
    return { expiresAt: result.expiresAt, resendAfterSeconds: result.resendAfterSeconds };
  });

  app.post('/app/sign-in', {
    preHandler: signIns,
    schema: { ...tags, security: [], summary: 'Sign in with the phone and the code sent to it: a citizen session',
      description: 'A wrong code answers 401 APP_CODE_WRONG with the tries left; after 5, or once used or expired, 401 APP_CODE_EXPIRED.',
      body: AppSignInBody, response: responses({ 200: AppSessionOut }, 429) },
  }, async (req) => signInCitizen(db.pool, config.cityCode, normalizePhone(req.body.phone), req.body.code, { sessionDays: config.appSessionDays }));

  app.post('/app/sign-out', {
    schema: { ...signedIn, summary: 'End the citizen session', response: responses({ 204: NoContent }) },
  }, async (req, reply) => {
    requireCitizen(req);
    await signOutCitizen(db.pool, req.headers.authorization!.slice(7).trim());
    return reply.status(204).send();
  });

  app.get('/app/me', {
    schema: { ...signedIn, summary: 'The signed-in citizen', response: responses({ 200: AppMeOut }) },
  }, async (req) => {
    const citizen = requireCitizen(req);
    return { id: citizen.id, phone: citizen.phone };
  });

  app.post('/app/attachments', {
    preHandler: uploads,
    schema: { ...signedIn, summary: 'Upload a photo (or another accepted file) for a submission to come',
      description: `multipart/form-data with one file; its type is read from its bytes (${Object.keys(ACCEPTED_TYPES).join(', ')}), ` +
        'at most ATTACHMENT_MAX_BYTES and 9 files per submission. Name the returned id in the submission\'s attachmentIds, with the same clientRef.',
      consumes: ['multipart/form-data'], querystring: UploadQuery, response: responses({ 201: AttachmentOut }, 404, 409, 413, 415, 429) },
  }, async (req, reply) => {
    const citizen = requireCitizen(req);
    const file = await uploadedFile(req, config.attachmentMaxBytes);
    return reply.status(201).send(await uploadFromApp(db.pool, files, citizen, req.query.clientRef, file));
  });

  app.post('/app/requests', {
    preHandler: submissions,
    onSend: countedAs(db.pool, config.cityCode, (req) => (req.actor?.kind === 'citizen' ? APP_CHANNEL : undefined)),
    schema: { ...signedIn, summary: 'Submit a request from the app, with photos and the place',
      description: 'Answers the tracking number and the lookup code. A retry with the same clientRef gets the first answer (200) and makes no second order; ' +
        'the same clientRef with other content is 409 IDEMPOTENCY_CONFLICT.',
      body: AppSubmitBody, response: responses({ 201: PortalReceiptOut, 200: PortalReceiptOut }, 404, 409, 422, 429) },
  }, async (req, reply) => {
    const receipt = await submitFromApp(db.pool, requireCitizen(req), req.body);
    return reply.status(receipt.created ? 201 : 200).send(receipt);
  });

  app.get('/app/requests', {
    schema: { ...signedIn, summary: "The citizen's requests: submitted in the app, and followed; newest first",
      querystring: AppRequestsQuery, response: responses({ 200: AppRequestsOut }) },
  }, async (req) => myRequests(db.pool, requireCitizen(req), { limit: req.query.limit ?? 20, before: req.query.before }));

  app.get('/app/requests/:trackingNo', {
    schema: { ...signedIn, summary: 'One of the citizen\'s requests: where it stands, its public history and the answer',
      params: AppTrackingParams, response: responses({ 200: CitizenOrderOut }, 404) },
  }, async (req) => appRequest(db.pool, requireCitizen(req), req.params.trackingNo));

  app.post('/app/follows', {
    preHandler: follows,
    schema: { ...signedIn, summary: 'Follow a request made elsewhere (by phone, SMS, the portal…) with its tracking number and lookup code',
      body: AppFollowBody, response: responses({ 200: CitizenOrderOut }, 404, 429) },
  }, async (req) => followRequest(db.pool, requireCitizen(req), req.body.trackingNo, req.body.code));

  app.delete('/app/follows/:trackingNo', {
    schema: { ...signedIn, summary: 'Stop following a request (the citizen\'s own submissions stay on the list: 409)',
      params: AppTrackingParams, response: responses({ 204: NoContent }, 404, 409) },
  }, async (req, reply) => {
    await unfollowRequest(db.pool, requireCitizen(req), req.params.trackingNo);
    return reply.status(204).send();
  });

  app.post('/app/requests/:trackingNo/rating', {
    schema: { ...signedIn, summary: "The citizen's rating of the answer: it is the return visit",
      description: 'Solved and satisfied (or basically satisfied) closes the request; anything else goes to the supervisor, as a call would.',
      params: AppTrackingParams, body: AppRateBody, response: responses({ 200: CitizenOrderOut }, 404, 409) },
  }, async (req) => rateFromApp(db.pool, requireCitizen(req), req.params.trackingNo, req.body));
};
