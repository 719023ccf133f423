// Knowledge search at scale: the project's 110 callers' questions searched over its 60 articles (the
// baseline, same run), then over 10,000 (--articles): the 60 and generated ones written from the
// category tree, the city's districts and the phrases of real answers (offices, documents, hours,
// fees), so that the common words (办理, 材料, 申请) are in most articles, as in a real knowledge base.
// Median and p95 of a search, in-process (the module's function: segmentation, ranking, marks), and
// top-1/top-3 accuracy at both sizes: whether relevance holds among 10,000 articles; then the first
// search after a publication, which reads the articles published since (ranking.ts), against the first
// search of a process just started, which reads them all.
import { systemActor } from '../src/modules/auth/index.js';
import { seededRandom } from '../src/shared/random.js';
import { forgetHeldIndexes, importArticles, searchArticles, type ArticleContent } from '../src/modules/knowledge/index.js';
import { currentTree } from '../src/modules/taxonomy/index.js';
import { fixtureQuestions, ownerOfKind, seedKnowledgeArticles } from '../src/seed/knowledge.js';
import type { TestPlatform } from '../src/testing/harness.js';
import { median, quantile, round } from './stats.js';

type Report = (name: string, figures: Record<string, unknown>) => void;

const DISTRICTS: [string, string][] = [['370102', '历下区'], ['370103', '市中区'], ['370104', '槐荫区'], ['370105', '天桥区'], ['370112', '历城区'],
  ['370113', '长清区'], ['370114', '章丘区'], ['370115', '济阳区'], ['370116', '莱芜区'], ['370117', '钢城区'], ['370124', '平阴县'], ['370126', '商河县']];
const KINDS = ['办理指南', '常见问题解答', '政策解读', '服务事项说明', '投诉处理口径', '咨询答复口径', '收费标准', '办理时限'];
const ASKED = ['{c}怎么办理', '{c}找哪个部门', '{c}需要带什么材料', '{c}多长时间能办好', '{c}在哪里办', '{c}收费吗', '反映{c}的问题谁来管'];
const DOCUMENTS = ['本人身份证', '户口簿', '营业执照副本', '不动产权证书', '申请表', '委托书及受托人身份证', '近期免冠照片', '相关证明材料', '银行卡', '租赁合同'];
const PHRASES = [
  '市民可到{d}政务服务中心{c}窗口办理，工作日9:00-17:00。', '办理{c}需提供：{docs}。', '材料齐全的，{n}个工作日内办结；材料不全的，一次性告知需补正的材料。',
  '{c}事项已开通网上办理，可通过“爱山东”APP或政务服务网提交申请。', '收费标准以物价部门核定并公示的标准为准，不得另行收取其他费用。',
  '对{c}办理结果有异议的，可在收到决定之日起60日内申请行政复议。', '{c}由{d}相关部门负责，热线受理后按职责派单办理。',
  '如遇{c}紧急情况，请先采取安全措施，再拨打12345反映。', '办理进度可凭受理编号在网上查询，也可拨打12345咨询。',
  '符合条件的，按规定享受相应补贴，补贴标准以当年公布为准。', '申请人应对所提交材料的真实性负责，提供虚假材料的将依法处理。',
  '{c}相关政策如有调整，以主管部门最新公布的文件为准。',
];

async function generatedArticles(p: TestPlatform, count: number): Promise<{ ownerUnitId: string; content: ArticleContent }[]> {
  const rand = seededRandom(12345); // the same articles every run
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const tree = await currentTree(p.db.pool, p.config.cityCode);
  const leaves = tree.categories.filter((c) => c.level >= 3);
  const owner = await ownerOfKind(p.db.pool, p.config.cityCode);
  const out = [];
  for (let i = 0; i < count; i++) {
    const category = pick(leaves);
    const district = rand() < 0.2 ? pick(DISTRICTS) : null;
    const fill = (s: string) => s.replaceAll('{c}', category.name).replaceAll('{d}', district?.[1] ?? pick(DISTRICTS)[1])
      .replace('{docs}', [pick(DOCUMENTS), pick(DOCUMENTS), pick(DOCUMENTS)].join('、')).replace('{n}', String(3 + Math.floor(rand() * 18)));
    const answer = Array.from({ length: 4 + Math.floor(rand() * 4) }, () => fill(pick(PHRASES))).join('\n');
    out.push({ ownerUnitId: owner(category.unitKind ?? 'hotline'), content: {
      title: `${district?.[1] ?? ''}${category.name}${pick(KINDS)}`, questions: [fill(pick(ASKED)), fill(pick(ASKED))], answer,
      categoryCodes: [category.code], areaCodes: district ? [district[0]] : [], public: rand() < 0.8, validFrom: null,
      validUntil: rand() < 0.1 ? `2026-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-28` : null,
    } });
  }
  return out;
}

/** Each question searched `rounds` times: the times (ms) and how often the expected article came first, or in the first three. */
async function measure(p: TestPlatform, ids: Map<string, string>, rounds: number) {
  const questions = fixtureQuestions();
  const times: number[] = [];
  let top1 = 0;
  let top3 = 0;
  for (let r = 0; r < rounds; r++) {
    for (const { question, expected } of questions) {
      const start = performance.now();
      const found = await searchArticles(p.db.pool, p.config.cityCode, { q: question, limit: 10, offset: 0 });
      times.push(performance.now() - start);
      if (r > 0) continue;
      const rank = found.items.slice(0, 3).findIndex((h) => h.id === ids.get(expected));
      if (rank === 0) top1++;
      if (rank >= 0) top3++;
    }
  }
  const share = (n: number) => round((n / questions.length) * 100);
  return { searches: times.length, medianMs: round(median(times)), p95Ms: round(quantile(times, 0.95)), top1Percent: share(top1), top3Percent: share(top3) };
}

export async function benchKnowledge(p: TestPlatform, opts: { articles: number; report: Report }): Promise<void> {
  const ids = await seedKnowledgeArticles(p.db.pool, p.config.cityCode);
  await measure(p, ids, 1); // warm: jieba's dictionary, the plans
  const baseline = await measure(p, ids, 3);
  opts.report('knowledge_search_baseline', { articles: ids.size, ...baseline });

  const generated = await generatedArticles(p, opts.articles - ids.size);
  const start = performance.now();
  for (let i = 0; i < generated.length; i += 500) await importArticles(p.db.pool, systemActor(p.config.cityCode), generated.slice(i, i + 500));
  const importSeconds = (performance.now() - start) / 1000;
  await p.db.pool.query('ANALYZE knowledge_articles');
  opts.report('knowledge_import', { articles: generated.length, seconds: round(importSeconds), perSecond: Math.round(generated.length / importSeconds) });

  await measure(p, ids, 1);
  const atScale = await measure(p, ids, 3);
  opts.report('knowledge_search', { articles: opts.articles, ...atScale, ratioToBaseline: round(atScale.medianMs / baseline.medianMs) });

  // a publication makes every process take the articles published since into its index, at its next
  // search: that search's cost; beside it, the first search of a process just started (every article read)
  const timed = async () => {
    const at = performance.now();
    await searchArticles(p.db.pool, p.config.cityCode, { q: '公积金提取', limit: 10, offset: 0 });
    return performance.now() - at;
  };
  const afterPublication: number[] = [];
  const readWhole: number[] = [];
  for (let i = 0; i < 5; i++) {
    await importArticles(p.db.pool, systemActor(p.config.cityCode), (await generatedArticles(p, 1)));
    afterPublication.push(await timed());
    forgetHeldIndexes();
    readWhole.push(await timed());
  }
  opts.report('knowledge_search_after_publication', { articles: opts.articles + 5, medianMs: round(median(afterPublication)), maxMs: round(Math.max(...afterPublication)),
    firstSearchOfAProcessMs: round(median(readWhole)), ratio: round(median(afterPublication) / median(readWhole)) });
}
