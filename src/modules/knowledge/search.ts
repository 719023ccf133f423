// Search over the published articles, in Chinese: the article's title, the ways citizens ask it and
// its answer are cut by the project's jieba (with the city's place names and the hotline's words,
// long words also in their parts), and so is the query, with the city's equivalent words added; an
// article scores the sum, over the query's words it holds, of the word's rarity (BM25's idf) times
// where it holds it (ranking.ts). An expired article is still found, marked, and ranked at half its
// score: the agent must see it is out of date, not miss that it exists.
import { readFileSync } from 'node:fs';
import { prepared, type Queryable } from '../../db/tx.js';
import { beijingDate } from '../../shared/beijing.js';
import { keywordSegmenter, normalizeText } from '../classify/index.js';
import { areaIndex, unitIndex } from '../directory/index.js';
import { currentTree } from '../taxonomy/index.js';
import { liveDocs, liveIndex, rank, type LiveDoc } from './ranking.js';

/** Words of a query used at most: a caller's whole story is cut to its first words. */
const MAX_TERMS = 24;
/** An expired article ranks at this share of its score. */
const EXPIRED_FACTOR = 0.5;
const SNIPPET_CHARS = 90;

/** The words of an article's fields for its search vector (space-separated). */
export async function indexWords(db: Queryable, cityCode: string, a: { title: string; questions: string[]; answer: string }):
  Promise<{ title: string; questions: string; answer: string }> {
  const segmenter = await keywordSegmenter(db, cityCode);
  const cut = (text: string) => segmenter.searchWords(normalizeText(text)).filter(isTerm).join(' ');
  return { title: cut(a.title), questions: cut(a.questions.join('\n')), answer: cut(a.answer) };
}

// letters and digits only: punctuation and spaces are no words
const isTerm = (w: string): boolean => /^[\p{L}\p{N}]+$/u.test(w);

/** The city's groups of equivalent words, by each of their words (synonyms.txt). */
const SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map(
  readFileSync(new URL('./synonyms.txt', import.meta.url), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean))
    .filter((group) => group.length > 1).flatMap((group) => group.map((word) => [word, group] as const)));

/**
 * The distinct words of a query, in order, each followed by its equivalents, and by those of the
 * equivalents' words it holds: jieba's guess at a word it does not know (养狗要, 遛大狗) hides them.
 */
export async function queryTerms(db: Queryable, cityCode: string, q: string): Promise<string[]> {
  const segmenter = await keywordSegmenter(db, cityCode);
  const words = segmenter.searchWords(normalizeText(q)).filter((w) => isTerm(w) && !/^0+$/.test(w));
  return [...new Set(words.flatMap((w) => [w, ...(SYNONYMS.get(w) ?? equivalentsInside(w))]))].slice(0, MAX_TERMS);
}

function equivalentsInside(word: string): readonly string[] {
  if (word.length < 3) return [];
  const found: string[] = [];
  for (const [known, group] of SYNONYMS) if (word.includes(known)) found.push(...group);
  return found;
}

export interface SearchQuery {
  q: string;
  /** articles of this category, its parents or its children (and those for any category) */
  categoryCode?: string | undefined;
  /** articles for the whole city, or for this area, an area it lies in or one inside it */
  areaCode?: string | undefined;
  /** the public FAQ: public articles still valid */
  publicOnly?: boolean;
  /** leaves out the articles scoring under this share of the best (a citizen reads the few that answer) */
  minShare?: number;
  limit: number;
  offset: number;
}

/** A run of text with the ranges (start, end) of the query's words in it. */
export interface Marked { text: string; marks: [number, number][] }

export interface Hit {
  id: string;
  title: Marked;
  snippet: Marked;
  /** the whole answer, to read out */
  answer: string;
  ownerUnit: { id: string; name: string | null };
  categoryCodes: string[];
  areaCodes: string[];
  public: boolean;
  validUntil: string | null;
  expired: boolean;
  version: number;
  publishedAt: string;
  /** how well it matches (0 when browsing without words) */
  score: number;
}

export interface SearchResult { terms: string[]; total: number; items: Hit[] }

/** Published, not withdrawn articles matching the filters, best first (newest first without words). */
export async function searchArticles(db: Queryable, cityCode: string, query: SearchQuery, now = new Date()): Promise<SearchResult> {
  const terms = await queryTerms(db, cityCode, query.q);
  const today = beijingDate(now);
  let page: { rows: Record<string, any>[]; total: number; scores: Map<string, number> };
  if (terms.length === 0) {
    page = await browse(db, cityCode, query, today);
  } else {
    const keep = await filterOf(db, cityCode, query, today);
    let ranked = rank(await liveIndex(db, cityCode), terms, keep, (d) => (d.validUntil !== null && d.validUntil < today ? EXPIRED_FACTOR : 1));
    if (query.minShare && ranked[0]) ranked = ranked.filter((r) => r.score >= query.minShare! * ranked[0]!.score);
    const shown = ranked.slice(query.offset, query.offset + query.limit);
    page = { rows: await articlesById(db, cityCode, shown.map((r) => r.doc.id)), total: ranked.length, scores: new Map(shown.map((r) => [r.doc.id, r.score])) };
  }
  const units = await unitIndex(db, cityCode, page.rows.map((r) => r.owner_unit_id));
  return {
    terms,
    total: page.total,
    items: page.rows.map((r) => ({
      id: r.id, title: mark(r.title, terms), snippet: snippet(r.answer, terms), answer: r.answer,
      ownerUnit: { id: r.owner_unit_id, name: units.get(r.owner_unit_id)?.name ?? null }, categoryCodes: r.category_codes, areaCodes: r.area_codes,
      public: r.public, validUntil: r.valid_until, expired: r.valid_until !== null && r.valid_until < today, version: r.version,
      publishedAt: r.published_at.toISOString(), score: Math.round((page.scores.get(r.id) ?? 0) * 1000) / 1000,
    })),
  };
}

const HIT_COLUMNS = 'a.id, a.owner_unit_id, a.title, a.answer, a.category_codes, a.area_codes, a.public, a.valid_until::text AS valid_until, a.version, a.published_at';
const LIVE = 'a.city_code = $1 AND a.version IS NOT NULL AND a.withdrawn_at IS NULL';

/** The live articles of `ids`, in that order (one withdrawn since the index was read is left out). */
async function articlesById(db: Queryable, cityCode: string, ids: string[]): Promise<Record<string, any>[]> {
  if (ids.length === 0) return [];
  const r = await db.query(prepared(`SELECT ${HIT_COLUMNS} FROM knowledge_articles a WHERE ${LIVE} AND a.id = ANY($2::uuid[])`, [cityCode, ids]));
  const byId = new Map(r.rows.map((row) => [row.id as string, row]));
  return ids.map((id) => byId.get(id)).filter((row) => row !== undefined);
}

/** Without words: the newest articles matching the filters. */
async function browse(db: Queryable, cityCode: string, q: SearchQuery, today: string) {
  const keep = await filterOf(db, cityCode, q, today);
  const live = liveDocs(await liveIndex(db, cityCode)).filter(keep)
    .sort((a, b) => b.publishedAt - a.publishedAt || (a.id < b.id ? -1 : 1));
  const page = live.slice(q.offset, q.offset + q.limit).map((d) => d.id);
  return { rows: await articlesById(db, cityCode, page), total: live.length, scores: new Map<string, number>() };
}

/** The filters as a test of an article of the index. */
async function filterOf(db: Queryable, cityCode: string, q: SearchQuery, today: string): Promise<(d: LiveDoc) => boolean> {
  // not yet in force: neither found nor used (an article for next year's heating season waits)
  const tests: ((d: LiveDoc) => boolean)[] = [(d) => d.validFrom === null || d.validFrom <= today];
  if (q.publicOnly) tests.push((d) => d.public && (d.validUntil === null || d.validUntil >= today));
  if (q.categoryCode) {
    const code = q.categoryCode;
    const tree = await currentTree(db, cityCode);
    // its parents (an article on 供水 answers a question on 停水) and its children
    const codes = new Set([code, ...tree.lineage(code), ...tree.categories.filter((c) => tree.lineage(c.code).includes(code)).map((c) => c.code)]);
    tests.push((d) => d.categoryCodes.length === 0 || d.categoryCodes.some((c) => codes.has(c)));
  }
  if (q.areaCode) {
    const code = q.areaCode;
    const within = new Set([code, ...(await areaIndex(db, cityCode)).lineage(code)]);
    tests.push((d) => d.areaCodes.length === 0 || d.areaCodes.some((a) => within.has(a) || a.startsWith(code)));
  }
  return (d) => tests.every((test) => test(d));
}

/**
 * Where the query's words stand in a text, found in its NFKC form (so that 全角 letters match) and
 * shown as written, its full-width punctuation kept, when that form is as long (almost always).
 */
export function mark(text: string, terms: readonly string[]): Marked {
  const lower = text.normalize('NFKC').toLowerCase();
  const shown = lower.length === text.length ? text : text.normalize('NFKC');
  const covered = new Array<boolean>(shown.length).fill(false);
  for (const term of terms) {
    for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + term.length)) covered.fill(true, at, at + term.length);
  }
  const marks: [number, number][] = [];
  for (let i = 0; i < covered.length; i++) {
    if (!covered[i]) continue;
    const start = i;
    while (i < covered.length && covered[i]) i++;
    marks.push([start, i]);
  }
  return { text: shown, marks };
}

/** About SNIPPET_CHARS characters of the answer around its first marked word (its start without one). */
export function snippet(text: string, terms: readonly string[]): Marked {
  const whole = mark(text.replace(/\s+/g, ' '), terms);
  const first = whole.marks[0]?.[0] ?? 0;
  const start = Math.max(0, Math.min(first - 20, whole.text.length - SNIPPET_CHARS));
  const end = Math.min(whole.text.length, start + SNIPPET_CHARS);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < whole.text.length ? '…' : '';
  return {
    text: prefix + whole.text.slice(start, end) + suffix,
    marks: whole.marks.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s - start + prefix.length, e - start + prefix.length]),
  };
}
