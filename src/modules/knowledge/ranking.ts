// The ranking of live articles, held in each process's memory: an inverted index of the words of
// every published article (title, the ways citizens ask it, answer) with what filters need (its
// categories, areas, public, validity). Ranking a query in SQL cost 137 ms median and 2.6 s at p95
// over 1,060 articles on PGlite (every hit's vector tested and ranked once per query word); here it
// is a walk of the query words' postings. The index is read again when the city's generation
// (bumped in the transaction of each publication, withdrawal or import) is not the one it was built at.
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

interface LiveIndex {
  generation: number;
  docs: LiveDoc[];
  /** per word: the documents holding it (indexes into docs) and the word's weight in each */
  postings: Map<string, { docs: Int32Array; weights: Float32Array }>;
}

// per city and generation; a few kept (searches in flight on the generation before), forgotten with
// every memo when a process opens another database
const indexes = memo<LiveIndex>(Number.POSITIVE_INFINITY, 8);

/** Bumps the city's generation: every process's index is read again at its next search. */
export async function bumpGeneration(db: Queryable, cityCode: string): Promise<void> {
  await db.query(prepared(`INSERT INTO knowledge_generations (city_code, generation) VALUES ($1, 1)
    ON CONFLICT (city_code) DO UPDATE SET generation = knowledge_generations.generation + 1`, [cityCode]));
}

/** The city's index as of its current generation. */
export async function liveIndex(db: Queryable, cityCode: string): Promise<LiveIndex> {
  const r = await db.query<{ generation: number }>(prepared('SELECT generation FROM knowledge_generations WHERE city_code = $1', [cityCode]));
  const generation = Number(r.rows[0]?.generation ?? 0);
  return indexes.get(`${cityCode}:${generation}`, () => buildIndex(db, cityCode, generation));
}

async function buildIndex(db: Queryable, cityCode: string, generation: number): Promise<LiveIndex> {
  const r = await db.query(prepared(
    `SELECT id, title_words, question_words, answer_words, category_codes, area_codes, public, valid_from::text AS valid_from, valid_until::text AS valid_until,
            published_at FROM knowledge_articles WHERE city_code = $1 AND version IS NOT NULL AND withdrawn_at IS NULL ORDER BY id`, [cityCode]));
  const docs: LiveDoc[] = [];
  const lists = new Map<string, { docs: number[]; weights: number[] }>();
  for (const row of r.rows) {
    const doc = docs.length;
    docs.push({ id: row.id, categoryCodes: row.category_codes, areaCodes: row.area_codes, public: row.public, validFrom: row.valid_from, validUntil: row.valid_until,
      publishedAt: row.published_at.getTime() });
    for (const [word, weight] of wordWeights(row.title_words, row.question_words, row.answer_words)) {
      let list = lists.get(word);
      if (!list) lists.set(word, list = { docs: [], weights: [] });
      list.docs.push(doc);
      list.weights.push(weight);
    }
  }
  const postings = new Map<string, { docs: Int32Array; weights: Float32Array }>();
  for (const [word, list] of lists) postings.set(word, { docs: Int32Array.from(list.docs), weights: Float32Array.from(list.weights) });
  return { generation, docs, postings };
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
  const n = index.docs.length;
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
