// The category tree (up to five levels) and the request types. Every edit or import writes a new
// version of the whole tree; orders keep the node they were filed under, in its version.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/actor.js';
import { forgetCurrentTree } from './lookups.js';

/** The short list of request types, separate from the category tree; names as a list or a table shows them. */
export const REQUEST_TYPES = {
  enquiry: { zh: '咨询', en: 'Enquiry' },
  help: { zh: '求助', en: 'Help' },
  complaint: { zh: '投诉', en: 'Complaint' },
  report: { zh: '举报', en: 'Report' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  praise: { zh: '表扬', en: 'Praise' },
  other: { zh: '其他', en: 'Other' },
} as const;
export type RequestType = keyof typeof REQUEST_TYPES;

export const MAX_DEPTH = 5;

/** One node as imported, exported and edited. */
export interface CategoryNode {
  code: string;
  parentCode: string | null;
  name: string;
  /** kind of handling unit that takes it by default (matches units.kind) */
  unitKind: string | null;
  /** handling time limit, working days */
  timeLimitDays: number | null;
}

export interface Category extends CategoryNode {
  id: number;
  level: number;
  version: number;
}

export interface TreeVersion {
  version: number;
  note: string;
  createdAt: string;
  categories: number;
}

const DEFAULT_TREE = new URL('./default-tree.csv', import.meta.url);

/** The shipped default tree, built from the public three-level classification (see scripts/). */
export function defaultTree(): CategoryNode[] {
  return parseTreeCsv(readFileSync(DEFAULT_TREE, 'utf8'));
}

/** Parses the CSV form: code,parent_code,name,unit_kind,time_limit_days (level is optional, derived). */
export function parseTreeCsv(text: string): CategoryNode[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (error) {
    throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: `CSV 无法解析：${(error as Error).message}`, en: `the CSV cannot be read: ${(error as Error).message}` } });
  }
  return rows.map((r, i) => {
    if (!r.code || !r.name) throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: `第 ${i + 2} 行：编码和名称必填`, en: `row ${i + 2}: code and name are required` } });
    const limit = r.time_limit_days ? Number(r.time_limit_days) : null;
    return { code: r.code, parentCode: r.parent_code || null, name: r.name, unitKind: r.unit_kind || null, timeLimitDays: limit };
  });
}

export function treeToCsv(nodes: CategoryNode[]): string {
  return stringify([
    ['code', 'parent_code', 'level', 'name', 'unit_kind', 'time_limit_days'],
    ...withLevels(nodes).map((n) => [n.code, n.parentCode ?? '', n.level, n.name, n.unitKind ?? '', n.timeLimitDays ?? '']),
  ]);
}

/** Checks the tree's shape and returns each node with its level; throws TAXONOMY_INVALID_TREE. */
export function withLevels(nodes: CategoryNode[]): (CategoryNode & { level: number })[] {
  const byCode = new Map<string, CategoryNode>();
  for (const node of nodes) {
    if (byCode.has(node.code)) throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: `编码 ${node.code} 重复`, en: `duplicate code ${node.code}` } });
    if (node.timeLimitDays !== null && !(Number.isInteger(node.timeLimitDays) && node.timeLimitDays >= 1 && node.timeLimitDays <= 60)) {
      throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: `${node.code}：办理时限须为 1 至 60 个工作日`, en: `${node.code}: time limit must be 1 to 60 working days` } });
    }
    byCode.set(node.code, node);
  }
  const levels = new Map<string, number>();
  const levelOf = (node: CategoryNode, seen: Set<string>): number => {
    const known = levels.get(node.code);
    if (known) return known;
    if (seen.has(node.code)) throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: `${node.code} 处形成循环`, en: `cycle at ${node.code}` } });
    seen.add(node.code);
    let level = 1;
    if (node.parentCode) {
      const parent = byCode.get(node.parentCode);
      if (!parent) throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: `${node.code}：找不到上级分类 ${node.parentCode}`, en: `${node.code}: parent ${node.parentCode} not found` } });
      level = levelOf(parent, seen) + 1;
    }
    if (level > MAX_DEPTH) throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: `${node.code}：层级超过 ${MAX_DEPTH} 级`, en: `${node.code}: deeper than ${MAX_DEPTH} levels` } });
    levels.set(node.code, level);
    return level;
  };
  if (nodes.length === 0) throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: '分类树为空', en: 'the tree is empty' } });
  return nodes.map((node) => ({ ...node, level: levelOf(node, new Set()) }));
}

/**
 * Writes `nodes` as the city's next tree version; returns the new version number. `basedOn`, the
 * version the nodes were edited from, must still be the newest: an edit never undoes another's.
 */
export async function saveTreeVersion(db: Queryable, actor: Actor, nodes: CategoryNode[], note: string, basedOn?: number): Promise<number> {
  const leveled = withLevels(nodes);
  const next = await db.query(
    `INSERT INTO taxonomy_versions (city_code, version, note, created_by)
     SELECT $1, COALESCE($4::int, max(version), 0) + 1, $2, $3 FROM taxonomy_versions WHERE city_code = $1
     ON CONFLICT DO NOTHING RETURNING id, version`,
    [actor.cityCode, note, actor.kind === 'staff' ? actor.id : null, basedOn ?? null],
  );
  // another version was saved meanwhile: this one was made from the tree before it
  if (!next.rowCount) throw new DomainError('TAXONOMY_CHANGED_MEANWHILE');
  const { id: versionId, version } = next.rows[0];
  await db.query(
    `INSERT INTO categories (city_code, version_id, code, parent_code, level, name, unit_kind, time_limit_days, sort)
     SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::smallint[], $9::int[])`,
    [actor.cityCode, versionId, leveled.map((n) => n.code), leveled.map((n) => n.parentCode), leveled.map((n) => n.level),
      leveled.map((n) => n.name), leveled.map((n) => n.unitKind), leveled.map((n) => n.timeLimitDays), leveled.map((_, i) => i)],
  );
  await recordAudit(db, actor, { action: 'taxonomy.version_created', subjectType: 'taxonomy', subjectId: String(version),
    detail: { note, categories: nodes.length } });
  forgetCurrentTree(actor.cityCode);
  return version;
}

export type TreeEdit =
  | { op: 'add'; node: CategoryNode }
  | { op: 'update'; code: string; name?: string | undefined; unitKind?: string | null | undefined; timeLimitDays?: number | null | undefined }
  | { op: 'remove'; code: string };

/** Applies edits to the current tree and saves the result as a new version. */
export async function editTree(db: Queryable, actor: Actor, edits: TreeEdit[], note: string): Promise<number> {
  const newest = await db.query('SELECT max(version) AS v FROM taxonomy_versions WHERE city_code = $1', [actor.cityCode]);
  const basedOn = Number(newest.rows[0].v ?? 0);
  const nodes: CategoryNode[] = (await getTree(db, actor.cityCode)).map(({ code, parentCode, name, unitKind, timeLimitDays }) =>
    ({ code, parentCode, name, unitKind, timeLimitDays }));
  for (const edit of edits) {
    if (edit.op === 'add') {
      if (nodes.some((n) => n.code === edit.node.code)) throw new DomainError('TAXONOMY_CATEGORY_CODE_TAKEN', { code: edit.node.code });
      nodes.push(edit.node);
      continue;
    }
    const index = nodes.findIndex((n) => n.code === edit.code);
    if (index < 0) throw new DomainError('TAXONOMY_CATEGORY_NOT_FOUND', { code: edit.code });
    if (edit.op === 'remove') {
      if (nodes.some((n) => n.parentCode === edit.code)) {
        throw new DomainError('TAXONOMY_INVALID_TREE', { detail: { zh: `${edit.code} 有下级分类：请先删除下级`, en: `${edit.code} has children: remove them first` } });
      }
      nodes.splice(index, 1);
    } else {
      const node = nodes[index]!;
      nodes[index] = {
        ...node,
        name: edit.name ?? node.name,
        unitKind: edit.unitKind === undefined ? node.unitKind : edit.unitKind,
        timeLimitDays: edit.timeLimitDays === undefined ? node.timeLimitDays : edit.timeLimitDays,
      };
    }
  }
  return saveTreeVersion(db, actor, nodes, note, basedOn);
}

export async function listVersions(db: Queryable, cityCode: string): Promise<TreeVersion[]> {
  const result = await db.query(
    `SELECT v.version, v.note, v.created_at, (SELECT count(*) FROM categories c WHERE c.version_id = v.id) AS categories
       FROM taxonomy_versions v WHERE v.city_code = $1 ORDER BY v.version DESC`, [cityCode]);
  return result.rows.map((r) => ({ version: r.version, note: r.note, createdAt: r.created_at.toISOString(), categories: r.categories }));
}

const CATEGORY_COLUMNS = `c.id, c.code, c.parent_code, c.level, c.name, c.unit_kind, c.time_limit_days, v.version`;
function toCategory(r: Record<string, any>): Category {
  return { id: r.id, code: r.code, parentCode: r.parent_code, level: r.level, name: r.name, unitKind: r.unit_kind,
    timeLimitDays: r.time_limit_days, version: r.version };
}

/** Resolves a version number (the newest when absent) to its row id. */
async function versionId(db: Queryable, cityCode: string, version?: number): Promise<number> {
  const result = await db.query(
    `SELECT id FROM taxonomy_versions WHERE city_code = $1 ${version ? 'AND version = $2' : ''}
      ORDER BY version DESC LIMIT 1`, version ? [cityCode, version] : [cityCode]);
  if (result.rowCount === 0) throw new DomainError('TAXONOMY_VERSION_NOT_FOUND', { version: version ?? 'current' });
  return result.rows[0].id;
}

/** The whole tree of one version (the current one by default), in tree order. */
export async function getTree(db: Queryable, cityCode: string, version?: number): Promise<Category[]> {
  const id = await versionId(db, cityCode, version);
  const result = await db.query(
    `SELECT ${CATEGORY_COLUMNS} FROM categories c JOIN taxonomy_versions v ON v.id = c.version_id
      WHERE c.version_id = $1 ORDER BY c.sort`, [id]);
  return result.rows.map(toCategory);
}

/** A category by its id (any version). */
export async function getCategory(db: Queryable, cityCode: string, id: number): Promise<Category> {
  const result = await db.query(
    `SELECT ${CATEGORY_COLUMNS} FROM categories c JOIN taxonomy_versions v ON v.id = c.version_id
      WHERE c.city_code = $1 AND c.id = $2`, [cityCode, id]);
  if (result.rowCount === 0) throw new DomainError('TAXONOMY_CATEGORY_NOT_FOUND', { code: String(id) });
  return toCategory(result.rows[0]);
}

/** A category by its code in the current version: what an agent files a new order under. */
export async function findCurrentCategory(db: Queryable, cityCode: string, code: string): Promise<Category> {
  const result = await db.query(
    `SELECT ${CATEGORY_COLUMNS} FROM categories c JOIN taxonomy_versions v ON v.id = c.version_id
      WHERE c.city_code = $1 AND c.code = $2
        AND v.version = (SELECT max(version) FROM taxonomy_versions WHERE city_code = $1)`, [cityCode, code]);
  if (result.rowCount === 0) throw new DomainError('TAXONOMY_CATEGORY_NOT_FOUND', { code });
  return toCategory(result.rows[0]);
}
