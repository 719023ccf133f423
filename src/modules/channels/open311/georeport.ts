// Open311 GeoReport v2 (docs/open311.md): the hotline's categories as services, a request posted by
// an Open311 client (an API key with the `open311` scope) registered as an order, once, and the
// city's requests listed for anyone, as the public may see them: the service, the street, the unit
// and the status, never the citizen's words, address or position (they are personal data here),
// and never a confidential request or a report (举报), whose citizen the rest could point to.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { beijingDate } from '../../../shared/beijing.js';
import { DomainError } from '../../../shared/errors.js';
import { systemActor, type Actor } from '../../auth/index.js';
import { areaIndex, type AreaIndex } from '../../directory/index.js';
import { listOrders, registerOrder, type OrderView } from '../../orders/index.js';
import { currentTree, listVersions, REQUEST_TYPES, type TreeIndex } from '../../taxonomy/index.js';
import { titleOf } from '../message-title.js';
import { PORTAL_REQUEST_TYPES } from '../portal.js';

export const OPEN311_CHANNEL = 'open311';
/** The spec's default window for a list of requests, and the most it returns at once. */
export const DEFAULT_DAYS = 90;
export const MAX_REQUESTS = 1000;

/** A field of the request that breaks `rule` (OPEN311_FIELD_INVALID, 400). */
const invalid = (field: string, zh: string, en: string) => new DomainError('OPEN311_FIELD_INVALID', { field, rule: { zh, en } });
const notFound = (what: string, id: string) => new DomainError('OPEN311_NOT_FOUND', { what, id: id.slice(0, 64) });

export interface Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/** The attributes every service takes (the order's request type and its confidentiality). */
function attributes() {
  return [
    { variable: true, code: 'request_type', datatype: 'singlevaluelist', required: false, datatype_description: '诉求类型，默认求助',
      order: 1, description: '诉求类型 (request type)',
      values: PORTAL_REQUEST_TYPES.map((key) => ({ key, name: `${REQUEST_TYPES[key].zh} (${REQUEST_TYPES[key].en})` })) },
    { variable: true, code: 'confidential', datatype: 'singlevaluelist', required: false, datatype_description: '是否保密，默认否',
      order: 2, description: '为反映人保密 (keep the citizen\'s identity confidential)',
      values: [{ key: 'false', name: '否 (no)' }, { key: 'true', name: '是 (yes)' }] },
  ];
}

/** The categories orders are classified to: the tree's leaves. */
const leaves = (tree: TreeIndex) => {
  const parents = new Set(tree.categories.map((c) => c.parentCode));
  return tree.categories.filter((c) => !parents.has(c.code));
};

/** The services: the categories of the current tree that orders are classified to (its leaves), grouped by their top category. */
export async function listServices(pool: pg.Pool, cityCode: string): Promise<Service[]> {
  const tree = await currentTree(pool, cityCode);
  return leaves(tree).map((c) => {
    const names = tree.lineage(c.code).map((code) => tree.byCode.get(code)!.name);
    return { service_code: c.code, service_name: c.name, description: names.join(' > '), metadata: true, type: 'realtime' as const,
      keywords: names.slice(0, -1).join(','), group: names[0]! };
  });
}

/** Whether `code` is a service (a category orders are classified to) now. */
async function isService(pool: pg.Pool, cityCode: string, code: string): Promise<boolean> {
  const tree = await currentTree(pool, cityCode);
  return tree.byCode.has(code) && !tree.categories.some((c) => c.parentCode === code);
}

/** A service's definition: the attributes it takes. */
export async function serviceDefinition(pool: pg.Pool, cityCode: string, code: string) {
  if (!(await isService(pool, cityCode, code))) throw notFound('service_code', code);
  return { service_code: code, attributes: attributes() };
}

/** When the services last changed (the category tree's current version): a client refreshes its copy after it. */
export async function servicesChangedAt(pool: pg.Pool, cityCode: string): Promise<string> {
  return (await listVersions(pool, cityCode))[0]?.createdAt ?? new Date(0).toISOString();
}

/** The form fields of a request, as posted. */
export type PostedRequest = Record<string, string | undefined>;

const text = (fields: PostedRequest, name: string, max: number): string | undefined => {
  const value = fields[name]?.trim();
  if (!value) return undefined;
  if (value.length > max || value.includes('\u0000')) throw invalid(name, `最多 ${max} 个字符的文字`, `text of at most ${max} characters`);
  return value;
};

const coordinate = (fields: PostedRequest, name: 'lat' | 'long', limit: number): number | undefined => {
  const value = fields[name]?.trim();
  if (!value) return undefined;
  if (!/^-?\d{1,3}(\.\d{1,15})?$/.test(value) || Math.abs(Number(value)) > limit) throw invalid(name, '须为十进制度数', 'decimal degrees');
  return Number(value);
};

function attribute(fields: PostedRequest, code: string, allowed: readonly string[]): string | undefined {
  const value = fields[`attribute[${code}]`];
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value)) throw invalid(`attribute[${code}]`, `须为 ${allowed.join('、')} 之一`, `one of ${allowed.join(', ')}`);
  return value;
}

/**
 * Registers a posted request as an order from the `open311` channel, on behalf of the API key's
 * client. The same request posted again (a client's retry) is the same order: its reference is the
 * key with the client's Idempotency-Key, or else a digest of what was posted and the day (the same
 * words from the same place the same day are the same request; another day they are a new one).
 */
export async function postRequest(pool: pg.Pool, client: Actor, fields: PostedRequest, idempotencyKey: string | undefined, now = new Date()):
  Promise<{ service_request_id: string; service_notice: string; account_id: string | null; created: boolean }> {
  const code = text(fields, 'service_code', 32);
  if (!code) throw new DomainError('OPEN311_FIELD_REQUIRED', { field: 'service_code' });
  if (!(await isService(pool, client.cityCode, code))) throw notFound('service_code', code);
  const lat = coordinate(fields, 'lat', 90);
  const lng = coordinate(fields, 'long', 180);
  const address = text(fields, 'address_string', 300);
  const areaCode = text(fields, 'address_id', 12);
  if (areaCode && !/^\d{6,12}$/.test(areaCode)) throw invalid('address_id', '须为行政区划代码', 'an administrative area code');
  if ((lat === undefined) !== (lng === undefined)) throw invalid(lat === undefined ? 'lat' : 'long', 'lat 和 long 须一起提供', 'lat and long go together');
  if (lat === undefined && !address && !areaCode) throw new DomainError('OPEN311_LOCATION_REQUIRED');
  if (areaCode && !(await areaIndex(pool, client.cityCode, [areaCode])).get(areaCode)) throw invalid('address_id', '不是本市的区划', 'not an area of this city');
  const tree = await currentTree(pool, client.cityCode);
  // the spec lets a request come without words: its service is then what it says
  const description = text(fields, 'description', 4000) ?? tree.byCode.get(code)!.name;
  const media = text(fields, 'media_url', 1000);
  if (media && !/^https?:\/\/\S+$/.test(media)) throw invalid('media_url', '须为 http(s) 地址', 'an http(s) URL');
  const name = [text(fields, 'last_name', 20), text(fields, 'first_name', 20)].filter(Boolean).join('');
  const phone = text(fields, 'phone', 24);
  if (phone && !/^\+?[0-9(][0-9 ().-]{2,23}$/.test(phone)) throw invalid('phone', '须为电话号码', 'a telephone number');
  const requestType = (attribute(fields, 'request_type', PORTAL_REQUEST_TYPES) ?? 'help') as (typeof PORTAL_REQUEST_TYPES)[number];
  const confidential = attribute(fields, 'confidential', ['true', 'false']) === 'true';
  const posted = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('&');
  const ref = idempotencyKey ?? `sha256:${beijingDate(now)}:${createHash('sha256').update(posted).digest('hex')}`;
  const { order, created } = await registerOrder(pool, client, {
    channel: OPEN311_CHANNEL, channelRef: `${client.id}:${ref}`, requestType, categoryCode: code, title: titleOf(description),
    // the photo stays where the client keeps it: the order names it (fetching it would let any client make the server call any address)
    body: media ? `${description}\n图片：${media}` : description,
    citizen: name || phone ? { name: name || undefined, phone } : undefined, confidential,
    location: { address, lat, lng, areaCode },
  }, now).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'IDEMPOTENCY_CONFLICT') throw invalid('Idempotency-Key', '已用于另一件诉求', 'used for another request');
    throw error;
  });
  return { service_request_id: order.trackingNo, service_notice: '', account_id: fields.account_id ?? null, created };
}

/** The street (or town) an area is in: a community is too small to publish beside a request. */
function publicArea(areas: AreaIndex, code: string | null): { code: string | null; name: string | null } {
  if (!code) return { code: null, name: null };
  const lineage = areas.lineage(code).map((c) => areas.get(c)!);
  const area = lineage.find((a) => a.level === 'street') ?? lineage.at(-1);
  return { code: area?.code ?? null, name: area?.name ?? null };
}

/** A request as the public sees it: no words, no address, no position, no person (the spec's keys for them are null). */
export function publicRequest(o: OrderView, areas: AreaIndex) {
  const area = publicArea(areas, o.location.areaCode);
  return {
    service_request_id: o.trackingNo,
    status: o.stateGroup,
    status_notes: o.state === 'merged' ? '已与其他相同诉求合并办理' : o.state === 'cancelled' ? '不予受理' : null,
    service_name: o.category?.name ?? null,
    service_code: o.category?.code ?? null,
    description: null,
    agency_responsible: o.leadUnit?.name ?? null,
    service_notice: null,
    requested_datetime: o.createdAt,
    updated_datetime: o.updatedAt,
    expected_datetime: null,
    address: area.name,
    address_id: area.code,
    zipcode: null,
    lat: null,
    long: null,
    media_url: null,
  };
}
export type PublicRequest = ReturnType<typeof publicRequest>;

/** The filters as the query string gave them: text, or a list when a name is repeated (joined as if comma-separated). */
export type RequestFilter = Record<string, unknown>;

const TRACKING_NO = /^\d{8}-\d{8,20}$/;
/** A W3C date-time (ISO 8601 with a time zone), as the spec asks. */
const W3C = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)$/;

/** A filter's text: a repeated name's values joined with commas; anything but text refused. */
function filterText(filter: RequestFilter, name: string): string | undefined {
  const value = filter[name];
  if (value === undefined || value === '') return undefined;
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((part) => typeof part === 'string') || parts.join(',').length > 2000) throw invalid(name, '须为文字', 'text');
  return parts.join(',');
}

function list(filter: RequestFilter, name: string, max: number, valid: (item: string) => boolean): string[] | undefined {
  const value = filterText(filter, name);
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  if (items.length > max || !items.every(valid)) throw invalid(name, `须为逗号分隔的有效值（最多 ${max} 个）`, `a comma-separated list of valid values (at most ${max})`);
  return items;
}

function instant(filter: RequestFilter, name: string): Date | undefined {
  // a "+08:00" sent unencoded arrives as " 08:00"
  const value = filterText(filter, name)?.replace(/ (\d\d:\d\d)$/, '+$1');
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!W3C.test(value) || Number.isNaN(at.getTime()) || at.getUTCFullYear() < 2000 || at.getUTCFullYear() > 2100) {
    throw invalid(name, '须为带时区的 W3C 时间，如 2026-12-01T08:00:00+08:00', 'a W3C date-time with a time zone, e.g. 2026-12-01T08:00:00+08:00');
  }
  return at;
}

/**
 * The city's requests as the public sees them, newest first: those named by `service_request_id`
 * (the other filters then ignored, as the spec says), or those of the window (by default the 90
 * days up to now, or from `start_date`; at most 90 days) with the services and statuses asked for;
 * at most MAX_REQUESTS. Confidential requests and reports are never listed.
 */
export async function findRequests(pool: pg.Pool, cityCode: string, filter: RequestFilter, now = new Date()): Promise<PublicRequest[]> {
  const actor = systemActor(cityCode);
  const query = { sort: '-created_at' as const, limit: MAX_REQUESTS, offset: 0, publicOnly: true };
  const areas = await areaIndex(pool, cityCode);
  const ids = list(filter, 'service_request_id', 100, (id) => TRACKING_NO.test(id));
  if (ids) return (await listOrders(pool, actor, { ...query, trackingNos: ids })).items.map((o) => publicRequest(o, areas));
  const codes = list(filter, 'service_code', 20, (code) => /^[A-Za-z0-9_.-]{1,32}$/.test(code));
  const statuses = list(filter, 'status', 2, (s) => s === 'open' || s === 'closed');
  const window = DEFAULT_DAYS * 86_400_000;
  const given = { start: instant(filter, 'start_date'), end: instant(filter, 'end_date') };
  const end = given.end ?? (given.start ? new Date(Math.min(now.getTime(), given.start.getTime() + window)) : now);
  const start = given.start ?? new Date(end.getTime() - window);
  if (start > end || end.getTime() - start.getTime() > window) throw new DomainError('OPEN311_WINDOW_INVALID', { days: DEFAULT_DAYS });
  const page = await listOrders(pool, actor, { ...query, categoryCodes: codes, createdFrom: start.toISOString(), createdTo: end.toISOString(),
    stateGroup: statuses && new Set(statuses).size === 1 ? statuses[0] as 'open' | 'closed' : undefined });
  return page.items.map((o) => publicRequest(o, areas));
}

/** The Open311 request an order id names, as the public may see it (a POST answers with the tracking number itself, so it hands out no token). */
export async function requestOfToken(pool: pg.Pool, cityCode: string, token: string): Promise<{ service_request_id: string; token: string }> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(token)) throw notFound('token', token);
  const found = (await listOrders(pool, systemActor(cityCode), { ids: [token], channel: OPEN311_CHANNEL, publicOnly: true,
    sort: '-created_at', limit: 1, offset: 0 })).items[0];
  if (!found) throw notFound('token', token);
  return { service_request_id: found.trackingNo, token };
}
