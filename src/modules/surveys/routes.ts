// Surveys: written, given respondents, opened and closed by the hotline; answered by a personal link,
// on the portal or on an agent's call; read as results and a workbook.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { clientAddressKey, limitedBy } from '../../http/client-address.js';
import { NoContent, responses, Secured, Uuid } from '../../http/schemas.js';
import {
  AnswersIn, MoveIn, PortalAnswersIn, PublicSurveyOut, RespondentParams, RespondentsIn, RespondentsOut, ResultsOut, ResultsQuery, ResultsWorkbookOut,
  SurveyIn, SurveyOut, SurveyParams, ToCallOut, TokenParams,
} from './api-schemas.js';
import { uploadedFile } from '../attachments/index.js';
import { inviteRespondents } from './invitations.js';
import { MAX_LIST, rowsOfFile } from './respondent-list.js';
import { answerByToken, answerOnPortal, answerOutbound, respondentsToCall, surveyByToken } from './answers.js';
import { resultsWorkbook, surveyResults } from './results.js';
import { addRespondents, createSurvey, getSurvey, listSurveys, moveSurvey, portalSurveys, SURVEY_MANAGERS, SURVEY_READERS, updateSurvey } from './surveys.js';

const managers = { roles: SURVEY_MANAGERS };
const readers = { roles: SURVEY_READERS };
const callers = { roles: ['agent', 'lead'] as const };
const tags = ['surveys'];
const publicTag = { tags: ['citizen portal'], security: [] };

export const surveyRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // the public answers, per address as the portal's submissions: numbers are not proved, so one
  // address cannot stuff a survey with made-up respondents faster than this
  // numbers are proved by an SMS code where the platform can send one (the app's sign-in template)
  const proveNumbers = !!config.aliyunSms?.templates.sign_in_code;
  const publicAnswers = limitedBy([fastify.createRateLimit({ max: config.portalLimitPerAddress, timeWindow: 3_600_000,
    keyGenerator: (req) => `survey:${clientAddressKey(req.ip)}` })], 'PORTAL_TOO_MANY');

  app.get('/surveys', {
    schema: { tags, summary: 'The surveys, newest first', security: Secured, response: responses({ 200: Type.Array(SurveyOut) }) },
  }, async (req) => listSurveys(db.pool, requireActor(req, { roles: [...SURVEY_READERS, 'agent'] }).cityCode));

  app.post('/surveys', {
    schema: { tags, summary: 'A new survey, a draft', security: Secured, body: SurveyIn, response: responses({ 201: SurveyOut }, 422) },
  }, async (req, reply) => reply.status(201).send(await createSurvey(db.pool, requireActor(req, managers), req.body)));

  app.get('/surveys/:id', {
    schema: { tags, summary: 'One survey', security: Secured, params: SurveyParams, response: responses({ 200: SurveyOut }, 404) },
  }, async (req) => getSurvey(db.pool, requireActor(req, { roles: [...SURVEY_READERS, 'agent'] }).cityCode, req.params.id));

  app.put('/surveys/:id', {
    schema: { tags, summary: 'Change a draft (once open, its questions stay)', security: Secured, params: SurveyParams, body: SurveyIn,
      response: responses({ 200: SurveyOut }, 404, 409, 422) },
  }, async (req) => updateSurvey(db.pool, requireActor(req, managers), req.params.id, req.body));

  app.post('/surveys/:id/status', {
    schema: { tags, summary: 'Open a draft, or close an open survey', security: Secured, params: SurveyParams, body: MoveIn,
      response: responses({ 200: SurveyOut }, 404, 409) },
  }, async (req) => moveSurvey(db.pool, requireActor(req, managers), req.params.id, req.body.to));

  app.post('/surveys/:id/respondents', {
    schema: { tags, summary: 'Add respondents: the callers of a period (about a category, in a place; all or a random sample), or a list',
      description: 'A number already asked is not added again; callers who asked for no call-back or for confidentiality are left out.',
      security: Secured, params: SurveyParams, body: RespondentsIn, response: responses({ 200: RespondentsOut }, 404, 409, 422) },
  }, async (req) => addRespondents(db.pool, requireActor(req, managers), req.params.id, req.body));

  app.post('/surveys/:id/respondents/file', {
    schema: { tags, summary: 'Add respondents from a file: an Excel workbook (.xlsx, its first sheet) or a CSV or text file (UTF-8 or GBK)',
      description: `multipart/form-data with one file. Each row gives its first cell that is a mobile number; a first row without digits is a header; ` +
        `the rows without a number are told back (the first 50, with their row numbers). At most ${MAX_LIST} numbers.`,
      consumes: ['multipart/form-data'], security: Secured, params: SurveyParams, response: responses({ 200: RespondentsOut }, 404, 409, 413, 415, 422) },
  }, async (req) => {
    const actor = requireActor(req, managers);
    const file = await uploadedFile(req, config.attachmentMaxBytes);
    return addRespondents(db.pool, actor, req.params.id, { kind: 'file', rows: await rowsOfFile(file.bytes) });
  });

  app.post('/surveys/:id/invitations', {
    schema: { tags, summary: 'Send the SMS invitations (the personal link) to the respondents with a number not yet invited',
      description: 'Queued now, sent by the SMS sender (a refusal worth retrying is tried again; one invitation per person).',
      security: Secured, params: SurveyParams, response: responses({ 200: Type.Object({ queued: Type.Integer() }) }, 404, 409, 503) },
  }, async (req) => inviteRespondents(db.pool, requireActor(req, managers), req.params.id, !!config.aliyunSms?.templates.survey_invitation));

  app.get('/surveys/:id/calls', {
    schema: { tags, summary: 'Respondents for an agent to call: not answered yet, the longest waiting first', security: Secured, params: SurveyParams,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) }, { additionalProperties: false }),
      response: responses({ 200: ToCallOut }, 404, 409) },
  }, async (req) => respondentsToCall(db.pool, requireActor(req, callers), req.params.id, req.query.limit ?? 20));

  app.post('/surveys/:id/respondents/:respondentId/answers', {
    schema: { tags, summary: "An agent enters a respondent's answers on an outbound call (once)", security: Secured, params: RespondentParams,
      body: AnswersIn, response: responses({ 204: NoContent }, 404, 409, 422) },
  }, async (req, reply) => {
    await answerOutbound(db.pool, requireActor(req, callers), req.params.id, req.params.respondentId, req.body.answers);
    return reply.status(204).send();
  });

  app.get('/surveys/:id/results', {
    schema: { tags, summary: "The results: each question's counts and shares, a scale's mean, free texts; cross-tabulated by district or a question",
      security: Secured, params: SurveyParams, querystring: ResultsQuery, response: responses({ 200: ResultsOut }, 404, 422) },
  }, async (req) => surveyResults(db.pool, requireActor(req, readers).cityCode, req.params.id, req.query.by));

  app.get('/surveys/:id/results.xlsx', {
    schema: { tags, summary: 'The results as an Excel workbook (no personal data)', security: Secured, params: SurveyParams,
      response: responses({ 200: ResultsWorkbookOut }, 404) },
  }, async (req, reply) => {
    const actor = requireActor(req, readers);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="survey-${req.params.id.slice(0, 8)}.xlsx"`)
      .send(await resultsWorkbook(db.pool, actor.cityCode, req.params.id));
  });

  app.get('/public/surveys', {
    schema: { ...publicTag, summary: 'The surveys open on the portal today, to answer with a mobile number',
      response: responses({ 200: Type.Array(Type.Object({ id: Uuid, title: Type.String(), intro: Type.String(), questions: PublicSurveyOut.properties.survey.properties.questions,
        endsOn: Type.String(), phoneCode: Type.Boolean({ description: 'the answer carries the code sent to the number by SMS (/app/sign-in/code)' }) })) }) },
  }, async () => (await portalSurveys(db.pool, config.cityCode)).map((s) => ({ ...s, phoneCode: proveNumbers })));

  app.get('/public/surveys/link/:token', {
    schema: { ...publicTag, summary: "A survey by its personal link: its questions, and whether it was answered", params: TokenParams,
      response: responses({ 200: PublicSurveyOut }, 404) },
  }, async (req) => surveyByToken(db.pool, config.cityCode, req.params.token));

  app.post('/public/surveys/link/:token', {
    preHandler: publicAnswers,
    schema: { ...publicTag, summary: 'Answer by the personal link (once)', params: TokenParams, body: AnswersIn, response: responses({ 204: NoContent }, 404, 409, 422, 429) },
  }, async (req, reply) => {
    await answerByToken(db.pool, config.cityCode, req.params.token, req.body.answers);
    return reply.status(204).send();
  });

  app.post('/public/surveys/:id/answers', {
    preHandler: publicAnswers,
    schema: { ...publicTag, summary: 'Answer on the portal: one answer per mobile number',
      description: 'Where the platform sends SMS codes, the number is proved by the code sent to it (/app/sign-in/code): without it 422 ' +
        'SURVEY_CODE_REQUIRED; a wrong one 401 APP_CODE_WRONG with the tries left; used or expired 401 APP_CODE_EXPIRED. The code is spent ' +
        'only once the answers are complete and the number has not answered.',
      params: SurveyParams, body: PortalAnswersIn, response: responses({ 204: NoContent }, 401, 404, 409, 422, 429) },
  }, async (req, reply) => {
    await answerOnPortal(db.pool, config.cityCode, req.params.id, { phone: req.body.phone, answers: req.body.answers, areaCode: req.body.areaCode ?? null,
      code: req.body.code ?? null }, proveNumbers);
    return reply.status(204).send();
  });
};
