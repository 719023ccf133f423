// Scoring sheets (质检评分表): the items a review scores, as the hotline defines them (classification
// right, dispatch right, summary complete, courtesy…), each with the most it can score. A sheet a
// review used is never changed, so that every score keeps its meaning: a changed sheet is a new one,
// and the old one is retired.
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import type { Actor } from '../auth/index.js';

export interface SheetItem {
  label: string;
  /** the most the item scores */
  max: number;
  /** what the reviewer looks for */
  guide: string | null;
}

export interface Sheet {
  id: string;
  name: string;
  items: SheetItem[];
  /** the sum of the items' max */
  total: number;
  active: boolean;
  createdAt: string;
}

export interface SheetInput {
  name: string;
  items: { label: string; max: number; guide?: string | null | undefined }[];
}

interface SheetRow { id: string; name: string; items: SheetItem[]; active: boolean; created_at: Date }

const sheetOf = (r: SheetRow): Sheet => ({
  id: r.id, name: r.name, items: r.items, total: r.items.reduce((sum, item) => sum + item.max, 0), active: r.active,
  createdAt: r.created_at.toISOString(),
});

/** The city's sheets, the active ones first, newest first. */
export async function listSheets(db: Queryable, cityCode: string): Promise<Sheet[]> {
  const r = await db.query<SheetRow>(prepared(
    'SELECT id, name, items, active, created_at FROM quality_sheets WHERE city_code = $1 ORDER BY active DESC, created_at DESC, id', [cityCode]));
  return r.rows.map(sheetOf);
}

export async function getSheet(db: Queryable, cityCode: string, id: string): Promise<Sheet> {
  const r = await db.query<SheetRow>(prepared('SELECT id, name, items, active, created_at FROM quality_sheets WHERE city_code = $1 AND id = $2',
    [cityCode, id]));
  if (!r.rows[0]) throw new DomainError('QUALITY_SHEET_NOT_FOUND', { id });
  return sheetOf(r.rows[0]);
}

/** A new sheet, active; `replaces`: the sheet it supersedes, retired in the same step. */
export async function createSheet(pool: pg.Pool, actor: Actor, input: SheetInput, replaces?: string): Promise<Sheet> {
  const items = input.items.map((item) => ({ label: item.label.trim(), max: item.max, guide: item.guide?.trim() || null }));
  const labels = new Set(items.map((item) => item.label));
  if (labels.has('') || labels.size !== items.length || !input.name.trim()) throw new DomainError('QUALITY_SHEET_INVALID');
  return withTransaction(pool, async (tx) => {
    if (replaces) await retireSheet(tx, actor, replaces);
    const r = await tx.query<SheetRow>(prepared(
      `INSERT INTO quality_sheets (city_code, name, items, created_by) VALUES ($1, $2, $3, $4) RETURNING id, name, items, active, created_at`,
      [actor.cityCode, input.name.trim(), JSON.stringify(items), actor.kind === 'staff' ? actor.id : null]));
    return sheetOf(r.rows[0]!);
  });
}

/** Retires a sheet: no new review uses it; the reviews that did keep it. */
export async function retireSheet(db: Queryable, actor: Actor, id: string): Promise<Sheet> {
  const r = await db.query<SheetRow>(prepared(
    'UPDATE quality_sheets SET active = false WHERE city_code = $1 AND id = $2 RETURNING id, name, items, active, created_at', [actor.cityCode, id]));
  if (!r.rows[0]) throw new DomainError('QUALITY_SHEET_NOT_FOUND', { id });
  return sheetOf(r.rows[0]);
}

/** The score of `scores` (in the sheet's item order) on `sheet`; refused when they do not fit it. */
export function scoreOn(sheet: Sheet, scores: readonly number[]): number {
  const fits = scores.length === sheet.items.length &&
    scores.every((score, i) => Number.isFinite(score) && score >= 0 && score <= sheet.items[i]!.max && Number.isInteger(score * 2));
  if (!fits) {
    throw new DomainError('QUALITY_SCORES_INVALID', { detail: { zh: `须为评分表的 ${sheet.items.length} 项各打分，每项在 0 与该项满分之间（可为半分）`,
      en: `one score for each of the sheet's ${sheet.items.length} items, each from 0 to the item's most (halves allowed)` } });
  }
  return scores.reduce((sum, score) => sum + score, 0);
}
