// Demo data for a first start: staff for every role (random passwords, printed once) and a few
// hundred orders in every state, driven through the real lifecycle so that their histories are real.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createStaffAccount, createStaffAccountsSharingPassword, systemActor, type Actor, type Role } from '../modules/auth/index.js';
import type { Unit } from '../modules/directory/index.js';
import { applyTransition, orderTexts, registerOrder, suggestUnits, type OrderAction, type Channel } from '../modules/orders/index.js';
import { indexOrderKeys } from '../modules/classify/index.js';
import { searchArticles } from '../modules/knowledge/index.js';
import { createSheet } from '../modules/quality/index.js';
import { getTree, type RequestType } from '../modules/taxonomy/index.js';
import { HOTLINE_CODE, LEADERS_CODE } from './network.js';
import { callerName, callerPhone } from './history/model.js';
import { loadWorld } from './history/world.js';
import { loadHistory } from './history/load.js';

export interface DemoLogin {
  username: string;
  password: string;
  roles: Role[];
  unit: string;
}

// Citizen requests written for the demo (not from any data set): [category name, type, title, text].
const REQUESTS: [string, RequestType, string, string][] = [
  ['自来水供应', 'help', '小区停水两天无人处理', '我家住在{place}，从前天早上开始停水，一直没有通知，家里有老人孩子，请尽快恢复供水。'],
  ['燃气供应', 'help', '楼道有燃气味', '{place}单元楼道里燃气味很重，已经持续半天了，担心有泄漏，请燃气公司尽快来检查。'],
  ['电力供应', 'complaint', '频繁停电影响生活', '{place}这一周停电四次，每次两三个小时，冰箱里的东西都坏了，希望供电公司查明原因。'],
  ['冬季采暖', 'complaint', '暖气不热室温只有十四度', '{place}供暖已经开始一周，家里暖气片温度很低，室温只有十四度，请热力公司上门检查。'],
  ['公共汽车', 'suggestion', '建议增加公交线路班次', '{place}附近的公交车早高峰间隔太长，经常等二十多分钟，建议增加班次。'],
  ['城管执法', 'report', '占道经营影响通行', '{place}路口每天晚上有摊贩占道经营，油烟很大，行人只能走机动车道，请城管处理。'],
  ['环境卫生', 'complaint', '垃圾桶满了没人清运', '{place}小区门口的垃圾桶已经三天没有清运，气味很大，请环卫部门尽快处理。'],
  ['城市公共设施', 'help', '路灯不亮', '{place}一段的路灯已经坏了半个月，晚上一片漆黑，老人孩子出行不安全。'],
  ['小区管理', 'complaint', '物业不作为', '{place}小区电梯经常故障，物业收了费却不维修，请相关部门督促物业整改。'],
  ['工资福利', 'help', '公司拖欠工资三个月', '我在{place}的一家公司上班，公司已经拖欠工资三个月，多次讨要无果，请求帮助。'],
  ['城镇职工社会保险', 'enquiry', '社保转移怎么办理', '我从外地调到济南工作，想咨询社保关系转移需要哪些材料，在{place}附近哪里办理。'],
  ['教育收费', 'complaint', '学校违规收取资料费', '{place}附近的一所小学要求家长统一购买课外资料，每人两百元，这合理吗？'],
  ['医政监管', 'complaint', '医院挂号难', '{place}附近的医院专家号总是挂不上，号贩子却能加价拿到号，请卫生部门整治。'],
  ['环境污染', 'report', '夜间施工噪音扰民', '{place}的工地每天晚上十一点以后还在施工，噪音很大，严重影响休息。'],
  ['市场监管', 'complaint', '超市销售过期食品', '我在{place}一家超市买到的牛奶已经过期两天，要求退货被拒绝，请市场监管部门处理。'],
  ['交通管理', 'suggestion', '路口信号灯时间太短', '{place}路口行人绿灯只有十五秒，老人过马路很危险，建议延长。'],
  ['园林绿化', 'praise', '表扬公园管理人员', '{place}公园的工作人员很负责，环境干净整洁，特此表扬。'],
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟'];
const CHANNELS: Channel[] = ['phone', 'phone', 'phone', 'phone', 'sms', 'web', 'wechat', 'app', 'weibo'];
// Where each demo order stops in its life: the actions taken from registration.
const PATHS: OrderAction[][] = [
  [],
  ['answer_directly'],
  ['dispatch'],
  ['dispatch', 'sign'],
  ['dispatch', 'return'],
  ['dispatch', 'sign', 'reply'],
  ['dispatch', 'sign', 'reply', 'return_visit'],
  ['dispatch', 'sign', 'reply', 'return_visit', 'close'],
  ['dispatch', 'sign', 'reply', 'return_visit', 'close', 'archive'],
  ['dispatch', 'sign', 'request_extension'],
  ['dispatch', 'urge', 'escalate'],
  ['dispatch', 'sign', 'reply', 'return_visit', 'reopen'],
  ['cancel'],
  ['merge'], // a duplicate of the latest order left registered
];

/** A small deterministic random generator, so that the demo is the same on every machine. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** The demo's accounts: named people at the hotline and two units, and one account per handling unit. */
export interface DemoAccounts {
  people: DemoLogin[];
  /** every city department, utility, district government and street office has an account named by its code */
  unitAccounts: { password: string; count: number; examples: DemoLogin[] };
}

/** The demo account of a handling unit: its code in lower case (UTIL-WATER → util-water). */
export const unitAccountName = (unitCode: string) => unitCode.toLowerCase();

const demoPassword = () => randomBytes(9).toString('base64url');

export async function seedDemoStaff(pool: pg.Pool, cityCode: string): Promise<DemoAccounts> {
  const admin = systemActor(cityCode);
  const unit = async (code: string) => (await pool.query('SELECT id, name FROM units WHERE city_code = $1 AND code = $2', [cityCode, code])).rows[0];
  const hotline = await unit(HOTLINE_CODE);
  const leaders = await unit(LEADERS_CODE);
  const people: [string, string, { id: string; name: string }, Role[]][] = [
    ['admin', '系统管理员', hotline, ['admin']],
    ['agent1', '受理员一', hotline, ['agent']],
    ['lead1', '班长一', hotline, ['lead']],
    ['dispatcher1', '派单员一', hotline, ['dispatcher']],
    ['visitor1', '回访员一', hotline, ['visitor']],
    ['supervisor1', '督办员一', hotline, ['supervisor']],
    ['leader1', '市领导一', leaders, ['leader']],
  ];
  const logins: DemoLogin[] = [];
  for (const [username, displayName, u, roles] of people) {
    const password = demoPassword();
    await createStaffAccount(pool, admin, { username, displayName, unitId: u.id, roles, password });
    logins.push({ username, password, roles, unit: u.name });
  }
  // Every unit default routing sends orders to (city departments and utilities, districts, streets):
  // an order can be walked from registration to closure with these logins.
  const units = (await pool.query(
    `SELECT id, code, name FROM units WHERE city_code = $1 AND level IN ('department', 'district', 'street') ORDER BY level, code`,
    [cityCode])).rows as { id: string; code: string; name: string }[];
  const password = demoPassword();
  const roles: Role[] = ['unit_manager'];
  await createStaffAccountsSharingPassword(pool, admin, units.map((u) => ({
    username: unitAccountName(u.code), displayName: `${u.name}经办人`, unitId: u.id, roles })), password);
  const examples = ['UTIL-WATER', 'DEPT-URBAN', 'D370102', units.find((u) => u.code.startsWith('S370102'))?.code]
    .map((code) => units.find((u) => u.code === code))
    .filter((u) => u !== undefined)
    .map((u) => ({ username: unitAccountName(u.code), password, roles, unit: u.name }));
  return { people: logins, unitAccounts: { password, count: units.length, examples } };
}

/** The lines that tell a newcomer the demo logins (shown once, on the first start). */
export function describeDemoAccounts(demo: DemoAccounts): string[] {
  const line = (l: DemoLogin) => `  ${l.username.padEnd(12)} ${l.password.padEnd(14)} ${l.roles.join(',').padEnd(14)} ${l.unit}`;
  const { count, password } = demo.unitAccounts;
  return [
    '演示账号（只显示这一次；重置密码：npm run cli -- reset-password <用户名>）',
    'Demo logins (shown once; reset with `npm run cli -- reset-password <username>`):',
    ...demo.people.map(line),
    `每个市直部门、公共事业单位、区县政府和街道办事处（${count} 个单位）都有账号：用户名是单位编码的小写，密码都是 ${password}。`,
    `Every city department, utility, district and street office (${count} units) has an account named by its unit code`,
    `in lower case, all with the password ${password}; for example:`,
    ...demo.unitAccounts.examples.map(line),
  ];
}

/** The demo's own orders are of its last 30 days; its history ends where they start. */
const DEMO_DAYS = 30;

/**
 * The twenty-five months before the demo's own orders, generated as the history generator writes them
 * (about as many a day as the demo registers, already handled): so that the year-on-year figures,
 * the same day last year on the leadership screen and a year's trends (the last 12 months against
 * the 12 before) have something to compare.
 * `now` is the demo's: its orders start DEMO_DAYS before it, where the history stops. Written after
 * the demo's orders, the history's tracking numbers come after theirs (their dates tell them apart).
 * - The dashboards' rollups are recounted from every order (the demo's own too, whose events the
 *   rollups' consumer then skips).
 * - The early warning's history is counted from the orders before the demo's: the detector counts
 *   the demo's as it reads their events.
 * - The similar orders find the history's too: its orders' keywords are indexed.
 */
export async function seedDemoHistory(pool: pg.Pool, cityCode: string, now: Date): Promise<number> {
  const until = new Date(now.getTime() - DEMO_DAYS * 86_400_000);
  const written = await loadHistory(pool, cityCode, await loadWorld(pool, cityCode),
    { orders: 7_200, years: 760 / 365.25, seed: 12345, end: now, registeredUntil: until, growth: 1.1, incidentsPerYear: 3 });
  await indexOrderKeys(pool, cityCode, orderTexts, { now });
  return written.orders;
}

/** Registers `count` demo orders and walks each along one of the lifecycle paths above. */
export async function seedDemoOrders(pool: pg.Pool, cityCode: string, now: Date, count = 260,
  progress: (done: number, of: number) => void = () => undefined): Promise<number> {
  const rnd = random(12345);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const staffActor = async (username: string): Promise<Actor> => {
    const r = (await pool.query(
      `SELECT s.id, s.roles, s.unit_id, u.path FROM staff s JOIN units u ON u.id = s.unit_id WHERE s.city_code = $1 AND s.username = $2`,
      [cityCode, username])).rows[0];
    return { kind: 'staff', id: r.id, name: username, cityCode, roles: r.roles, unitId: r.unit_id, unitPath: r.path, scopes: [] };
  };
  const agent = await staffActor('agent1');
  const lead = await staffActor('lead1');
  const visitor = await staffActor('visitor1');
  const supervisor = await staffActor('supervisor1');
  const categories = new Map((await getTree(pool, cityCode)).map((c) => [c.name, c]));
  const streets = (await pool.query(`SELECT code, name FROM areas WHERE city_code = $1 AND level = 'street'`, [cityCode])).rows;
  const unitActors = new Map<string, Actor>();
  const unitActor = async (unit: Unit): Promise<Actor> => {
    if (!unitActors.has(unit.id)) unitActors.set(unit.id, await staffActor(unitAccountName(unit.code)));
    return unitActors.get(unit.id)!;
  };

  const start = now.getTime() - DEMO_DAYS * 86_400_000;
  let lastRegistered: string | undefined;
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % 50 === 0) progress(i, count);
    const [categoryName, requestType, title, text] = pick(REQUESTS);
    const street = pick(streets);
    const category = categories.get(categoryName);
    const at = new Date(start + (i / count) * DEMO_DAYS * 86_400_000);
    const { order } = await registerOrder(pool, agent, {
      channel: pick(CHANNELS), channelRef: `demo-${i}`, requestType, categoryCode: category?.code, title,
      body: text.replace('{place}', street.name),
      citizen: { ...demoCaller(rnd, () => pick([...SURNAMES]) + pick(GIVEN)), address: `济南市${street.name}${1 + Math.floor(rnd() * 99)}号` },
      confidential: requestType === 'report' && rnd() < 0.3,
      location: { address: street.name, areaCode: street.code }, urgency: categoryName === '燃气供应' ? 'urgent' : 'normal',
    }, at);
    const unit = (await suggestUnits(pool, agent, order.id))[0]!.unit;
    const path = PATHS[i % PATHS.length]!;
    if (path.length === 0) lastRegistered = order.id;
    let when = at.getTime();
    for (const action of path) {
      when += 3_600_000 * (1 + rnd() * 20);
      const actor = ['sign', 'return', 'reply', 'request_extension'].includes(action) ? await unitActor(unit)
        : ['return_visit', 'close', 'reopen'].includes(action) ? visitor
        : ['urge', 'escalate'].includes(action) ? supervisor
        : ['cancel', 'archive'].includes(action) ? lead : agent;
      // answered on the spot from the knowledge base's best article for the request, when one fits
      const article = action === 'answer_directly' ? await bestArticle(pool, cityCode, `${title} ${text}`) : null;
      await applyTransition(pool, actor, order.id, action, {
        unitId: action === 'dispatch' ? unit.id : undefined,
        articleId: article?.id,
        reason: { return: '不属于本单位职责', reopen: '市民反映问题未解决', escalate: '超期未办结', cancel: '无效来电', request_extension: '需协调多部门' }[action as string],
        text: article?.answer ?? { answer_directly: '已向市民解释说明', reply: '已派人现场处理，问题已解决', urge: '请尽快办理' }[action as string],
        days: action === 'request_extension' ? 5 : undefined,
        targetOrderId: action === 'merge' ? lastRegistered : undefined,
        solved: action === 'return_visit' ? !path.includes('reopen') : undefined,
        satisfaction: action === 'return_visit' ? (path.includes('reopen') ? 'unsatisfied' : pick(['satisfied', 'satisfied', 'basically_satisfied'] as const)) : undefined,
      }, new Date(Math.min(when, Date.now())));
    }
  }
  return count + await seedDemoIncident(pool, cityCode, agent, categories.get('燃气供应'));
}

/**
 * A caller: three in ten call again, one of the history's callers (its early ones most, who call
 * most often) by the number and name the history gives them, so that the intake form shows their
 * earlier orders and the caller analysis has returning callers in the demo's own days.
 */
function demoCaller(rnd: () => number, newName: () => string): { name: string; phone: string } {
  if (rnd() < 0.3) {
    const caller = Math.floor(rnd() * rnd() * 300);
    return { name: callerName(caller), phone: callerPhone(caller) };
  }
  return { name: newName(), phone: `13${Math.floor(rnd() * 1e9).toString().padStart(9, '0')}` };
}

/** The knowledge base's first article for a request, if it is still valid. */
async function bestArticle(pool: pg.Pool, cityCode: string, text: string): Promise<{ id: string; answer: string } | null> {
  const hit = (await searchArticles(pool, cityCode, { q: text, limit: 1, offset: 0 })).items[0];
  return hit && !hit.expired ? hit : null;
}

/**
 * An incident of the last hour, left for the hotline to handle: seven neighbours in one community
 * report a gas smell within half an hour. The early warning raises it when the server's consumers
 * first run, so that the warnings' workspace has one to show.
 */
async function seedDemoIncident(pool: pg.Pool, cityCode: string, agent: Actor, gas: { code: string } | undefined): Promise<number> {
  const community = (await pool.query(`SELECT code, name FROM areas WHERE city_code = $1 AND level = 'community' ORDER BY code LIMIT 1`, [cityCode])).rows[0];
  if (!community || !gas) return 0;
  const reports = 7;
  for (let i = 0; i < reports; i++) {
    await registerOrder(pool, agent, {
      channel: 'phone', channelRef: `demo-incident-${i}`, requestType: 'help', categoryCode: gas.code, urgency: 'urgent',
      title: '楼道燃气味很重', body: `${community.name}楼道里燃气味很重，担心泄漏，请马上派人来查看`,
      citizen: { name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[i % GIVEN.length]}`, phone: `1390000${String(1000 + i)}`, address: `济南市${community.name}${i + 1}号楼` },
      location: { address: community.name, areaCode: community.code },
    }, new Date(Date.now() - (55 - i * 4) * 60_000));
  }
  return reports;
}

/**
 * A scoring sheet for quality review (质检), written for the demo after the items hotlines score an
 * agent's intake on; a hotline changes it in 话务 › 质检.
 */
export async function seedDemoQualitySheet(pool: pg.Pool, cityCode: string): Promise<void> {
  await createSheet(pool, systemActor(cityCode), {
    name: '受理质检评分表',
    items: [
      { label: '诉求记录完整', max: 20, guide: '时间、地点、诉求、联系方式齐全，概括准确，无错别字' },
      { label: '分类准确', max: 20, guide: '诉求类型与分类选到末级，与诉求一致' },
      { label: '派单准确', max: 20, guide: '派给有职责的单位；可直接答复的未派单' },
      { label: '答复准确', max: 20, guide: '直接答复依据知识库与政策，内容准确' },
      { label: '服务规范', max: 20, guide: '使用规范用语，耐心礼貌，未推诿' },
    ],
  });
}
