// What the knowledge base is worth, from the event log (a durable consumer from its start): the
// orders registered and answered directly each day, with an article or without (the direct-answer
// rate, 直接办理率), each answer given with an article, and the answers that failed: the order was
// reopened, or the citizen said at the return visit it was not solved or they were unsatisfied.
import { prepared, type Queryable } from '../../db/tx.js';
import { beijingDate } from '../../shared/beijing.js';
import type { Actor } from '../auth/index.js';
import { unitIndex } from '../directory/index.js';
import { unitsInSight } from './articles.js';
import type { Consumer, StoredEvent } from '../events/index.js';

export const knowledgeUsageConsumer: Consumer = {
  name: 'knowledge-usage',
  from: 'start',
  types: ['order.registered', 'order.answered_directly', 'order.reopened', 'order.visited', 'order.visit_recorded'],
  async handle(tx, events) {
    // the day's counts add up in memory and go in one statement for the batch (a busy hour's batch is
    // a hundred registrations); the rare uses and failures are written event by event
    const days = new Map<string, DayCounts>();
    for (const e of events) {
      const article = articleOf(e);
      if (e.type === 'order.registered' || e.type === 'order.answered_directly') {
        const day = beijingDate(new Date(e.at));
        const counts = days.get(`${e.cityCode} ${day}`) ?? { cityCode: e.cityCode, day, registered: 0, answeredDirectly: 0, withArticle: 0 };
        days.set(`${e.cityCode} ${day}`, counts);
        if (e.type === 'order.registered') counts.registered++;
        else counts.answeredDirectly++;
        if (article) counts.withArticle++;
      }
      await HANDLERS[e.type]?.(tx, e);
    }
    await addCounts(tx, [...days.values()]);
  },
};

/** The article an order was answered directly with, if any. */
const articleOf = (e: StoredEvent) => e.type === 'order.answered_directly' ? e.payload.article as { id: string; version: number } | undefined : undefined;

interface DayCounts { cityCode: string; day: string; registered: number; answeredDirectly: number; withArticle: number }

async function addCounts(tx: Queryable, days: DayCounts[]): Promise<void> {
  if (days.length === 0) return;
  await tx.query(prepared(
    `INSERT INTO knowledge_daily (city_code, day, registered, answered_directly, with_article)
     SELECT * FROM unnest($1::text[], $2::date[], $3::int[], $4::int[], $5::int[])
     ON CONFLICT (city_code, day) DO UPDATE SET registered = knowledge_daily.registered + EXCLUDED.registered,
       answered_directly = knowledge_daily.answered_directly + EXCLUDED.answered_directly,
       with_article = knowledge_daily.with_article + EXCLUDED.with_article`,
    [days.map((d) => d.cityCode), days.map((d) => d.day), days.map((d) => d.registered), days.map((d) => d.answeredDirectly),
      days.map((d) => d.withArticle)]));
}

async function failed(tx: Queryable, e: StoredEvent, why: 'reopened' | 'unsatisfied'): Promise<void> {
  await tx.query(prepared(`UPDATE knowledge_uses SET failed = $3, failed_at = $4 WHERE city_code = $1 AND order_id = $2 AND failed IS NULL`,
    [e.cityCode, e.streamId, why, e.at]));
}

const unhappy = (p: Record<string, unknown>): boolean => p.reached === true && (p.solved === false || p.satisfaction === 'unsatisfied');

const HANDLERS: Partial<Record<StoredEvent['type'], (tx: Queryable, e: StoredEvent) => Promise<void>>> = {
  'order.answered_directly': async (tx, e) => {
    const article = articleOf(e);
    if (!article) return;
    await tx.query(prepared(
      `INSERT INTO knowledge_uses (city_code, order_id, article_id, version, at, agent_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [e.cityCode, e.streamId, article.id, article.version, e.at, e.actor.kind === 'staff' ? e.actor.id : null]));
  },
  'order.reopened': (tx, e) => failed(tx, e, 'reopened'),
  'order.visited': async (tx, e) => { if (unhappy(e.payload)) await failed(tx, e, 'unsatisfied'); },
  'order.visit_recorded': async (tx, e) => { if (unhappy(e.payload)) await failed(tx, e, 'unsatisfied'); },
};

export interface ArticleUsage {
  articleId: string;
  title: string | null;
  ownerUnit: { id: string; name: string | null };
  uses: number;
  failed: number;
  reopened: number;
  unsatisfied: number;
  lastUsedAt: string;
}

export interface UsageReport {
  from: string;
  to: string;
  registered: number;
  answeredDirectly: number;
  withArticle: number;
  /** answered directly / registered, per cent */
  directRate: number | null;
  /** answered with an article / answered directly, per cent */
  articleRate: number | null;
  /** answers with an article that failed / answers with an article, per cent */
  failureRate: number | null;
  /** the articles used in the period, the most used first */
  articles: ArticleUsage[];
}

const percent = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** The period's figures (Beijing days, both included); a unit's staff see their units' articles only. */
export async function usageReport(db: Queryable, actor: Actor, from: string, to: string): Promise<UsageReport> {
  const units = await unitIndex(db, actor.cityCode);
  const own = unitsInSight(actor, units);
  const daily = await db.query(prepared(
    `SELECT COALESCE(sum(registered), 0) AS registered, COALESCE(sum(answered_directly), 0) AS answered, COALESCE(sum(with_article), 0) AS with_article
       FROM knowledge_daily WHERE city_code = $1 AND day BETWEEN $2::date AND $3::date`, [actor.cityCode, from, to]));
  const r = await db.query(prepared(
    `SELECT u.article_id, a.title, a.owner_unit_id, count(*) AS uses, count(u.failed) AS failed,
            count(*) FILTER (WHERE u.failed = 'reopened') AS reopened, count(*) FILTER (WHERE u.failed = 'unsatisfied') AS unsatisfied,
            max(u.at) AS last_used_at
       FROM knowledge_uses u JOIN knowledge_articles a ON a.city_code = u.city_code AND a.id = u.article_id
      WHERE u.city_code = $1 AND u.at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
        AND u.at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AND ($4::uuid[] IS NULL OR a.owner_unit_id = ANY($4))
      GROUP BY u.article_id, a.title, a.owner_unit_id ORDER BY uses DESC, failed DESC, u.article_id LIMIT 500`,
    [actor.cityCode, from, to, own]));
  const articles = r.rows.map((row) => ({ articleId: row.article_id, title: row.title,
    ownerUnit: { id: row.owner_unit_id, name: units.get(row.owner_unit_id)?.name ?? null }, uses: row.uses, failed: row.failed,
    reopened: row.reopened, unsatisfied: row.unsatisfied, lastUsedAt: row.last_used_at.toISOString() }));
  const d = daily.rows[0]!;
  const used = articles.reduce((sum, a) => sum + a.uses, 0);
  return {
    from, to, registered: Number(d.registered), answeredDirectly: Number(d.answered), withArticle: Number(d.with_article),
    directRate: percent(Number(d.answered), Number(d.registered)), articleRate: percent(Number(d.with_article), Number(d.answered)),
    failureRate: percent(articles.reduce((sum, a) => sum + a.failed, 0), used), articles,
  };
}
