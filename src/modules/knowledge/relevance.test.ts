// Search relevance on the project's own article set (src/seed/knowledge): 60 articles, 110 questions
// as callers put them, each with the article it should find. Prints top-1 and top-3 accuracy, and
// holds them above the floor measured when the search was written, so a change that loses relevance fails.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureQuestions, seedKnowledgeArticles } from '../../seed/knowledge.js';
import { startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { searchArticles } from './index.js';

describe('knowledge search relevance', () => {
  let p: TestPlatform;
  let ids: Map<string, string>;
  before(async () => {
    p = await startTestPlatform();
    ids = await seedKnowledgeArticles(p.db.pool, p.config.cityCode);
  });
  after(() => p.close());

  it('finds the expected article first for most questions, and in the first three for nearly all', async () => {
    const questions = fixtureQuestions();
    assert.ok(ids.size >= 50 && questions.length >= 100);
    let top1 = 0;
    let top3 = 0;
    const missed: string[] = [];
    for (const { question, expected } of questions) {
      const found = await searchArticles(p.db.pool, p.config.cityCode, { q: question, limit: 3, offset: 0 });
      const rank = found.items.findIndex((h) => h.id === ids.get(expected));
      if (rank === 0) top1++;
      if (rank >= 0) top3++;
      else missed.push(`${question} → ${expected} (got ${found.items.map((h) => h.title.text).join(' | ') || 'nothing'})`);
    }
    const share = (n: number) => Math.round((n / questions.length) * 1000) / 10;
    console.log(`knowledge search on ${ids.size} articles, ${questions.length} questions: top-1 ${share(top1)}%, top-3 ${share(top3)}%`);
    if (missed.length) console.log(`not in the first three:\n  ${missed.join('\n  ')}`);
    // measured 90.9% and 99.1% (2026-12-05); the synonyms were written while reading the misses, so
    // these questions are not a held-out set: the floors guard against losing relevance, no more
    assert.ok(share(top1) >= 85, `top-1 ${share(top1)}%`);
    assert.ok(share(top3) >= 95, `top-3 ${share(top3)}%`);
  });
});
