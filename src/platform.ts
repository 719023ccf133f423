// Opening the platform: database, migrations, first-start seeding, and the work that runs beside
// the requests (timers, durable consumers, the live feed). Shared by the server, the CLI, the tests
// and the benchmarks, so that all of them run the same start-up path. This file is where the
// modules are wired together: which handler fires each kind of timer, which consumers read the log.
import { fileStoreFrom, type FileStore } from './modules/attachments/index.js';
import { ensureReportSchedule, hotTopicsConsumer, REPORT_TIMER, reportTimer, rollupsConsumer, warningsConsumer } from './modules/analytics/index.js';
import { callOrdersConsumer, ensureLostCallsSweep, lostCallsTimer, LOST_CALLS_TIMER } from './modules/calls/index.js';
import { ensureExpiryCheck, expiryTimer, knowledgeUsageConsumer, KNOWLEDGE_EXPIRY_TIMER } from './modules/knowledge/index.js';
import { qualityWorkConsumer } from './modules/quality/index.js';
import { AliyunSms, outboxConsumer, SMS_CHANNEL, startSender, WechatApi, WeiboApi, type Messenger } from './modules/channels/index.js';
import { startInvitationSender } from './modules/surveys/index.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/engine.js';
import { migrate } from './db/migrate.js';
import { seedBase } from './seed/network.js';
import { seedDemoHistory, seedDemoOrders, seedDemoQualitySheet, seedDemoStaff, type DemoAccounts } from './seed/demo.js';
import { seedKnowledgeArticles } from './seed/knowledge.js';
import { seedDemoCalls } from './seed/calls.js';
import { withTransaction } from './db/tx.js';
import { systemActor } from './modules/auth/index.js';
import { loadPackageCalendar } from './modules/calendar/index.js';
import { CENSUS_TIMER, ensureScheduled, RETRAIN_TIMER, retrainHandler, runCensus, startTraining } from './modules/classify/index.js';
import { drainCommitted, ensureConsumers, LiveFeed, startConsumers, type Consumer } from './modules/events/index.js';
import { startWebhookSender } from './modules/webhooks/index.js';
import { CLOSE_WITHOUT_CALL_TIMER } from './modules/feedback/index.js';
import { closeWithoutCall, deadlineTimer, trainingOrders } from './modules/orders/index.js';
import { DUE_TIMER, noticesConsumer, WARN_TIMER } from './modules/sla/index.js';
import { NO_SUBJECT, pendingTimers, scheduleTimers, startTimerLoop, sweepAllDue, type NewTimer, type TimerHandler, type TimerHandlers } from './modules/timers/index.js';
import { analyzeNext, ANALYZE_EVERY_MS, vacuumAll } from './db/maintenance.js';
import { nextAt } from './modules/classify/index.js';
import { forgetEveryMemo } from './shared/memo.js';

/** PGlite's housekeeping (src/db/maintenance.ts): a table analyzed every 5 minutes in turn, all vacuumed nightly. */
const ANALYZE_TIMER = 'db.analyze';
const VACUUM_TIMER = 'db.vacuum';
/** The next analysis, of the table after `analyzed` in turn. */
const nextAnalyze = (cityCode: string, now: Date, analyzed: string | null = null): NewTimer =>
  ({ cityCode, kind: ANALYZE_TIMER, subjectId: NO_SUBJECT, detail: analyzed, dueAt: new Date(now.getTime() + ANALYZE_EVERY_MS) });
/** The vacuum at 03:30, `days` from now. */
const nextVacuum = (cityCode: string, now: Date, days: number): NewTimer =>
  ({ cityCode, kind: VACUUM_TIMER, subjectId: NO_SUBJECT, dueAt: nextAt(now, days, 3, 30) });

const analyzeTimer: TimerHandler = async (tx, timer, now) => {
  await scheduleTimers(tx, [nextAnalyze(timer.cityCode, now, await analyzeNext(tx, timer.detail))]);
};

const vacuumTimer: TimerHandler = async (tx, timer, now) => {
  await scheduleTimers(tx, [nextVacuum(timer.cityCode, now, 1)]);
  return (pool) => {
    vacuumAll(pool).catch((error: unknown) => console.error('nightly VACUUM failed:', error));
  };
};

/** Schedules PGlite's housekeeping if it is not (at start; PGlite's database belongs to one process). */
export async function ensureMaintenance(db: Database, cityCode: string, now = new Date()): Promise<void> {
  if (db.engine !== 'pglite') return; // a PostgreSQL server's autovacuum does it
  const pending = new Set((await pendingTimers(db.pool, cityCode, [ANALYZE_TIMER, VACUUM_TIMER])).map((t) => t.kind));
  await scheduleTimers(db.pool, [...(pending.has(ANALYZE_TIMER) ? [] : [nextAnalyze(cityCode, now)]),
    ...(pending.has(VACUUM_TIMER) ? [] : [nextVacuum(cityCode, now, 0)])]);
}

/** The handler of each kind of timer. */
export const TIMER_HANDLERS: TimerHandlers = {
  [WARN_TIMER]: deadlineTimer,
  [DUE_TIMER]: deadlineTimer,
  [CLOSE_WITHOUT_CALL_TIMER]: closeWithoutCall,
  [CENSUS_TIMER]: runCensus,
  [RETRAIN_TIMER]: retrainHandler(trainingOrders),
  [ANALYZE_TIMER]: analyzeTimer,
  [VACUUM_TIMER]: vacuumTimer,
  [REPORT_TIMER]: reportTimer,
  [LOST_CALLS_TIMER]: lostCallsTimer,
  [KNOWLEDGE_EXPIRY_TIMER]: expiryTimer,
};

/** The durable consumers of the event log. */
export const CONSUMERS: readonly Consumer[] = [noticesConsumer, outboxConsumer, rollupsConsumer, warningsConsumer, hotTopicsConsumer, callOrdersConsumer, qualityWorkConsumer,
  knowledgeUsageConsumer];

/** How often a process reads the log when no NOTIFY woke it (a lost wake-up costs at most this). */
const POLL_MS = 1000;
/** How long consumers wait after a wake-up: on PGlite (one transaction at a time), the live stream and the requests go first. */
export const consumerSettleMs = (db: Database): number => (db.engine === 'pglite' ? 50 : 0);

export interface Platform {
  db: Database;
  config: Config;
  /** where attachments' bytes are kept (ATTACHMENTS_STORE) */
  files: FileStore;
  /** demo accounts created by this start (first start only) */
  demo: DemoAccounts | null;
}

/** Tells what opening the platform is doing (a first start seeds for up to a minute). */
export type Progress = (message: string) => void;

/** Runs one step of opening, telling when it starts and how long it took. */
async function step<T>(progress: Progress, zh: string, en: string, work: () => Promise<T>): Promise<T> {
  progress(`  · ${zh} ${en} …`);
  const started = Date.now();
  const result = await work();
  progress(`  · ${zh} ${en}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** `restoreFrom`: a PGlite tarball to start from (the tests' seeded template, src/testing/template.ts). */
export async function openPlatform(config: Config, options: { seed?: boolean; poolSize?: number; progress?: Progress; restoreFrom?: string } = {}): Promise<Platform> {
  const progress = options.progress ?? (() => undefined);
  forgetEveryMemo(); // what a database opened before in this process held is not this one's
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: options.poolSize, restoreFrom: options.restoreFrom });
  try {
    await migrate(db.pool);
    // years the calendar package has and the database lacks (a new package version brings a new year)
    await withTransaction(db.pool, (client) => loadPackageCalendar(client, systemActor(config.cityCode)));
    await ensureConsumers(db.pool, CONSUMERS);
    let demo: DemoAccounts | null = null;
    if (options.seed ?? true) {
      const started = Date.now();
      const fresh = await seedBase(db.pool, config.cityCode, () => progress('  · 首次启动：行政区划、承办单位与分类树 (first start: areas, handling network, category tree) …'));
      if (fresh) progress(`  · 首次启动：行政区划、承办单位与分类树 (first start: areas, handling network, category tree): ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (fresh && config.seedDemo) {
        demo = await step(progress, '演示账号', '(demo staff)', () => seedDemoStaff(db.pool, config.cityCode));
        await step(progress, '知识库', '(knowledge base articles)', () => seedKnowledgeArticles(db.pool, config.cityCode));
        // one moment for the demo: its orders are of the 30 days before it, its history of the 25 months before them
        const demoNow = new Date();
        await step(progress, '演示工单', '(demo orders, walked through the lifecycle)', () => seedDemoOrders(db.pool, config.cityCode, demoNow, undefined,
          (done, of) => progress(`    ${done} / ${of}`)));
        await seedDemoQualitySheet(db.pool, config.cityCode);
        await step(progress, '演示话务', '(demo calls of the last 7 days)', () => seedDemoCalls(db.pool, config.cityCode));
        // a first model from the demo's closed orders, so that suggestions show from the start; it and
        // every retraining leave the generated history's template words out (trainingOrders)
        await step(progress, '首个分类模型', '(first classifier model)', async () =>
          (await startTraining(db.pool, systemActor(config.cityCode), 'seed', { source: { kind: 'history', orders: trainingOrders } })).done);
        await step(progress, '演示历史', '(25 months of generated history before the demo orders)', () => seedDemoHistory(db.pool, config.cityCode, demoNow));
      }
    }
    return { db, config, demo, files: fileStoreFrom(config) };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** What runs beside the requests in a server process; `stop` ends it. */
export interface Background {
  /** this process's live feed of the log (the SSE connections subscribe to it) */
  feed: LiveFeed;
  stop(): Promise<void>;
}

/** The messengers the configuration sets up: Alibaba Cloud SMS, WeChat's and Weibo's message APIs. */
export function messengersOf(config: Config): Messenger[] {
  const { aliyunSms, wechatApi, weiboApi, publicUrl } = config;
  return [
    ...(aliyunSms ? [new AliyunSms(aliyunSms)] : []),
    ...(wechatApi ? [new WechatApi({ baseUrl: wechatApi.url, appId: config.wechat.appId, appSecret: wechatApi.appSecret,
      replyTemplateId: wechatApi.replyTemplateId, publicUrl })] : []),
    ...(weiboApi ? [new WeiboApi({ baseUrl: weiboApi.url, accessToken: weiboApi.accessToken, publicUrl })] : []),
  ];
}

/**
 * Starts the background work of one server process: the live feed, the durable consumers, and
 * (when `timerSweepSeconds` > 0) the timer sweep with the classifier's scheduled jobs. Any number
 * of processes may do this on one database.
 */
export async function startBackground(platform: Platform, log: (error: unknown) => void): Promise<Background> {
  const { db, config } = platform;
  const wake = (listener: () => void) => db.listen('minsheng_events', listener);
  const feed = await LiveFeed.start(db.pool, { wake, pollMs: POLL_MS, log });
  const stopConsumers = startConsumers(db.pool, CONSUMERS, { wake, pollMs: POLL_MS, log, settleMs: consumerSettleMs(db) });
  // messages to citizens; those of a channel with no messenger wait a day (one set later sends them), then expire
  const messengers = messengersOf(config);
  const stopSender = startSender(db.pool, messengers, { pollMs: messengers.length > 0 ? POLL_MS : 60_000, log });
  // the surveys' SMS invitations, when there is an SMS provider (without one they wait, queued)
  const sms = messengers.find((m) => m.channel === SMS_CHANNEL);
  const stopInvitations = sms ? startInvitationSender(db.pool, sms, config.publicUrl, { pollMs: 5 * POLL_MS, log }) : async () => {};
  // the units' webhooks: their orders' events, in order, retried
  const stopWebhooks = startWebhookSender(db.pool, { pollMs: POLL_MS, allowPrivate: config.webhooksAllowPrivate, log });
  let stopTimers = async () => {};
  if (config.timerSweepSeconds > 0) {
    // retraining and the keyword census are timers too: the processes that sweep run them
    await ensureScheduled(db.pool, config.cityCode,
      { retrainDays: config.classifyRetrainDays, maxTrainingOrders: config.classifyMaxTrainingOrders });
    await ensureMaintenance(db, config.cityCode);
    await ensureReportSchedule(db.pool, config.cityCode);
    await ensureLostCallsSweep(db.pool, config.cityCode);
    await ensureExpiryCheck(db.pool, config.cityCode);
    stopTimers = startTimerLoop(db.pool, TIMER_HANDLERS, config.timerSweepSeconds * 1000, log);
  }
  return {
    feed,
    async stop() {
      await stopTimers();
      await stopWebhooks();
      await stopSender();
      await stopInvitations();
      await stopConsumers();
      await feed.stop();
    },
  };
}

/** Fires the timers due at `now` (tests, the CLI). */
export function sweepTimersNow(platform: Platform, now = new Date()) {
  return sweepAllDue(platform.db.pool, TIMER_HANDLERS, now);
}

/** Runs every consumer until it has handled every event committed before the call (tests, the CLI). */
export async function drainConsumers(platform: Platform): Promise<void> {
  for (const consumer of CONSUMERS) await drainCommitted(platform.db.pool, consumer);
}
