// Early warnings (突发事件预警): the list, one warning with its reports, acknowledging and closing, the thresholds.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { Page, PageOf, responses, Secured, StringEnum, Uuid } from '../../http/schemas.js';
import { withTransaction } from '../../db/tx.js';
import { pageOf } from '../../db/page.js';
import { HOTLINE_ROLES } from '../auth/index.js';
import { AcknowledgeIn, CloseIn, WarningDetailOut, WarningOut, WarningSettingsOut, WarningSettingsPatch } from './api-schemas.js';
import { getWarningSettings, updateWarningSettings } from './warning-settings.js';
import { acknowledgeWarning, closeWarning, getWarning, listWarnings, WARNING_HANDLERS, WARNING_STATUSES } from './warnings.js';

const READERS = { roles: HOTLINE_ROLES, scope: 'orders:read' as const };
const HANDLERS = { roles: WARNING_HANDLERS };
const rule = 'A warning is raised when the reports of one matter (the category at the third level) from one area (a community, or a street) ' +
  'within the window reach the minimum and are less likely than the threshold under the area\'s history; later reports join it. ' +
  'Pushed on the live stream as warning.* events. City-wide: the hotline\'s staff and city-wide API keys read them.';

export const analyticsRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

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
