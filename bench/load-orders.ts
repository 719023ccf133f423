// Bulk-loads synthetic orders for the benchmarks: spread over a year, the handling units, the
// city's street offices, channels, request types and states, with one assignment per dispatched order
// and the events of its registration and dispatch (so that the event log is as large as its orders make it).
import { existsSync } from 'node:fs';
import type { TestPlatform } from '../src/testing/harness.js';
import { searchTokens } from '../src/modules/orders/search-text.js';
import { systemActor } from '../src/modules/auth/index.js';
import { indexOrderKeys, readLabelledCsv, startTraining } from '../src/modules/classify/index.js';
import { orderTexts } from '../src/modules/orders/index.js';
import { MESSAGES } from './classify.js';

// Texts for the bulk load, written for the benchmark.
const TEXTS = [
  ['小区停水', '小区从早上开始停水，没有任何通知，请尽快恢复供水'], ['路灯不亮', '路口的路灯坏了半个月，晚上出行不安全'],
  ['暖气不热', '供暖开始一周暖气片温度很低，室温只有十四度'], ['占道经营', '路口每天晚上有摊贩占道经营，油烟很大'],
  ['拖欠工资', '公司已经拖欠工资三个月，多次讨要无果'], ['噪音扰民', '工地每天晚上十一点以后还在施工，噪音很大'],
  ['燃气味道', '楼道里燃气味很重，担心有泄漏，请尽快检查'], ['公交班次', '早高峰公交车间隔太长，建议增加班次'],
];

/** Bulk-loads `n` orders spread over a year, units, areas, channels and states, in SQL batches. */
export async function loadOrders(p: TestPlatform, n: number): Promise<number> {
  const pool = p.db.pool;
  const started = Date.now();
  const units = (await pool.query(`SELECT id FROM units WHERE level IN ('department', 'district', 'street') ORDER BY code`)).rows.map((r) => r.id);
  const streets = (await pool.query(`SELECT code FROM areas WHERE level = 'street' ORDER BY code`)).rows.map((r) => r.code);
  const categories = (await pool.query(`SELECT id FROM categories WHERE level = 3 ORDER BY id`)).rows.map((r) => r.id);
  const titles = TEXTS.map((t) => t[0]!);
  const bodies = TEXTS.map((t) => t[1]!);
  const search = TEXTS.map((t) => searchTokens(`${t[0]} ${t[1]}`).join(' '));
  const BATCH = 100_000;
  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1);
    await pool.query(
      `WITH g AS (SELECT i, ($1::uuid[])[1 + (i * 7) % cardinality($1::uuid[])] AS unit,
                         (ARRAY['registered','dispatched','signed','replied','closed','closed','closed','closed','archived','closed'])[1 + i % 10] AS state
                    FROM generate_series($6::int, $7::int) AS i),
       o AS (
         INSERT INTO orders (city_code, tracking_no, channel, request_type, category_id, title, body, citizen_name, citizen_phone,
                             area_code, state, lead_unit_id, search_text, created_at, updated_at, generated)
         SELECT '370100', 'B-' || lpad(i::text, 10, '0'), (ARRAY['phone','phone','phone','sms','web','wechat','app','weibo'])[1 + i % 8],
                (ARRAY['help','complaint','enquiry','report','suggestion'])[1 + i % 5], ($4::bigint[])[1 + i % cardinality($4::bigint[])],
                ($8::text[])[1 + i % 8], ($9::text[])[1 + i % 8], '市民' || (i % 1000),
                '13' || lpad(((i::bigint * 7919) % 1000000000)::text, 9, '0'), ($2::text[])[1 + i % cardinality($2::text[])],
                state, CASE WHEN state = 'registered' THEN NULL ELSE unit END, ($3::text[])[1 + i % 8],
                $5::timestamptz - (i % 365) * interval '1 day' - (i % 86400) * interval '1 second',
                $5::timestamptz - (i % 365) * interval '1 day', true
           FROM g RETURNING id, lead_unit_id, state, created_at, tracking_no, channel, request_type, area_code, category_id),
       -- each order's history as the lifecycle writes it: its registration, and its dispatch if it left the hotline
       e AS (
         INSERT INTO events (city_code, stream, stream_id, seq, type, actor_kind, at, from_state, to_state, payload, snapshot)
         SELECT '370100', 'order', o.id, h.seq, h.type, 'system', o.created_at + (h.seq - 1) * interval '1 hour', h.from_state, h.to_state,
                h.payload, jsonb_build_object('trackingNo', o.tracking_no, 'channel', o.channel, 'requestType', o.request_type,
                  'urgency', 'normal', 'confidential', false, 'state', h.to_state, 'categoryCode', NULL, 'categoryPath', '[]'::jsonb,
                  'areaCode', o.area_code, 'areaPath', '[]'::jsonb, 'leadUnitId', h.lead, 'leadUnitPath', '[]'::jsonb,
                  'units', CASE WHEN h.lead IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(h.lead) END, 'reopenCount', 0,
                  'createdAt', o.created_at)
           FROM o CROSS JOIN LATERAL (
             SELECT 1 AS seq, 'order.registered' AS type, NULL::text AS from_state, 'registered' AS to_state,
                    jsonb_build_object('channel', o.channel, 'channelRef', NULL) AS payload, NULL::uuid AS lead
             UNION ALL
             SELECT 2, 'order.dispatched', 'registered', 'dispatched', jsonb_build_object('unitId', o.lead_unit_id), o.lead_unit_id
              WHERE o.lead_unit_id IS NOT NULL) h),
       a AS (
         INSERT INTO order_assignments (city_code, order_id, unit_id, role, status, assigned_at)
         SELECT '370100', id, lead_unit_id, 'lead', CASE WHEN state IN ('dispatched', 'signed') THEN 'active' ELSE 'done' END, created_at
           FROM o WHERE lead_unit_id IS NOT NULL)
       INSERT INTO order_scopes (unit_id, order_id, city_code, order_created_at)
       SELECT ancestor.id::uuid, o.id, '370100', o.created_at
         FROM o JOIN units u ON u.id = o.lead_unit_id, unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')) AS ancestor(id)`,
      [units, streets, search, categories, new Date(), from, to, titles, bodies]);
  }
  await pool.query('ANALYZE');
  if (p.db.engine === 'pglite') await pool.query('CHECKPOINT');
  return (Date.now() - started) / 1000;
}


/**
 * What a live hotline's classification has: a model in use (trained on the labelled government
 * messages when they are on this machine, so that every registration runs a real prediction) and
 * the keywords of the loaded orders, so that typing suggestions search real similar orders.
 */
export async function prepareClassification(p: TestPlatform, report: (name: string, figures: Record<string, unknown>) => void): Promise<void> {
  const started = Date.now();
  await trainFromMessages(p, () => undefined);
  const indexed = await indexOrderKeys(p.db.pool, p.config.cityCode, orderTexts);
  await p.db.pool.query('ANALYZE');
  report('prepare_classification', { model: existsSync(MESSAGES) ? 'trained on the labelled messages' : 'none (no labelled messages here)',
    ordersIndexed: indexed.indexed, seconds: Math.round((Date.now() - started) / 1000) });
}

/** A model in use, trained on the labelled government messages when they are on this machine. */
export async function trainFromMessages(p: TestPlatform, report: (name: string, figures: Record<string, unknown>) => void): Promise<void> {
  if (!existsSync(MESSAGES)) return report('train', { model: 'none (no labelled messages here)' });
  const started = Date.now();
  const run = await (await startTraining(p.db.pool, systemActor(p.config.cityCode), 'cli', { source: { kind: 'csv', file: MESSAGES, rows: readLabelledCsv(MESSAGES) } })).done;
  if (run.status !== 'done') throw new Error(`training: ${JSON.stringify(run.detail)}`);
  report('train', { model: 'trained on the labelled messages', seconds: Math.round((Date.now() - started) / 1000) });
}
