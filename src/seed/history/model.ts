// The history generator's model: how many requests a city's hotline takes each day of ten years, and
// what each one is, pure and seeded (no database): the same options give the same orders.
//
// - Volume grows along a logistic curve (about 1,000 a day in the first year to 20,000+ in the last,
//   scaled to the number of orders asked for), with the week's rhythm (Mondays busiest, Sundays the
//   quietest), the official holidays (the Spring Festival and National Day weeks much quieter), more
//   in the heating season and in the summer rains, and the day's hours (peaks at 10:00 and 15:00).
// - Each order: a category (a few matters common, a long tail, heating in winter and standing water
//   in July and August), a community (streets weighted, a few much busier), a channel (online
//   channels growing over the years), a request type, a caller (one caller in three calls again,
//   picked in proportion to how often they already called: a few callers call hundreds of times),
//   and its outcome: answered on the spot or dispatched, signed, returned, extended, replied, visited,
//   satisfied or not, reopened; the steps after `end` not yet taken.
// - Incidents: bursts of reports of one matter from one community within an hour, their truth
//   listed apart (the early warning is measured against it).
import { beijingDate, beijingMidnight, DAY_MS, dayOf, HOUR_MS } from '../../shared/beijing.js';
import { compose, composeIncident, incidentCategory, INCIDENT_KINDS, type TextSlots } from './texts.js';
import { Random, Weighted, zipfWeights } from './random.js';

export interface WorldCategory {
  code: string; name: string; parentName: string; topCode: string; topName: string;
  /** the category's own reply limit in working days; null: the deadline settings' */
  timeLimitDays: number | null;
}
export interface WorldCommunity { code: string; name: string; streetCode: string; streetName: string }
export interface World {
  /** the tree's leaves, the categories orders are registered under */
  categories: readonly WorldCategory[];
  /** the city's communities (the lowest level of areas) */
  communities: readonly WorldCommunity[];
  /** official holidays: date (YYYY-MM-DD) → its Chinese name (春节, 国庆节…) */
  holidays: ReadonlyMap<string, string>;
}

export interface HistoryOptions {
  orders: number;
  years: number;
  seed: number;
  /** the moment the history ends (now): steps after it are not taken yet */
  end: Date;
  /**
   * The last moment an order is registered, when the history stops before `end`: its orders are
   * handled on up to `end` (a demo's history, before the orders it registers itself). `end` by default.
   */
  registeredUntil?: Date;
  /**
   * The height of the logistic curve the volume follows: from 1 towards `growth` times it (20.5 by
   * default: Jinan's 1,000 requests a day growing towards 20,500); 1 for an even volume.
   */
  growth?: number;
  /** incidents per year (bursts of similar reports from one community) */
  incidentsPerYear?: number;
  /**
   * Real texts to draw from instead of the templates, by the name of their top-level category
   * (a labelled file's label): an order under a category with texts takes one of them.
   */
  texts?: ReadonlyMap<string, readonly { title: string; body: string }[]>;
}

export const CHANNELS = ['phone', 'web', 'wechat', 'app', 'sms', 'weibo', 'api'] as const;
export const REQUEST_TYPES = ['complaint', 'help', 'enquiry', 'report', 'suggestion', 'praise', 'other'] as const;
export type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

/** One time the order was handed to a unit, and what became of it. Times after the end are null. */
export interface PlannedRound {
  round: number;
  cause: 'dispatch' | 'reopen';
  /** 0: the unit the routing rules name first; 1: the next (after a return upheld) */
  unitChoice: 0 | 1;
  startedAt: Date;
  signedAt: Date | null;
  returnedAt: Date | null;
  /** when the hotline decided on the return (upheld: the next round starts then; rejected: this one resumes) */
  returnDecidedAt: Date | null;
  returnOutcome: 'upheld' | 'rejected' | null;
  extensionDays: number;
  repliedAt: Date | null;
  visitedAt: Date | null;
  visit: { reached: boolean; solved: boolean | null; satisfaction: Satisfaction | null } | null;
  reopenedAt: Date | null;
  endedAt: Date | null;
  endReason: 'closed' | 'returned' | 'reopened' | null;
}

export interface PlannedOrder {
  /** 1-based, in time order: the tracking number's sequence */
  seq: number;
  id: string;
  createdAt: Date;
  channel: (typeof CHANNELS)[number];
  requestType: (typeof REQUEST_TYPES)[number];
  urgency: 'normal' | 'urgent';
  confidential: boolean;
  /** indexes into the world's categories and communities */
  category: number;
  community: number;
  /** the caller's number in the pool (0, 1, 2…: the first caller, the second…) */
  caller: number;
  title: string;
  body: string;
  /** the incident this order reports, else -1 */
  incident: number;
  answeredDirectly: boolean;
  rounds: PlannedRound[];
  state: 'registered' | 'dispatched' | 'signed' | 'returned' | 'replied' | 'visited' | 'closed';
  closedAt: Date | null;
}

export interface PlannedIncident {
  id: number;
  kind: number;
  community: number;
  category: number;
  startsAt: Date;
  /** the reports' times, in order */
  reports: Date[];
}


/** Shares of the day's requests by hour (Beijing time): quiet nights, peaks mid-morning and mid-afternoon. */
const HOURS = [0.6, 0.4, 0.3, 0.3, 0.3, 0.5, 1.2, 2.8, 5.5, 7.8, 8.2, 7.6, 5.8, 5.6, 7.0, 7.4, 7.0, 6.4, 4.6, 3.8, 3.4, 2.8, 2.0, 1.2];
/** Monday first. */
const WEEKDAYS = [1.12, 1.05, 1.0, 1.0, 0.97, 0.78, 0.72];
const HOLIDAY_FACTOR: Record<string, number> = { 春节: 0.55, 国庆节: 0.7 };
const OTHER_HOLIDAY = 0.85;
const TOP_SHARES: Record<string, number> = {
  '01': 34, '15': 12, '11': 10, '06': 8, '04': 6, '13': 6, '14': 6, '12': 5, '09': 4, '10': 3, '07': 2, '03': 2, '08': 1, '02': 0.6, '05': 0.4,
};
/** Everyday matters far above their neighbours in the tree (by name). */
const COMMON = /^(物业服务|城管执法|环境卫生|自来水供应|燃气供应|电力供应|小区管理|工资福利|劳动关系|商业贸易|市场监管|出租车管理|公共汽车|交通管理|社会治安)$/;
const HEATING = /^冬季采暖$/;
const RAINS = /^(基础设施|城市公共设施|水利水电)$/;

type Season = TextSlots['season'];

export function seasonOf(date: string): Season {
  const md = date.slice(5);
  if (md >= '11-15' || md < '03-16') return 'heating';
  if (md >= '07-01' && md <= '08-31') return 'rains';
  return 'other';
}

/** The relative volume of each day: growth, the week, holidays, seasons and a little noise. */
export function dayWeights(options: HistoryOptions, holidays: ReadonlyMap<string, string>): { date: string; start: number; weight: number }[] {
  const random = Random.stream(options.seed, 1);
  const until = registeredUntil(options);
  const lastDay = beijingMidnight(beijingDate(until)).getTime();
  const rise = (options.growth ?? GROWTH) - 1;
  const days = Math.max(1, Math.round(options.years * 365.25));
  const out: { date: string; start: number; weight: number }[] = [];
  for (let i = 0; i < days; i++) {
    const start = lastDay - (days - 1 - i) * DAY_MS;
    const date = beijingDate(new Date(start));
    const t = days === 1 ? 1 : i / (days - 1);
    const growth = 1 + rise / (1 + Math.exp(-9 * (t - 0.55)));
    const weekday = WEEKDAYS[(new Date(dayOf(date)).getUTCDay() + 6) % 7]!;
    const holiday = holidays.get(date);
    const season = seasonOf(date);
    const seasonal = season === 'heating' ? 1.08 : season === 'rains' ? 1.06 : 1;
    const noise = Math.exp(0.05 * random.normal());
    // the last day counts only the hours before the last registration
    const share = i === days - 1 ? hoursShareBefore(until.getTime() - start) : 1;
    out.push({ date, start, weight: growth * (holiday ? HOLIDAY_FACTOR[holiday] ?? OTHER_HOLIDAY : weekday) * seasonal * noise * share });
  }
  return out;
}

/** Jinan's growth over ten years: from about 1,000 requests a day towards 20,500. */
const GROWTH = 20.5;

const registeredUntil = (options: HistoryOptions): Date => options.registeredUntil ?? options.end;

/** The share of a day's requests that come in its first `ms` (by the hours' shares, even within an hour). */
function hoursShareBefore(ms: number): number {
  const total = HOURS.reduce((a, b) => a + b, 0);
  let share = 0;
  for (let h = 0; h < 24; h++) share += HOURS[h]! * Math.min(1, Math.max(0, (ms - h * HOUR_MS) / HOUR_MS));
  return share / total;
}

/** Splits `total` by weight into whole numbers that add up to it exactly (largest remainders). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) counts[byRemainder[k % byRemainder.length]![1]]! += 1;
  return counts;
}

/** The channels' shares move from the phone towards WeChat and the app as the years pass (t from 0 to 1). */
function channelWeights(t: number): number[] {
  return [0.8 - 0.18 * t, 0.08, 0.02 + 0.11 * t, 0.01 + 0.07 * t, 0.05 - 0.03 * t, 0.03, 0.01 + 0.03 * t];
}

/**
 * The whole history, in time order, as a stream: orders are yielded one by one (ten years of them do
 * not fit in memory as objects), incidents are known beforehand.
 */
export class HistoryModel {
  readonly incidents: PlannedIncident[];
  private readonly days: { date: string; start: number; count: number }[];
  private readonly categoryDraw: Record<Season, Weighted>;
  private readonly streetDraw: Weighted;
  private readonly communitiesOfStreet: number[][];
  private readonly hourDraw = new Weighted(HOURS);
  private readonly typeDraw = new Weighted([34, 30, 18, 7, 7, 2, 2]);
  private readonly categoryByCode: Map<string, number>;

  constructor(private readonly world: World, private readonly options: HistoryOptions) {
    if (!world.categories.length || !world.communities.length) throw new Error('the history needs categories and communities');
    const weights = dayWeights(options, world.holidays);
    this.categoryByCode = new Map(world.categories.map((c, i) => [c.code, i]));
    const shape = Random.stream(options.seed, 2);
    const tail = zipfWeights(world.categories.length, 0.6, shape);
    const base = world.categories.map((c, i) => (TOP_SHARES[c.topCode] ?? 0.5) * (COMMON.test(c.name) ? 12 : 1) * (c.name === '其他' ? 0.3 : 1) * tail[i]!);
    const inSeason = (pattern: RegExp, factor: number) => base.map((w, i) => (pattern.test(world.categories[i]!.name) ? w * factor : w));
    // heating is the winter's first matter, and nobody's outside it
    this.categoryDraw = {
      heating: new Weighted(inSeason(HEATING, 60)),
      rains: new Weighted(inSeason(RAINS, 4).map((w, i) => (HEATING.test(world.categories[i]!.name) ? w * 0.1 : w))),
      other: new Weighted(base.map((w, i) => (HEATING.test(world.categories[i]!.name) ? w * 0.1 : w))),
    };
    const streets = [...new Set(world.communities.map((c) => c.streetCode))];
    const streetIndex = new Map(streets.map((s, i) => [s, i]));
    this.communitiesOfStreet = streets.map(() => []);
    world.communities.forEach((c, i) => this.communitiesOfStreet[streetIndex.get(c.streetCode)!]!.push(i));
    this.streetDraw = new Weighted(zipfWeights(streets.length, 0.7, shape));
    this.days = weights.map((d) => ({ date: d.date, start: d.start, count: 0 }));
    this.incidents = this.planIncidents();
    // the incidents' reports are among the orders asked for
    const reports = this.incidents.reduce((n, x) => n + x.reports.length, 0);
    apportion(options.orders - reports, weights.map((d) => d.weight)).forEach((count, i) => { this.days[i]!.count = count; });
  }

  get dayCount(): number {
    return this.days.length;
  }

  /** Bursts of 10 to 40 reports of one matter from one community, within 20 to 60 minutes. */
  private planIncidents(): PlannedIncident[] {
    const random = Random.stream(this.options.seed, 3);
    const perYear = this.options.incidentsPerYear ?? 24;
    const count = Math.round(perYear * this.options.years);
    const first = this.days[0]!.start;
    const span = this.days.at(-1)!.start + DAY_MS - first;
    const incidents: PlannedIncident[] = [];
    // at most one order in twenty is an incident's report
    let budget = Math.floor(this.options.orders / 20);
    for (let id = 0; id < count; id++) {
      const kind = random.int(INCIDENT_KINDS);
      const startsAt = new Date(first + Math.floor(random.next() * span / 60_000) * 60_000);
      if (startsAt.getTime() + HOUR_MS > registeredUntil(this.options).getTime()) continue;
      const size = 10 + random.int(31);
      if (size > budget) break;
      budget -= size;
      const minutes = 20 + random.int(41);
      const reports = Array.from({ length: size }, () => startsAt.getTime() + Math.floor(random.next() * minutes * 60_000))
        .sort((a, b) => a - b).map((t) => new Date(t));
      incidents.push({ id, kind, community: this.pickCommunity(random), startsAt, reports,
        category: this.categoryByCode.get(incidentCategory(kind)) ?? random.int(this.world.categories.length) });
    }
    return incidents.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).map((x, id) => ({ ...x, id }));
  }

  private pickCommunity(random: Random): number {
    return random.pick(this.communitiesOfStreet[this.streetDraw.draw(random)]!);
  }

  /** The orders, one day at a time, in time order, numbered from 1. */
  *orders(): Generator<PlannedOrder> {
    const random = Random.stream(this.options.seed, 4);
    // one entry per contact made: a returning caller is drawn from it, so in proportion to their contacts
    const contacts = new Int32Array(this.options.orders); // the incidents' reports are among the orders
    let contactCount = 0;
    let callers = 0;
    let seq = 0;
    let nextIncident = 0;
    const pending: { at: number; incident: PlannedIncident }[] = [];
    for (let d = 0; d < this.days.length; d++) {
      const day = this.days[d]!;
      const t = this.days.length === 1 ? 1 : d / (this.days.length - 1);
      const channelDraw = new Weighted(channelWeights(t));
      const season = seasonOf(day.date);
      const times: { at: number; incident: PlannedIncident | null }[] = [];
      for (let i = 0; i < day.count; i++) times.push({ at: this.timeOfDay(random, day.start), incident: null });
      while (nextIncident < this.incidents.length && this.incidents[nextIncident]!.startsAt.getTime() < day.start + DAY_MS) {
        const incident = this.incidents[nextIncident++]!;
        for (const at of incident.reports) pending.push({ at: at.getTime(), incident });
      }
      for (let k = pending.length - 1; k >= 0; k--) {
        if (pending[k]!.at < day.start + DAY_MS) times.push(pending.splice(k, 1)[0]!);
      }
      times.sort((a, b) => a.at - b.at);
      for (const { at, incident } of times) {
        const caller = contactCount > 0 && random.chance(0.34) ? contacts[random.int(contactCount)]! : callers++;
        contacts[contactCount++] = caller;
        yield this.order(random, ++seq, new Date(at), caller, channelDraw, season, incident);
      }
    }
  }

  /** A moment of the day by the hours' shares, never after the last registration (the last day is cut short). */
  private timeOfDay(random: Random, dayStart: number): number {
    const end = registeredUntil(this.options).getTime();
    for (let tries = 0; tries < 20; tries++) {
      const at = dayStart + this.hourDraw.draw(random) * HOUR_MS + random.int(HOUR_MS);
      if (at <= end) return at;
    }
    return dayStart + random.int(Math.max(1, end - dayStart));
  }

  private order(random: Random, seq: number, createdAt: Date, caller: number, channelDraw: Weighted, season: Season,
    incident: PlannedIncident | null): PlannedOrder {
    const category = incident ? incident.category : this.categoryDraw[season].draw(random);
    const community = incident ? incident.community : this.pickCommunity(random);
    const c = this.world.categories[category]!;
    const place = this.world.communities[community]!;
    const requestType = incident ? 'help' : REQUEST_TYPES[this.typeDraw.draw(random)]!;
    const slots: TextSlots = { community: place.name.replace(/(居民|村民)委员会$/, ''), street: place.streetName, matter: c.name === '其他' ? c.parentName : c.name,
      season: HEATING.test(c.name) && season === 'heating' ? 'heating' : RAINS.test(c.name) && season === 'rains' ? 'rains' : 'other', requestType };
    const drawn = incident ? undefined : this.options.texts?.get(c.topName);
    const text = incident ? composeIncident(random, incident.kind, slots) : drawn?.length ? random.pick(drawn) : compose(random, c.topCode, slots);
    const channel = incident ? (random.chance(0.85) ? 'phone' : 'wechat') : CHANNELS[channelDraw.draw(random)]!;
    const urgency = incident || random.chance(0.02) ? 'urgent' : 'normal';
    const confidential = requestType === 'report' ? random.chance(0.5) : random.chance(0.01);
    const direct = !incident && random.chance(requestType === 'enquiry' ? 0.65 : requestType === 'praise' ? 0.9 : 0.12);
    const base = {
      seq, id: random.uuid(), createdAt, channel, requestType, urgency, confidential, category, community, caller,
      title: text.title, body: text.body, incident: incident?.id ?? -1,
    } as const;
    if (direct) {
      const closedAt = after(createdAt, random.logNormal(6, 0.5) * 60_000);
      return { ...base, answeredDirectly: true, rounds: [], ...this.cut(closedAt, 'closed', 'registered') };
    }
    return { ...base, answeredDirectly: false, ...this.handle(random, createdAt, c.timeLimitDays, urgency) };
  }

  /** A step taken by the end, or not yet. */
  private cut(at: Date, reached: PlannedOrder['state'], before: PlannedOrder['state']): Pick<PlannedOrder, 'state' | 'closedAt'> {
    const done = at.getTime() <= this.options.end.getTime();
    return { state: done ? reached : before, closedAt: done && reached === 'closed' ? at : null };
  }

  /** Dispatch, then round by round: sign, maybe return, maybe extension, reply, visit, maybe reopening. */
  private handle(random: Random, createdAt: Date, limitDays: number | null, urgency: 'normal' | 'urgent'):
    Pick<PlannedOrder, 'rounds' | 'state' | 'closedAt'> {
    const end = this.options.end.getTime();
    const taken = (at: Date) => at.getTime() <= end;
    const rounds: PlannedRound[] = [];
    let start = after(createdAt, random.logNormal(20, 0.8) * 60_000);
    if (!taken(start)) return { rounds, state: 'registered', closedAt: null };
    const replyHours = urgency === 'urgent' ? 12 : Math.max(1, limitDays ?? 5) * 24 * 0.45;
    for (let round = 1; ; round++) {
      const cause = round === 1 || rounds.at(-1)!.endReason === 'returned' ? 'dispatch' : 'reopen';
      const r: PlannedRound = { round, cause, unitChoice: rounds.some((x) => x.returnOutcome === 'upheld') ? 1 : 0, startedAt: start,
        signedAt: null, returnedAt: null, returnDecidedAt: null, returnOutcome: null, extensionDays: 0, repliedAt: null, visitedAt: null, visit: null,
        reopenedAt: null, endedAt: null, endReason: null };
      rounds.push(r);
      const signedAt = after(start, random.logNormal(urgency === 'urgent' ? 0.5 : 2.5, 1) * HOUR_MS);
      if (!taken(signedAt)) return { rounds, state: 'dispatched', closedAt: null };
      r.signedAt = signedAt;
      let handling = signedAt; // the unit handles from signing, or from the hotline's refusal of its return
      if (round === 1 && random.chance(0.04)) {
        const returnedAt = after(signedAt, random.logNormal(4, 0.8) * HOUR_MS);
        if (!taken(returnedAt)) return { rounds, state: 'signed', closedAt: null };
        // the round ends as the unit returns the order; the hotline upholds (and dispatches again) or rejects (the round resumes)
        Object.assign(r, { returnedAt, endedAt: returnedAt, endReason: 'returned' });
        const decidedAt = after(returnedAt, random.logNormal(2, 0.7) * HOUR_MS);
        if (!taken(decidedAt)) return { rounds, state: 'returned', closedAt: null };
        r.returnDecidedAt = decidedAt;
        if (random.chance(0.55)) {
          r.returnOutcome = 'upheld';
          start = decidedAt;
          continue;
        }
        Object.assign(r, { returnOutcome: 'rejected', endedAt: null, endReason: null });
        handling = decidedAt;
      }
      if (random.chance(0.06)) r.extensionDays = Math.min(10, Math.max(1, limitDays ?? 5));
      const repliedAt = after(handling, random.logNormal(replyHours, 0.7) * HOUR_MS + r.extensionDays * 0.5 * DAY_MS);
      if (!taken(repliedAt)) return { rounds, state: 'signed', closedAt: null };
      r.repliedAt = repliedAt;
      const visitedAt = after(repliedAt, random.logNormal(20, 0.8) * HOUR_MS);
      if (!taken(visitedAt)) return { rounds, state: 'replied', closedAt: null };
      r.visitedAt = visitedAt;
      const reached = random.chance(0.88);
      const solved = reached ? random.chance(round === 1 ? 0.85 : 0.7) : null;
      const satisfaction: Satisfaction | null = !reached ? null : pickSatisfaction(random, solved!);
      r.visit = { reached, solved, satisfaction };
      const unhappy = reached && (!solved || satisfaction === 'unsatisfied');
      const decidedAt = after(visitedAt, random.logNormal(3, 0.8) * HOUR_MS);
      if (unhappy && round < 3 && random.chance(0.5)) {
        if (!taken(decidedAt)) return { rounds, state: 'visited', closedAt: null };
        Object.assign(r, { reopenedAt: decidedAt, endedAt: decidedAt, endReason: 'reopened' });
        start = decidedAt;
        continue;
      }
      // a happy citizen's visit closes the order; an unhappy one waits for the supervisor's decision,
      // an unreachable one for the last call (the order stays replied meanwhile)
      const closedAt = reached && !unhappy ? visitedAt : decidedAt;
      if (!taken(closedAt)) return { rounds, state: reached ? 'visited' : 'replied', closedAt: null };
      Object.assign(r, { endedAt: closedAt, endReason: 'closed' });
      return { rounds, state: 'closed', closedAt };
    }
  }
}

function pickSatisfaction(random: Random, solved: boolean): Satisfaction {
  const x = random.next();
  if (solved) return x < 0.86 ? 'satisfied' : x < 0.97 ? 'basically_satisfied' : 'unsatisfied';
  return x < 0.1 ? 'satisfied' : x < 0.4 ? 'basically_satisfied' : 'unsatisfied';
}

function after(at: Date, ms: number): Date {
  return new Date(at.getTime() + Math.round(ms));
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';

/** How a caller is named in their orders (王先生, 李女士): the same name every time they call. */
export function callerName(caller: number): string {
  return `${SURNAMES[caller % SURNAMES.length]}${caller % 3 ? '先生' : '女士'}`;
}

/** A caller's mobile number from their number in the pool: distinct for distinct callers, and plausible. */
export function callerPhone(caller: number): string {
  const prefixes = ['135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '182', '183', '187', '188', '130', '131', '132', '155', '156', '185', '186', '133', '153', '180', '189', '177', '199'];
  // an odd multiplier is a bijection modulo 10^8: neighbours in the pool do not get neighbouring numbers
  const scrambled = (caller * 48_271 + 12_345) % 100_000_000;
  return `${prefixes[caller % prefixes.length]}${String(scrambled).padStart(8, '0')}`;
}
