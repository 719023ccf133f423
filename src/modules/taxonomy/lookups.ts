// The category tree as other modules read it on every request, held in memory. A version's rows
// never change (an edit is a new version), so a version, once read, is kept; which version is
// current is re-read every CURRENT_TTL_MS (an edit shows in other processes within that).
import { prepared, type Queryable } from '../../db/tx.js';
import { likeLiteral } from '../../db/where.js';
import { DomainError } from '../../shared/errors.js';
import { memo } from '../../shared/memo.js';
import type { Category } from './service.js';

const CURRENT_TTL_MS = 10_000;

/** One version of the tree. */
export interface TreeIndex {
  version: number;
  /** every category, in tree order */
  categories: Category[];
  byCode: Map<string, Category>;
  byId: Map<number, Category>;
  /** codes from the top of the tree down to `code` (unknown: none) */
  lineage(code: string): string[];
}

const versions = memo<TreeIndex>(Number.POSITIVE_INFINITY, 1000);
const current = memo<number>(CURRENT_TTL_MS, 100);
const categoryVersions = new Map<number, number>();

function indexTree(version: number, categories: Category[]): TreeIndex {
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const byId = new Map(categories.map((c) => [c.id, c]));
  return {
    version, categories, byCode, byId,
    lineage(code) {
      const codes: string[] = [];
      for (let c = byCode.get(code); c; c = c.parentCode ? byCode.get(c.parentCode) : undefined) codes.unshift(c.code);
      return codes;
    },
  };
}

async function loadVersion(db: Queryable, versionId: number): Promise<TreeIndex> {
  const result = await db.query(prepared(
    `SELECT c.id, c.code, c.parent_code, c.level, c.name, c.unit_kind, c.time_limit_days, v.version
       FROM categories c JOIN taxonomy_versions v ON v.id = c.version_id WHERE c.version_id = $1 ORDER BY c.sort`, [versionId]));
  const categories: Category[] = result.rows.map((r) => ({ id: Number(r.id), code: r.code, parentCode: r.parent_code, level: r.level,
    name: r.name, unitKind: r.unit_kind, timeLimitDays: r.time_limit_days, version: r.version }));
  for (const c of categories) categoryVersions.set(c.id, versionId);
  return indexTree(categories[0]?.version ?? 0, categories);
}

/** The tree of a version by its row id (kept: a version never changes). */
function treeOfVersion(db: Queryable, versionId: number): Promise<TreeIndex> {
  return versions.get(String(versionId), () => loadVersion(db, versionId));
}

/** The current tree of a city. */
export async function currentTree(db: Queryable, cityCode: string): Promise<TreeIndex> {
  const versionId = await current.get(cityCode, async () => {
    const r = await db.query(prepared('SELECT id FROM taxonomy_versions WHERE city_code = $1 ORDER BY version DESC LIMIT 1', [cityCode]));
    if (!r.rowCount) throw new DomainError('TAXONOMY_VERSION_NOT_FOUND', { version: 'current' });
    return Number(r.rows[0].id);
  });
  return treeOfVersion(db, versionId);
}

/** Forgets which version is current (after an edit in this process). */
export function forgetCurrentTree(cityCode: string): void {
  current.forget(cityCode);
}

/** A category of any version by its id, with the tree it belongs to. */
export async function categoryWithTree(db: Queryable, cityCode: string, id: number): Promise<{ category: Category; tree: TreeIndex }> {
  let versionId = categoryVersions.get(id);
  if (versionId === undefined) {
    const r = await db.query(prepared('SELECT version_id FROM categories WHERE city_code = $1 AND id = $2', [cityCode, id]));
    if (!r.rowCount) throw new DomainError('TAXONOMY_CATEGORY_NOT_FOUND', { code: String(id) });
    versionId = Number(r.rows[0].version_id);
  }
  const tree = await treeOfVersion(db, versionId);
  const category = tree.byId.get(id);
  if (!category) throw new DomainError('TAXONOMY_CATEGORY_NOT_FOUND', { code: String(id) });
  return { category, tree };
}

/** Categories of many ids (any version), as a map; ids it does not know are left out. */
export async function categoriesById(db: Queryable, cityCode: string, ids: readonly number[]): Promise<Map<number, Category>> {
  const out = new Map<number, Category>();
  for (const id of new Set(ids)) {
    const found = await categoryWithTree(db, cityCode, id).catch(() => null);
    if (found) out.set(id, found.category);
  }
  return out;
}

/** A category of the current tree by its code: what a new order is filed under. */
export async function currentCategory(db: Queryable, cityCode: string, code: string): Promise<Category> {
  const category = (await currentTree(db, cityCode)).byCode.get(code);
  if (!category) throw new DomainError('TAXONOMY_CATEGORY_NOT_FOUND', { code });
  return category;
}

/** The ids, in every version, of the category with this code and those beneath it (a list filter). */
export async function categoryIdsUnder(db: Queryable, cityCode: string, code: string): Promise<number[]> {
  const r = await db.query(`SELECT id FROM categories WHERE city_code = $1 AND code LIKE $2 || '%'`, [cityCode, likeLiteral(code)]);
  return r.rows.map((row) => Number(row.id));
}

/**
 * Each category row's code, as SQL the analytics module embeds (it never names this module's
 * tables): codes nest by prefix (two digits a level), so a code's first 2 and 4 digits are its
 * top-level and second-level categories, in every version of the tree.
 */
export function categoryCodesSql(): string {
  return 'SELECT c.id, c.code FROM categories c';
}
