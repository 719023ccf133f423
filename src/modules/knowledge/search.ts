// Search over the published articles, in Chinese: the article's title, the ways citizens ask it and
// its answer are cut by the project's jieba (with the city's place names and the hotline's words,
// long words also in their parts) and kept as a weighted tsvector; a query is cut alike, and an
// article scores the sum, over the query's words it holds, of the word's rarity (BM25's idf) times
// where it holds it (title, asked, answer). An expired article is still found, marked, and ranked
// at half its score: the agent must see it is out of date, not miss that it exists.
import { readFileSync } from 'node:fs';
import { prepared, type Queryable } from '../../db/tx.js';
import { beijingDate } from '../../shared/beijing.js';
import { keywordSegmenter, normalizeText } from '../classify/index.js';
import { areaIndex, unitIndex } from '../directory/index.js';
import { currentTree } from '../taxonomy/index.js';

/** ts_rank's weights for D (unused), C (answer), B (asked), A (title). */
const WEIGHTS = '{0, 0.25, 0.8, 1}';
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

// letters and digits only: a word is then one token of PostgreSQL's parser and safe in a tsquery
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

const tsquery = (terms: readonly string[]): string => terms.join(' | ');

/** Published, not withdrawn articles matching the filters, best first (newest first without words). */
export async function searchArticles(db: Queryable, cityCode: string, query: SearchQuery, now = new Date()): Promise<SearchResult> {
  const terms = await queryTerms(db, cityCode, query.q);
  const today = beijingDate(now);
  const params: unknown[] = [cityCode, today];
  const filters = await filterSql(db, cityCode, query, params);
  const rows = terms.length === 0 ? await browse(db, filters, params, query) : await ranked(db, filters, params, terms, query);
  const units = await unitIndex(db, cityCode, rows.map((r) => r.owner_unit_id));
  return {
    terms,
    total: rows[0] ? Number(rows[0].total) : 0,
    items: rows.map((r) => {
      return {
        id: r.id, title: mark(r.title, terms), snippet: snippet(r.answer, terms), answer: r.answer, ownerUnit: { id: r.owner_unit_id, name: units.get(r.owner_unit_id)?.name ?? null },
        categoryCodes: r.category_codes, areaCodes: r.area_codes, public: r.public, validUntil: r.valid_until_day, expired: r.expired === true,
        version: r.version, publishedAt: r.published_at.toISOString(), score: Number(r.score),
      };
    }),
  };
}

const HIT_COLUMNS = 'a.id, a.owner_unit_id, a.title, a.answer, a.category_codes, a.area_codes, a.public, a.valid_until, a.version, a.published_at';
const LIVE = 'a.city_code = $1 AND a.version IS NOT NULL AND a.withdrawn_at IS NULL';

async function browse(db: Queryable, filters: string, params: unknown[], q: SearchQuery): Promise<Record<string, any>[]> {
  const n = params.length;
  const r = await db.query(prepared(
    `SELECT ${HIT_COLUMNS}, a.valid_until::text AS valid_until_day, a.valid_until < $2::date AS expired, 0 AS score, count(*) OVER () AS total FROM knowledge_articles a WHERE ${LIVE}${filters}
      ORDER BY a.published_at DESC, a.id LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, q.limit, q.offset]));
  return r.rows;
}

async function ranked(db: Queryable, filters: string, params: unknown[], terms: string[], q: SearchQuery): Promise<Record<string, any>[]> {
  const t = params.length + 1;
  const r = await db.query(prepared(
    `WITH live AS (SELECT count(*)::float8 AS n FROM knowledge_articles a WHERE ${LIVE}),
          terms AS (
            SELECT q, ln(1 + (live.n - df + 0.5) / (df + 0.5)) AS idf FROM live, LATERAL (
              SELECT to_tsquery('simple', w) AS q FROM unnest($${t}::text[]) AS w) w,
              LATERAL (SELECT count(*)::float8 AS df FROM knowledge_articles a WHERE ${LIVE} AND a.search @@ w.q) d),
          hits AS (
            SELECT ${HIT_COLUMNS}, a.search FROM knowledge_articles a
             WHERE ${LIVE} AND a.search @@ to_tsquery('simple', $${t + 1})${filters}),
          scored AS (
            SELECT h.id, sum(terms.idf * ts_rank('${WEIGHTS}', h.search, terms.q))
                     * CASE WHEN h.valid_until < $2::date THEN ${EXPIRED_FACTOR} ELSE 1 END AS score
              FROM hits h JOIN terms ON h.search @@ terms.q GROUP BY h.id, h.valid_until)
     SELECT ${HIT_COLUMNS.replaceAll('a.', 'h.')}, h.valid_until::text AS valid_until_day, h.valid_until < $2::date AS expired, s.score, count(*) OVER () AS total FROM scored s JOIN hits h ON h.id = s.id
      ORDER BY s.score DESC, h.published_at DESC, h.id LIMIT $${t + 2} OFFSET $${t + 3}`,
    [...params, terms, tsquery(terms), q.limit, q.offset]));
  return r.rows;
}

/** The WHERE conditions of the filters, their values pushed onto `params`. */
async function filterSql(db: Queryable, cityCode: string, q: SearchQuery, params: unknown[]): Promise<string> {
  let sql = '';
  if (q.publicOnly) sql += ' AND a.public AND (a.valid_until IS NULL OR a.valid_until >= $2::date) AND (a.valid_from IS NULL OR a.valid_from <= $2::date)';
  if (q.categoryCode) {
    const tree = await currentTree(db, cityCode);
    const codes = [...tree.lineage(q.categoryCode), ...tree.categories.filter((c) => tree.lineage(c.code).includes(q.categoryCode!)).map((c) => c.code)];
    params.push([...new Set(codes.length ? codes : [q.categoryCode])]);
    sql += ` AND (a.category_codes = '{}' OR a.category_codes && $${params.length}::text[])`;
  }
  if (q.areaCode) {
    const areas = await areaIndex(db, cityCode);
    params.push(areas.lineage(q.areaCode).length ? areas.lineage(q.areaCode) : [q.areaCode], q.areaCode);
    sql += ` AND (a.area_codes = '{}' OR a.area_codes && $${params.length - 1}::text[]
               OR EXISTS (SELECT 1 FROM unnest(a.area_codes) c WHERE c LIKE $${params.length} || '%'))`;
  }
  return sql;
}

/** Where the query's words stand in a text (the text as shown: NFKC, so 全角 letters match). */
export function mark(text: string, terms: readonly string[]): Marked {
  const shown = text.normalize('NFKC');
  const lower = shown.toLowerCase();
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
