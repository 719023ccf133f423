// The directory as other modules read it on every request: the city's units and areas held in
// memory (a few thousand rows each), so that naming an order's unit or area, walking a unit's
// ancestry or an area's parents costs no query. A change made here is seen at once in this
// process and within UNITS_TTL_MS in the others.
import { prepared, type Queryable } from '../../db/tx.js';
import { memo, type Memo } from '../../shared/memo.js';
import type { Area, Unit } from './service.js';

/** How long another process may show a unit's old name or state. */
const UNITS_TTL_MS = 30_000;
const AREAS_TTL_MS = 600_000;

export interface UnitIndex {
  get(id: string): Unit | undefined;
  byCode(code: string): Unit | undefined;
  /** the units of a kind (water company, street office…), active or not */
  ofKind(kind: string): readonly Unit[];
  /** the unit's ancestry from the top of the network down to the unit itself (ids) */
  lineage(id: string): string[];
  /** the unit and every unit below it (ids) */
  subtree(id: string): string[];
}

export interface AreaIndex {
  get(code: string): Area | undefined;
  /** area codes from the district down to the area itself (the city is left out) */
  lineage(code: string): string[];
}

const units = memo<UnitIndex>(UNITS_TTL_MS, 100);
const areas = memo<AreaIndex>(AREAS_TTL_MS, 100);

async function loadUnits(db: Queryable, cityCode: string): Promise<UnitIndex> {
  const result = await db.query(prepared(
    `SELECT u.id, u.code, u.name, u.level, u.kind, u.parent_id, u.path, u.active,
            COALESCE(array_agg(ua.area_code ORDER BY ua.area_code) FILTER (WHERE ua.area_code IS NOT NULL), '{}') AS area_codes
       FROM units u LEFT JOIN unit_areas ua ON ua.unit_id = u.id
      WHERE u.city_code = $1 GROUP BY u.id`, [cityCode]));
  const byId = new Map<string, Unit>();
  const byCode = new Map<string, Unit>();
  const byKind = new Map<string, Unit[]>();
  for (const r of result.rows) {
    const unit: Unit = { id: r.id, code: r.code, name: r.name, level: r.level, kind: r.kind, parentId: r.parent_id, path: r.path,
      active: r.active, areaCodes: r.area_codes };
    byId.set(unit.id, unit);
    byCode.set(unit.code, unit);
    const ofKind = byKind.get(unit.kind);
    if (ofKind) ofKind.push(unit);
    else byKind.set(unit.kind, [unit]);
  }
  return {
    get: (id) => byId.get(id),
    byCode: (code) => byCode.get(code),
    ofKind: (kind) => byKind.get(kind) ?? [],
    lineage: (id) => byId.get(id)?.path.split('/').filter(Boolean) ?? [],
    subtree: (id) => [...byId.values()].filter((u) => u.path.split('/').includes(id)).map((u) => u.id),
  };
}

/**
 * The city's units. `ids` that the held copy lacks (a unit created in another process since) make
 * it load afresh once.
 */
export function unitIndex(db: Queryable, cityCode: string, ids: readonly (string | null | undefined)[] = []): Promise<UnitIndex> {
  return heldWith(units, cityCode, () => loadUnits(db, cityCode), ids);
}

/** The held copy of `key`, loaded afresh once when it lacks one of `keys` (rows written since it was read). */
async function heldWith<T extends { get(key: string): unknown }>(held: Memo<T>, key: string, load: () => Promise<T>,
  keys: readonly (string | null | undefined)[]): Promise<T> {
  const index = await held.get(key, load);
  if (keys.every((k) => !k || index.get(k))) return index;
  held.forget(key);
  return held.get(key, load);
}

/** Forgets the held units of a city (after a change to them in this process). */
export function forgetUnits(cityCode: string): void {
  units.forget(cityCode);
}

async function loadAreas(db: Queryable, cityCode: string): Promise<AreaIndex> {
  const result = await db.query(prepared('SELECT code, name, level, parent_code FROM areas WHERE city_code = $1', [cityCode]));
  const byCode = new Map<string, Area>(result.rows.map((r) => [r.code, { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }]));
  return {
    get: (code) => byCode.get(code),
    lineage(code) {
      const codes: string[] = [];
      for (let a = byCode.get(code); a && a.level !== 'city'; a = a.parentCode ? byCode.get(a.parentCode) : undefined) codes.unshift(a.code);
      return codes;
    },
  };
}

/** The city's areas (districts, streets, communities). */
export function areaIndex(db: Queryable, cityCode: string, codes: readonly (string | null | undefined)[] = []): Promise<AreaIndex> {
  return heldWith(areas, cityCode, () => loadAreas(db, cityCode), codes);
}

/** Forgets the held areas of a city (after an import). */
export function forgetAreas(cityCode: string): void {
  areas.forget(cityCode);
}
