// Hot topics: similar requests from one district become one topic as they are registered; other
// matters, and the same matter in another district, stay apart; a topic is hot from three orders;
// hot topics rank by their recent orders or by growth; a batch read again changes nothing; old
// registrations are not clustered; a unit's staff are refused. Without the database: each order goes
// where weighing it against every active topic of its district would put it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { CITY, makeStaff, orderInput, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { drainCommitted, LOG_START, readAfter } from '../events/index.js';
import { registerOrder } from '../orders/index.js';
import { clusterRegistrations, hotTopicsConsumer, risingWords } from './index.js';
import { cluster, JOIN_SIMILARITY, shownKeywords, withOrder, WINDOW_HOURS } from './hot-topics.js';

const HOUR = 3_600_000;
const GARBAGE = ['小区门口垃圾堆积很久没人清理，臭味很大', '我们小区门口的垃圾好几天没有清运了，气味难闻', '垃圾桶满了没人清理，小区门口全是垃圾',
  '小区门口垃圾没人清运，苍蝇很多', '门口垃圾堆成山了，环卫一直不来清理'];
const WATER = ['小区停水两天了，请尽快恢复供水', '家里突然停水，没有接到任何停水通知', '停水一整天了，什么时候恢复供水', '小区又停水了，老人孩子没水用'];
const OTHERS = ['楼上装修噪音太大，晚上十点还在施工', '公交站台的广告牌松动，有掉落危险', '路边违章停车堵住了消防通道', '咨询新生儿医保怎么办理'];

describe('hot topics', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let agent: Actor;
  let leader: Record<string, string>;
  let streets: Record<'lixia' | 'shizhong' | 'licheng', string>;
  const now = testNow();
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
  let leaderActor: Actor & { username: string };

  before(async () => {
    p = await startTestPlatform();
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const street = async (district: string) =>
      (await p.db.pool.query(`SELECT code FROM areas WHERE parent_code = $1 ORDER BY code LIMIT 1`, [district])).rows[0].code as string;
    streets = { lixia: await street('370102'), shizhong: await street('370103'), licheng: await street('370112') };
    const started = await startTestApp(p);
    app = started.app;
    leaderActor = await makeStaff(p, 'HOTLINE', ['leader']);
    leader = { authorization: `Bearer ${await started.tokenFor(leaderActor.username)}` };
  });
  after(() => p.close());

  const register = (body: string, areaCode: string, at: Date) => registerOrder(p.db.pool, agent, orderInput({
    title: body.slice(0, 12), body, location: { address: '某小区', areaCode } }), at).then((r) => r.order.id);
  const topics = async (query: string, headers = leader) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/analytics/hot-topics?${query}`, headers });
    return { status: res.statusCode, body: res.json() };
  };

  it('puts similar requests from one district in one topic, apart from other matters and other districts', async () => {
    const garbage = [];
    for (const [i, text] of GARBAGE.entries()) garbage.push(await register(text, streets.lixia, ago(5 - i)));
    for (const [i, text] of OTHERS.entries()) await register(text, streets.lixia, ago(4.5 - i));
    // the same matter in another district, two of its orders a day before
    for (const text of [GARBAGE[1]!, GARBAGE[2]!]) await register(text, streets.shizhong, ago(30));
    for (const [i, text] of [GARBAGE[0]!, GARBAGE[3]!, GARBAGE[4]!].entries()) await register(text, streets.shizhong, ago(3 - i));
    // a water cut in a third district, as many orders the day before as today
    for (const [i, text] of WATER.entries()) await register(text, streets.licheng, ago(i + 1));
    for (const text of WATER) await register(text, streets.licheng, ago(28));
    // a registration four days old is history, not a topic
    await register(GARBAGE[0]!, streets.licheng, ago(96));
    await drainCommitted(p.db.pool, hotTopicsConsumer);

    const { status, body } = await topics('hours=24');
    assert.equal(status, 200, JSON.stringify(body));
    const summary = body.topics.map((t: { district: { name: string }; recent: number; previous: number }) => [t.district.name, t.recent, t.previous]);
    assert.deepEqual(summary, [['历下区', 5, 0], ['历城区', 4, 4], ['市中区', 3, 2]], 'three hot topics, the noise of single requests left out');
    const [lixia] = body.topics;
    assert.ok(lixia.keywords.includes('垃圾'), `its words: ${lixia.keywords}`);
    assert.equal(lixia.size, 5);
    assert.equal(lixia.street.code, streets.lixia);
    assert.equal(lixia.orders[0].orderId, garbage[0], 'its first order first');
    assert.equal(lixia.orders.length, 3);
    assert.ok(lixia.orders.every((o: { trackingNo: string }) => /^\d{8}-\d{8}$/.test(o.trackingNo)));
    assert.equal(lixia.hourly.length, 48);
    assert.equal(lixia.hourly.reduce((n: number, x: number) => n + x, 0), 5);
    assert.equal(new Date(lixia.firstAt).getTime(), ago(5).getTime());

    // the drill-down: all its orders, the latest first, as the orders the topic holds
    const drill = await app.inject({ method: 'GET', url: `/api/v1/analytics/hot-topics/${lixia.id}/orders?limit=2`, headers: leader });
    assert.equal(drill.statusCode, 200);
    assert.equal(drill.json().total, 5);
    assert.deepEqual(drill.json().items.map((o: { orderId: string }) => o.orderId), [garbage[4], garbage[3]]);
    assert.ok(drill.json().items.every((o: { title: string; state: string }) => o.title && o.state === 'registered'));
    const gone = await app.inject({ method: 'GET', url: '/api/v1/analytics/hot-topics/00000000-0000-4000-8000-000000000000/orders', headers: leader });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'ANALYTICS_HOT_TOPIC_NOT_FOUND');

    const growing = (await topics('hours=24&order=growth')).body.topics.map((t: { district: { name: string } }) => t.district.name);
    assert.deepEqual(growing, ['历下区', '市中区', '历城区'], 'by growth: the water cut as big as the day before comes last');
  });

  it("gives public opinion's rising words: those of today's orders used more than in the days before", async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/analytics/rising-words?days=1', headers: leader });
    assert.equal(res.statusCode, 200);
    // the days are Beijing's: read as of the test's now (the day before, in Beijing's small hours)
    const body = await risingWords(p.db.pool, leaderActor, { days: 1, limit: 20 }, now);
    const words = new Map(body.words.map((w: { word: string; orders: number; previous: number }) => [w.word, w]));
    // today: five rubbish complaints in 历下区, three in 市中区; yesterday two in 市中区 (the water cut as many both days)
    const rubbish = words.get('垃圾') as { orders: number; previous: number } | undefined;
    assert.ok(rubbish && rubbish.orders > rubbish.previous, `垃圾 rose: ${JSON.stringify(body.words.slice(0, 8))}`);
    assert.ok(!words.has('停水'), 'the water cut, as big as the day before, did not rise');
    assert.ok(body.words.every((w: { orders: number; previous: number }) => w.orders > w.previous && w.orders >= 3));

    // words of any matter (how long, that it was not handled) and counts rise with the volume, not a matter
    const filler = ['井盖已经两三个月没有处理，一直影响出行', '路灯已经两三个月没有处理，晚上一直很黑', '树枝已经两三个月没有处理，一直挡路'];
    for (const [i, text] of filler.entries()) await register(text, streets.licheng, ago(2 + i / 10));
    await drainCommitted(p.db.pool, hotTopicsConsumer);
    const risen = (await risingWords(p.db.pool, leaderActor, { days: 1, limit: 50 }, now)).words.map((w) => w.word);
    for (const word of ['已经', '两三个', '没有', '处理', '一直']) assert.ok(!risen.includes(word), `${word} in ${risen}`);
    assert.ok(risen.includes('垃圾'), 'the matter still rises');
  });

  it('counts a batch read again once', async () => {
    const sizes = async () => (await p.db.pool.query('SELECT id, size FROM hot_topics ORDER BY id')).rows;
    const before = await sizes();
    const orders = (await p.db.pool.query('SELECT count(*)::int AS n FROM hot_topic_orders')).rows[0].n;
    const words = (await p.db.pool.query('SELECT sum(orders)::int AS n FROM analytics_words_daily')).rows[0].n;
    await clusterRegistrations(p.db.pool, CITY, await readAfter(p.db.pool, LOG_START, 1000), now);
    assert.deepEqual(await sizes(), before);
    assert.equal((await p.db.pool.query('SELECT count(*)::int AS n FROM hot_topic_orders')).rows[0].n, orders);
    assert.equal((await p.db.pool.query('SELECT sum(orders)::int AS n FROM analytics_words_daily')).rows[0].n, words);
  });

  it("refuses a unit's staff: hot topics are the city's", async () => {
    const started = await startTestApp(p);
    const unit = { authorization: `Bearer ${await started.tokenFor((await makeStaff(p, 'UTIL-WATER', ['unit_manager'])).username)}` };
    assert.equal((await topics('hours=24', unit)).status, 403);
    const topic = (await p.db.pool.query('SELECT id FROM hot_topics LIMIT 1')).rows[0].id;
    assert.equal((await app.inject({ method: 'GET', url: `/api/v1/analytics/hot-topics/${topic}/orders`, headers: unit })).statusCode, 403);
    assert.equal((await topics('hours=200')).status, 400, 'the window is at most 72 hours');
  });
});

describe('clustering', () => {
  it('puts each order in the closest active topic of its district, or in a new one when none is close enough', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const vocabulary = Array.from({ length: 400 }, (_, i) => `词${i}`);
    const vector = (size: number) => {
      const v = new Map(Array.from({ length: size }, () => [pick(vocabulary), random()] as [string, number]));
      const length = Math.sqrt([...v.values()].reduce((n, x) => n + x * x, 0));
      return new Map([...v].map(([w, x]) => [w, x / length]));
    };
    const start = Date.UTC(2026, 11, 1);
    const topic = (i: number) => ({ id: `t${i}`, district: pick(['A', 'B', 'C']), firstAt: new Date(start), size: 3, isNew: false,
      lastAt: new Date(start - random() * 80 * HOUR), centroid: vector(20) });
    const topics = Array.from({ length: 400 }, (_, i) => topic(i));
    const arrivals = Array.from({ length: 2000 }, (_, i) => ({ orderId: `o${i}`, at: new Date(start + i * 6 * 60_000), district: pick(['A', 'B', 'C']),
      areaCode: null, categoryCode: null, vector: vector(2 + Math.floor(random() * 6)), words: [] }));

    // the reference: every topic, in order, weighed against every order
    const all = topics.map((t) => ({ ...t, centroid: new Map(t.centroid) }));
    const expected = arrivals.map((a) => {
      let best: (typeof all)[number] | null = null;
      let similarity = 0;
      for (const t of all) {
        if (t.district !== a.district || a.at.getTime() - t.lastAt.getTime() > WINDOW_HOURS * HOUR) continue;
        const length = Math.sqrt([...t.centroid.values()].reduce((n, x) => n + x * x, 0));
        const s = length === 0 ? 0 : [...a.vector].reduce((dot, [w, x]) => dot + x * (t.centroid.get(w) ?? 0), 0) / length;
        if (s > similarity) [best, similarity] = [t, s];
      }
      if (!best || similarity < JOIN_SIMILARITY) {
        all.push(best = { id: `new ${a.orderId}`, district: a.district, firstAt: a.at, lastAt: a.at, size: 0, isNew: true, centroid: new Map() });
        similarity = 1;
      }
      best.centroid = withOrder(best.centroid, a.vector);
      if (a.at > best.lastAt) best.lastAt = a.at;
      return `${a.orderId} → ${best.id} ${similarity.toFixed(12)}`;
    });

    const { joined } = cluster(topics, arrivals);
    // a new topic is named, as in the reference, by the order that started it: the first to join it
    const made = new Map<string, string>();
    for (const j of joined) if (j.topic.isNew && !made.has(j.topic.id)) made.set(j.topic.id, `new ${j.arrival.orderId}`);
    const got = joined.map((j) => `${j.arrival.orderId} → ${made.get(j.topic.id) ?? j.topic.id} ${j.similarity.toFixed(12)}`);
    assert.deepEqual(got, expected);
    assert.ok(made.size > 20 && made.size < 1500, `some orders join topics, others start their own (${made.size} new)`);
  });
});

/**
 * Now; or, before 06:00 in Beijing, the last minute of the Beijing day before: the orders of
 * "today" (one to five hours old) and of "yesterday" (28 to 30 hours old) then fall on those days,
 * whenever the suite runs.
 */
function testNow(): Date {
  const real = Date.now();
  const beijing = real + 8 * HOUR;
  if (new Date(beijing).getUTCHours() >= 6) return new Date(real);
  return new Date(real - (beijing % (24 * HOUR)) - 60_000);
}

describe("a topic's name", () => {
  it('is its five weightiest words, without the pieces of a word beside it nor words of degree', () => {
    const centroid = { 芙蓉街: 0.5, 停水: 0.45, 芙蓉: 0.25, 蓉街: 0.25, 很重: 0.2, 没水: 0.18, 通知: 0.1, 小区: 0.09, 居民: 0.05 };
    assert.deepEqual(shownKeywords(centroid), ['芙蓉街', '停水', '没水', '通知', '小区']);
    assert.deepEqual(shownKeywords({ 垃圾: 0.6, 垃圾桶: 0.3 }), ['垃圾', '垃圾桶'], 'a longer word after its piece says more: kept');
  });
});
