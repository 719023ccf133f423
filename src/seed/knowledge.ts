// The knowledge base the project writes (src/seed/knowledge/): 60 articles of a 12345 hotline's
// everyday questions, and 110 questions as callers put them with the article each should find. The
// demo publishes the articles; the relevance test and the knowledge benchmark search them.
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { systemActor } from '../modules/auth/index.js';
import { unitIndex } from '../modules/directory/index.js';
import { importArticles, type ArticleContent } from '../modules/knowledge/index.js';

export interface FixtureArticle {
  key: string;
  title: string;
  questions: string[];
  answer: string;
  categoryCodes: string[];
  /** the kind of unit that owns it (the unit_kind of its category) */
  unitKind: string;
  areaCodes: string[];
  public: boolean;
  validUntil: string | null;
}

const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(`./knowledge/${file}`, import.meta.url), 'utf8')) as T;

export const fixtureArticles = (): FixtureArticle[] => read('articles.json');
export const fixtureQuestions = (): { question: string; expected: string }[] => read('questions.json');

export const contentOf = (a: FixtureArticle): ArticleContent => ({ title: a.title, questions: a.questions, answer: a.answer, categoryCodes: a.categoryCodes,
  areaCodes: a.areaCodes, public: a.public, validFrom: null, validUntil: a.validUntil });

/** The unit that owns articles of a kind: the first active unit of that kind, else the hotline itself. */
export async function ownerOfKind(pool: pg.Pool, cityCode: string): Promise<(kind: string) => string> {
  const units = await unitIndex(pool, cityCode);
  const hotline = units.byCode('HOTLINE');
  if (!hotline) throw new Error('the network has no HOTLINE unit');
  return (kind) => units.ofKind(kind).find((u) => u.active)?.id ?? hotline.id;
}

/** Publishes the fixture's articles; returns each article's id by its key. */
export async function seedKnowledgeArticles(pool: pg.Pool, cityCode: string, now = new Date()): Promise<Map<string, string>> {
  const articles = fixtureArticles();
  const owner = await ownerOfKind(pool, cityCode);
  const ids = await importArticles(pool, systemActor(cityCode), articles.map((a) => ({ ownerUnitId: owner(a.unitKind), content: contentOf(a) })), now);
  return new Map(articles.map((a, i) => [a.key, ids[i]!]));
}
