import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../shared/random.js';
import { liveDocs, rank, withArticles, type LiveIndex } from './ranking.js';

const WORDS = ['停水', '供水', '养犬', '登记', '供暖', '退费', '噪音', '施工', '公交', '线路', '医保', '报销', '落户', '社保', '物业', '维修'];
const EMPTY: LiveIndex = { generation: 0, docs: [], live: 0, places: new Map(), words: [], postings: new Map() };

/** An article's row as the index reads it: a few words in each field, or withdrawn. */
function row(id: number, random: () => number, live = true) {
  const some = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' ');
  return { id: `a${id}`, live, title_words: some(2), question_words: some(4), answer_words: some(12), category_codes: [`0${id % 9}`], area_codes: [],
    public: id % 2 === 0, valid_from: null, valid_until: null, published_at: new Date(1_700_000_000_000 + id * 1000) };
}

/** What an index says, whatever the places: per word, each article holding it and its weight; and the articles. */
function meaning(index: LiveIndex) {
  const words = [...index.postings].map(([word, p]) => [word, [...p.docs].map((place, i) => `${index.docs[place]!.id}:${p.weights[i]}`).sort()] as const);
  return { live: index.live, docs: liveDocs(index).map((d) => JSON.stringify(d)).sort(), words: new Map(words.sort()) };
}

describe('the held index of live articles, made from the one before', () => {
  it('says what an index read whole says, after any mix of publications, revisions and withdrawals', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = seededRandom(seed);
      const current = new Map<string, ReturnType<typeof row>>();
      let held = EMPTY;
      let before: string[] = [];
      for (let generation = 1; generation <= 40; generation++) {
        // now and then an article of the generation before read again (stamped after the generation was read), as it is now;
        // then new articles, new versions of live ones, withdrawals (the same article twice in a batch: the read gives its last)
        const again = random() < 0.3 ? before.map((id) => current.get(id)!) : [];
        const batch = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
          const next = row(Math.floor(random() * 30), random, random() > 0.25);
          current.set(next.id, next);
          return next;
        });
        before = batch.map((r) => r.id);
        held = withArticles(held, [...again, ...batch], generation);
        const whole = withArticles(EMPTY, [...current.values()].filter((r) => r.live), generation);
        assert.deepEqual(meaning(held), meaning(whole), `seed ${seed}, generation ${generation}`);
        const ranked = (index: LiveIndex) => rank(index, ['停水', '供水', '维修'], () => true, () => 1).map((r) => `${r.doc.id}:${r.score.toFixed(6)}`);
        assert.deepEqual(ranked(held), ranked(whole));
      }
    }
  });

  it('leaves the index it was made from as it was (a search in flight reads it whole)', () => {
    const random = seededRandom(9);
    const first = withArticles(EMPTY, [row(1, random), row(2, random)], 1);
    const before = meaning(first);
    withArticles(first, [{ ...row(1, random), live: false }, row(3, random)], 2);
    assert.deepEqual(meaning(first), before);
  });
});
