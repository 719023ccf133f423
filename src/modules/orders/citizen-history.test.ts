import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { citizenActor, type Actor } from '../auth/index.js';
import { makeCast, registerTestOrder, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';
import { applyTransition, citizenHistory, registerOrder } from './index.js';

describe("the citizen across channels: an order's citizen by phone and channel identities", () => {
  let p: TestPlatform;
  let cast: Record<'agent' | 'leader' | 'water' | 'gas', Actor & { username: string }>;

  before(async () => {
    p = await startTestPlatform();
    cast = await makeCast(p, { agent: ['HOTLINE', ['agent']], leader: ['HOTLINE', ['leader']], water: ['UTIL-WATER', ['unit_handler']],
      gas: ['UTIL-GAS', ['unit_handler']] });
  });
  after(() => p.close());

  const phone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  /** A request a citizen sent on a channel that knows them by an identity, as the channel registers it. */
  const fromChannel = async (channel: string, identity: string, body: string, citizenPhone?: string, at = new Date()) => (await registerOrder(p.db.pool,
    citizenActor(p.config.cityCode, []), { channel, channelRef: `${identity}:${Math.random()}`, requestType: 'help', title: body.slice(0, 20), body,
      citizen: { identity: `${channel}:${identity}`, phone: citizenPhone } }, at)).order;

  test('a WeChat follower, their calls and their app account are one citizen once one message names their number', async () => {
    const mobile = phone();
    const openid = `o${Math.random().toString(36).slice(2, 14)}`;
    const day = 86_400_000;
    const first = await fromChannel('wechat', openid, '小区路灯坏了，请尽快维修。', undefined, new Date(Date.now() - 200 * day));
    const named = await fromChannel('wechat', openid, `楼下噪音扰民，联系电话 ${mobile}`, mobile, new Date(Date.now() - 40 * day));
    const call = await registerTestOrder(p, cast.agent, { channel: 'phone', citizen: { name: '赵女士', phone: mobile } });
    const app = await fromChannel('app', 'b6f1f2c4-7f6d-4c39-9d0e-0c6a1c2f0a11', '公交站牌倒了，存在安全隐患。', mobile);
    const stranger = await registerTestOrder(p, cast.agent, { channel: 'phone', citizen: { phone: phone() } });

    const seen = await citizenHistory(p.db.pool, cast.agent, first.id, { limit: 10 });
    assert.deepEqual(seen.knownBy, { phone: null, channels: ['app', 'wechat'], sharedPhone: false }, 'the first message gave no number; the identities link the rest');
    assert.deepEqual(new Set(seen.orders.map((o) => o.trackingNo)), new Set([named.trackingNo, call.trackingNo, app.trackingNo]));
    assert.ok(!seen.orders.some((o) => o.trackingNo === stranger.trackingNo));
    assert.deepEqual(seen.counts, { days30: 2, days90: 3, days365: 4, all: 4, capped: false });
    assert.deepEqual(seen.byChannel, [{ channel: 'wechat', count: 2 }, { channel: 'app', count: 1 }, { channel: 'phone', count: 1 }]);
    assert.equal(seen.open, 4);

    const fromCall = await citizenHistory(p.db.pool, cast.agent, call.id, { limit: 10 });
    assert.equal(fromCall.knownBy.phone, `${mobile.slice(0, 3)}****${mobile.slice(-4)}`, 'masked here: the order shows the number to those who may see it, audited');
    assert.equal(fromCall.counts.all, 4, 'the same citizen from any of their orders');

    const leader = await citizenHistory(p.db.pool, cast.leader, call.id, { limit: 10 });
    assert.equal(leader.counts.all, 4, 'a leader sees how often');
    assert.deepEqual(leader.orders, [], 'but not the requests of a citizen they see masked');
  });

  test("a unit sees only its own orders of the citizen; a confidential request's citizen is found only by those who may see them", async () => {
    const mobile = phone();
    const [water, gas] = [await unitId(p, 'UTIL-WATER'), await unitId(p, 'UTIL-GAS')];
    const toWater = await registerTestOrder(p, cast.agent, { channel: 'phone', citizen: { phone: mobile } });
    const toGas = await registerTestOrder(p, cast.agent, { channel: 'phone', citizen: { phone: mobile } });
    const secret = await registerTestOrder(p, cast.agent, { channel: 'phone', confidential: true, citizen: { phone: mobile } });
    await applyTransition(p.db.pool, cast.agent, toWater.id, 'dispatch', { unitId: water });
    await applyTransition(p.db.pool, cast.agent, toGas.id, 'dispatch', { unitId: gas });

    const unit = await citizenHistory(p.db.pool, cast.water, toWater.id, { limit: 10 });
    assert.equal(unit.counts.all, 1, 'the gas company\'s order of the same citizen is not the water company\'s to see');
    await assert.rejects(citizenHistory(p.db.pool, cast.water, toGas.id, { limit: 10 }), { code: 'ORDER_NOT_FOUND' });

    assert.equal((await citizenHistory(p.db.pool, cast.agent, toWater.id, { limit: 10 })).counts.all, 3, 'an agent sees the confidential one');
    assert.equal((await citizenHistory(p.db.pool, cast.leader, toWater.id, { limit: 10 })).counts.all, 2, 'a leader does not');
    const fromSecret = await citizenHistory(p.db.pool, cast.leader, secret.id, { limit: 10 });
    assert.deepEqual([fromSecret.hidden, fromSecret.counts.all], [true, 0], 'nor anything from the confidential order itself');
  });

  test('a number shared by many channel identities links no one; a confidential request links nothing for those who may not see it', async () => {
    const shop = phone();
    const followers = Array.from({ length: 7 }, () => `o${Math.random().toString(36).slice(2, 14)}`);
    for (const f of followers) await fromChannel('wechat', f, `小区门口的商店占道经营，联系电话 ${shop}`, shop);
    const one = await fromChannel('wechat', followers[0]!, '楼道灯坏了，请物业修理。');
    const history = await citizenHistory(p.db.pool, cast.agent, one.id, { limit: 10 });
    assert.equal(history.counts.all, 2, 'the follower\'s own two messages, not the six other followers\'');
    const call = await registerTestOrder(p, cast.agent, { channel: 'phone', citizen: { phone: shop } });
    const fromShop = await citizenHistory(p.db.pool, cast.agent, call.id, { limit: 10 });
    assert.equal(fromShop.knownBy.sharedPhone, true, 'a call from the number: it is said to be shared');
    assert.deepEqual(fromShop.knownBy.channels, [], 'and no follower is taken for the caller');

    // a whistle-blower's confidential request names both their number and their WeChat account
    const mobile = phone();
    const openid = `o${Math.random().toString(36).slice(2, 14)}`;
    const called = await registerTestOrder(p, cast.agent, { channel: 'phone', citizen: { phone: mobile } });
    await registerOrder(p.db.pool, citizenActor(p.config.cityCode, []), { channel: 'wechat', channelRef: `${openid}:1`, requestType: 'report',
      title: '举报', body: `举报某单位违规排污，我的电话 ${mobile}`, confidential: true, citizen: { identity: `wechat:${openid}`, phone: mobile } });
    const wechat = await fromChannel('wechat', openid, '路边井盖丢了，很危险。');
    assert.equal((await citizenHistory(p.db.pool, cast.leader, called.id, { limit: 10 })).knownBy.channels.length, 0,
      'a leader does not learn the WeChat account from the confidential request');
    assert.equal((await citizenHistory(p.db.pool, cast.leader, wechat.id, { limit: 10 })).counts.all, 1);
    assert.equal((await citizenHistory(p.db.pool, cast.agent, wechat.id, { limit: 10 })).counts.all, 3, 'an agent, who sees it, does');
  });
});
