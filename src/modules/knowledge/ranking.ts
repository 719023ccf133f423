// The ranking of live articles, held in each process's memory: an inverted index of the words of
// every published article (title, the ways citizens ask it, answer) with what filters need (its
// categories, areas, public, validity). Ranking a query in SQL cost 137 ms median and 2.6 s at p95
// over 1,060 articles on PGlite (every hit's vector tested and ranked once per query word); here it
// is a walk of the query words' postings. Each publication, withdrawal or import bumps the city's
// generation in its transaction and stamps the article with it; a process whose index is of an
// earlier generation reads only the articles stamped since and makes a new index from the one it
// holds (a search in flight keeps the old one whole), instead of reading every article again.
import { prepared, type Queryable } from '../../db/tx.js';
import { memo } from '../../shared/memo.js';

/** How much a word counts where it stands. */
const FIELD_WEIGHTS = { title: 1, questions: 0.8, answer: 0.25 } as const;

export interface LiveDoc {
  id: string;
  categoryCodes: string[];
  areaCodes: string[];
  public: boolean;
  validFrom: string | null;
  validUntil: string | null;
  /** ms since the epoch: browsing lists the newest first */
  publishedAt: number;
}

interface Posting { docs: Int32Array; weights: Float32Array }

export interface LiveIndex {
  generation: number;
  /** by place: the live articles; a withdrawn one's place is empty (a place is never given to another) */
  docs: (LiveDoc | null)[];
  /** how many articles are live (the places that are not empty) */
  live: number;
  /** an article's place */
  places: Map<string, number>;
  /** by place: the words its postings hold (to take it out of them) */
  words: (string[] | null)[];
  /** per word: the places of the documents holding it and the word's weight in each */
  postings: Map<string, Posting>;
}

const EMPTY: LiveIndex = { generation: 0, docs: [], live: 0, places: new Map(), words: [], postings: new Map() };

// per city and generation; a few kept (searches in flight on the generation before), forgotten with
// every memo when a process opens another database; and per city the latest made, to make the next from
const indexes = memo<LiveIndex>(Number.POSITIVE_INFINITY, 8);
const latest = memo<LiveIndex>(Number.POSITIVE_INFINITY, 64);

/** Bumps the city's generation and stamps the article with it: every process's index takes it in at its next search. */
export async function bumpGeneration(db: Queryable, cityCode: string, articleId: string): Promise<void> {
  const r = await db.query<{ generation: string }>(prepared(`INSERT INTO knowledge_generations (city_code, generation) VALUES ($1, 1)
    ON CONFLICT (city_code) DO UPDATE SET generation = knowledge_generations.generation + 1 RETURNING generation`, [cityCode]));
  await db.query(prepared('UPDATE knowledge_articles SET generation = $3 WHERE city_code = $1 AND id = $2', [cityCode, articleId, r.rows[0]!.generation]));
}

/** The city's index as of its current generation. */
export async function liveIndex(db: Queryable, cityCode: string): Promise<LiveIndex> {
  const r = await db.query<{ generation: number }>(prepared('SELECT generation FROM knowledge_generations WHERE city_code = $1', [cityCode]));
  const generation = Number(r.rows[0]?.generation ?? 0);
  return indexes.get(`${cityCode}:${generation}`, async () => {
    const held = await latest.get(cityCode, async () => EMPTY);
    if (held.generation === generation && held !== EMPTY) return held;
    const made = await indexAt(db, cityCode, held.generation < generation ? held : EMPTY, generation);
    if (made.generation > (await latest.get(cityCode, async () => EMPTY)).generation) {
      latest.forget(cityCode);
      void latest.get(cityCode, async () => made);
    }
    return made;
  });
}

/** Forgets the indexes held (the next search reads every live article, as a process just started does). */
export function forgetHeldIndexes(): void {
  indexes.clear();
  latest.clear();
}

/** The live articles, by place. */
export const liveDocs = (index: LiveIndex): LiveDoc[] => index.docs.filter((d) => d !== null);

const ARTICLE_COLUMNS = `id, version IS NOT NULL AND withdrawn_at IS NULL AS live, title_words, question_words, answer_words, category_codes, area_codes,
  public, valid_from::text AS valid_from, valid_until::text AS valid_until, published_at`;

/**
 * The index at `generation`, from `base`: the articles stamped after its generation (every live one
 * from the empty index). An article read twice (stamped after the generation was read) is taken in
 * twice to the same effect.
 */
async function indexAt(db: Queryable, cityCode: string, base: LiveIndex, generation: number): Promise<LiveIndex> {
  const r = base === EMPTY
    ? await db.query(prepared(`SELECT ${ARTICLE_COLUMNS} FROM knowledge_articles WHERE city_code = $1 AND version IS NOT NULL AND withdrawn_at IS NULL ORDER BY id`,
      [cityCode]))
    : await db.query(prepared(`SELECT ${ARTICLE_COLUMNS} FROM knowledge_articles WHERE city_code = $1 AND generation > $2 ORDER BY id`, [cityCode, base.generation]));
  return withArticles(base, r.rows, generation);
}

/** A new index: `base` with `rows` put in (live) or taken out (not live); `base` is left as it was. */
export function withArticles(base: LiveIndex, rows: Record<string, any>[], generation: number): LiveIndex {
  const next: LiveIndex = { generation, docs: base.docs.slice(), live: base.live, places: new Map(base.places), words: base.words.slice(), postings: base.postings };
  const changes = new Map<string, { out: Set<number>; in: [number, number][] }>();
  const changed = (word: string) => {
    let c = changes.get(word);
    if (!c) changes.set(word, c = { out: new Set(), in: [] });
    return c;
  };
  // an article given twice counts as its last
  for (const row of new Map(rows.map((r) => [r.id as string, r])).values()) {
    let place = next.places.get(row.id);
    if (place !== undefined) for (const word of next.words[place]!) changed(word).out.add(place);
    if (!row.live) {
      if (place === undefined) continue;
      next.docs[place] = next.words[place] = null;
      next.places.delete(row.id);
      next.live -= 1;
      continue;
    }
    if (place === undefined) {
      next.places.set(row.id, place = next.docs.length);
      next.live += 1;
    }
    next.docs[place] = { id: row.id, categoryCodes: row.category_codes, areaCodes: row.area_codes, public: row.public, validFrom: row.valid_from,
      validUntil: row.valid_until, publishedAt: row.published_at.getTime() };
    const weights = wordWeights(row.title_words, row.question_words, row.answer_words);
    next.words[place] = [...weights.keys()];
    for (const [word, weight] of weights) changed(word).in.push([place, weight]);
  }
  if (changes.size) next.postings = new Map(base.postings);
  for (const [word, change] of changes) {
    const posting = postingOf(base.postings.get(word), change.out, change.in);
    if (posting.docs.length) next.postings.set(word, posting);
    else next.postings.delete(word);
  }
  return next;
}

/** A word's posting: the old one without the places taken out, and the places put in. */
function postingOf(old: Posting | undefined, out: Set<number>, put: [number, number][]): Posting {
  const kept = old ? old.docs.reduce((n, place) => n + (out.has(place) ? 0 : 1), 0) : 0;
  const docs = new Int32Array(kept + put.length);
  const weights = new Float32Array(kept + put.length);
  let i = 0;
  if (old) {
    for (let j = 0; j < old.docs.length; j++) {
      if (out.has(old.docs[j]!)) continue;
      docs[i] = old.docs[j]!;
      weights[i++] = old.weights[j]!;
    }
  }
  for (const [place, weight] of put) {
    docs[i] = place;
    weights[i++] = weight;
  }
  return { docs, weights };
}

/** Each word's weight in one article: where it counts most, that field's weight × tf / (tf + 1) (said again, a little more). */
function wordWeights(title: string, questions: string, answer: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const [field, text] of [['title', title], ['questions', questions], ['answer', answer]] as const) {
    const tf = new Map<string, number>();
    for (const word of text.split(' ')) if (word) tf.set(word, (tf.get(word) ?? 0) + 1);
    for (const [word, n] of tf) weights.set(word, Math.max(weights.get(word) ?? 0, FIELD_WEIGHTS[field] * (n / (n + 1))));
  }
  return weights;
}

/**
 * The live articles holding any of `terms` that `keep` accepts, best first: each scores the sum, over
 * the terms it holds, of the term's rarity (BM25's idf) times its weight there, times `factor(doc)`.
 */
export function rank(index: LiveIndex, terms: readonly string[], keep: (doc: LiveDoc) => boolean, factor: (doc: LiveDoc) => number):
  { doc: LiveDoc; score: number }[] {
  const n = index.live;
  const scores = new Map<number, number>();
  for (const term of terms) {
    const posting = index.postings.get(term);
    if (!posting) continue;
    const df = posting.docs.length;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < df; i++) scores.set(posting.docs[i]!, (scores.get(posting.docs[i]!) ?? 0) + idf * posting.weights[i]!);
  }
  const out: { doc: LiveDoc; score: number }[] = [];
  for (const [i, score] of scores) {
    const doc = index.docs[i]!;
    if (keep(doc)) out.push({ doc, score: score * factor(doc) });
  }
  return out.sort((a, b) => b.score - a.score || (a.doc.id < b.doc.id ? -1 : 1));
}
