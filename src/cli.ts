// The operator's command line: npm run cli -- <command> [options]  (or npx minsheng <command>).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { loadConfig } from './config.js';
import { openPlatform, TIMER_HANDLERS } from './platform.js';
import { describeDemoAccounts } from './seed/demo.js';
import { orderTexts, trainingOrders } from './modules/orders/index.js';
import { migrate } from './db/migrate.js';
import { bridgeSettings, startBridge } from './modules/calls/index.js';
import { withTransaction } from './db/tx.js';
import { createStaffAccount, resetPassword, ROLES, systemActor, type Role } from './modules/auth/index.js';
import { findStaffByUsername } from './modules/directory/index.js';
import { getTree, parseTreeCsv, saveTreeVersion, treeToCsv, type CategoryNode } from './modules/taxonomy/index.js';
import { listCalendarYears, saveCalendarYear, type CalendarYearInput } from './modules/calendar/index.js';
import { sweepAllDue } from './modules/timers/index.js';
import { loadWorld, textsByLabel } from './seed/history/world.js';
import { rebuildRollups } from './modules/analytics/index.js';
import { loadHistory } from './seed/history/load.js';
import { assessmentWorkbook, assessUnits, periodOf } from './modules/assessment/index.js';
import { DEFAULT_TRAINING, indexOrderKeys, listModels, listRuns, readLabelledCsv, startTraining } from './modules/classify/index.js';

const HELP = `民声 Minsheng — operator commands (database: DATABASE_URL, or PGlite in DATA_DIR, default ./data)

  migrate                                   apply pending migrations
  seed [--no-demo]                          seed the directory, category tree (and demo data) if empty
  create-staff --username U --name N --unit UNIT_CODE --roles r1,r2 [--password P]
                                            create a staff account (a password is generated if omitted)
  reset-password <username> [--password P]  set a new password, unlock, end sessions
  export-taxonomy [--format csv|json] [--version N] [--out FILE]
  import-taxonomy --file FILE [--note TEXT] import a tree (CSV or JSON by extension) as a new version
  calendar                                  list the loaded years of the official holiday calendar
  load-calendar <year> --file FILE          load a year from the State Council notice, as JSON:
                                            {"source": "...", "holidays": [{"date","name"}], "workdays": [...]}
  sweep-timers [--at ISO-TIME] [--batch N]  fire the due deadline timers now (the server sweeps by itself)
  export-assessment [--month YYYY-MM] [--out FILE]
                                            write the month's unit assessment as an Excel workbook
  train-classifier [--file FILE]            train the text classifier now, from the closed orders, or from a
                                            CSV (text,label[,request_type]; label: a category code or names
                                            from the top, 城乡建设/城市建设和市政管理); switched in only if better
  classifier                                the models (in use, retired, rejected) and the latest training runs
  generate --orders N [--years Y] [--seed S] [--end TIME] [--growth G] [--truth FILE] [--texts CSV]
                                            generate a history of N orders over Y years (default 1) and write
                                            it: rhythms, growth (along a logistic curve from the first days'
                                            volume towards G times it: 20.5 by default, Jinan's ten years; 1
                                            for none), holidays, outcomes, repeat callers, incidents
                                            (their truth to FILE, as JSON); texts drawn from a labelled CSV
                                            (title,text,label: a top-level category's name) where it has them;
                                            the history ends now (or at --end); the same options give the same
                                            history. For a database of its own: registrations meanwhile may
                                            take tracking numbers in its range
  rebuild-rollups                           recount the dashboards' daily rollups from the orders
  index-similar [--batch N]                 give every order without them its keywords for similar-order
                                            search, then count the keywords (the nightly census)
  ami-bridge                                connect to an Asterisk's Manager Interface and post its calls'
                                            events to Minsheng until stopped (no database: AMI_HOST, AMI_PORT,
                                            AMI_USERNAME, AMI_SECRET, MINSHENG_URL, TELEPHONY_SECRET; docs/telephony.md)

roles: ${ROLES.join(', ')}`;

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: a whole number above 0`);
  return n;
}

/** A labelled CSV for training: text and label, and request_type when the file has it. */
function readTrainingCsv(file: string) {
  return readLabelledCsv(file, ['request_type']).map(({ text, label, extra }) => ({ text, label, requestType: extra?.request_type || undefined }));
}

/** Runs one operator command; `env` is the environment to configure from; what it prints goes to `write`. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env,
  write: (text: string) => void = (text) => void process.stdout.write(text)): Promise<void> {
  const print = (...lines: string[]) => write(lines.join(' ') + '\n');
  // a rebuild's progress: a line a tenth of the way through each of its steps
  const rebuildProgress = ({ phase, piece, pieces, orders }: { phase: string; piece: number; pieces: number; orders: number }) => {
    if (piece === pieces || piece % Math.ceil(pieces / 10) === 0) print(`rollups, ${phase}: piece ${piece} / ${pieces} (${orders} orders)`);
  };
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') return void print(HELP);
  const { values, positionals } = parseArgs({
    args: rest, allowPositionals: true,
    options: {
      username: { type: 'string' }, name: { type: 'string' }, unit: { type: 'string' }, roles: { type: 'string' },
      password: { type: 'string' }, format: { type: 'string' }, version: { type: 'string' }, out: { type: 'string' },
      file: { type: 'string' }, note: { type: 'string' }, at: { type: 'string' }, month: { type: 'string' }, batch: { type: 'string' }, 'no-demo': { type: 'boolean' }, help: { type: 'boolean' },
      orders: { type: 'string' }, years: { type: 'string' }, seed: { type: 'string' }, truth: { type: 'string' }, texts: { type: 'string' }, end: { type: 'string' },
      growth: { type: 'string' },
    },
  });
  if (values.help) return void print(HELP);
  if (command === 'ami-bridge') return runAmiBridge(env, print);
  const config = loadConfig(env);
  if (values['no-demo']) config.seedDemo = false;
  const platform = await openPlatform(config, { seed: command === 'seed' || command === 'generate' });
  const { pool } = platform.db;
  const actor = systemActor(config.cityCode);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrate(pool);
        print(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
        break;
      }
      case 'seed':
        print('seeded (or already present)');
        if (platform.demo) describeDemoAccounts(platform.demo).forEach((line) => print(line));
        break;
      case 'create-staff': {
        const { username, name, unit, roles } = values;
        if (!username || !name || !unit || !roles) throw new Error('create-staff needs --username, --name, --unit and --roles');
        const unitRow = await pool.query('SELECT id FROM units WHERE city_code = $1 AND code = $2', [config.cityCode, unit]);
        if (!unitRow.rowCount) throw new Error(`no unit with code ${unit}`);
        const roleList = roles.split(',').map((r) => r.trim()) as Role[];
        const bad = roleList.filter((r) => !ROLES.includes(r));
        if (bad.length) throw new Error(`unknown roles: ${bad.join(', ')}`);
        const password = values.password ?? randomBytes(9).toString('base64url');
        await createStaffAccount(pool, actor, { username, displayName: name, unitId: unitRow.rows[0].id, roles: roleList, password });
        print(`created ${username}${values.password ? '' : ` with password ${password}`}`);
        break;
      }
      case 'reset-password': {
        const username = positionals[0] ?? values.username;
        if (!username) throw new Error('reset-password needs a username');
        const staff = await findStaffByUsername(pool, config.cityCode, username);
        if (!staff) throw new Error(`no staff member ${username}`);
        const password = values.password ?? randomBytes(9).toString('base64url');
        await resetPassword(pool, actor, staff.id, password);
        print(`password of ${username} reset${values.password ? '' : ` to ${password}`}`);
        break;
      }
      case 'export-taxonomy': {
        const tree = await getTree(pool, config.cityCode, values.version ? Number(values.version) : undefined);
        const text = values.format === 'json' ? JSON.stringify(tree, null, 2) : treeToCsv(tree);
        if (values.out) writeFileSync(values.out, text);
        else write(text);
        break;
      }
      case 'import-taxonomy': {
        if (!values.file) throw new Error('import-taxonomy needs --file');
        const text = readFileSync(values.file, 'utf8');
        const nodes: CategoryNode[] = values.file.endsWith('.json') ? JSON.parse(text) : parseTreeCsv(text);
        const version = await withTransaction(pool, (client) => saveTreeVersion(client, actor, nodes, values.note ?? `imported from ${values.file}`));
        print(`imported ${nodes.length} categories as version ${version}`);
        break;
      }
      case 'calendar':
        for (const y of await listCalendarYears(pool)) print(`${y.year}  ${y.source}  (${y.loadedAt} by ${y.loadedBy})`);
        break;
      case 'load-calendar': {
        const year = Number(positionals[0]);
        if (!Number.isInteger(year) || !values.file) throw new Error('load-calendar needs a year and --file');
        const input = JSON.parse(readFileSync(values.file, 'utf8')) as CalendarYearInput;
        const saved = await withTransaction(pool, (client) => saveCalendarYear(client, actor, year, input));
        print(`loaded ${year}: ${saved.holidays.length} holidays, ${saved.workdays.length} adjusted working days`);
        break;
      }
      case 'sweep-timers': {
        const at = values.at ? new Date(values.at) : new Date();
        if (Number.isNaN(at.getTime())) throw new Error(`--at ${values.at} is not a time`);
        const result = await sweepAllDue(pool, TIMER_HANDLERS, at, values.batch ? Number(values.batch) : undefined);
        print(JSON.stringify(result));
        break;
      }
      case 'export-assessment': {
        const admin = { ...actor, roles: ['admin' as const] };
        const assessment = await assessUnits(pool, admin, periodOf({ month: values.month }));
        const out = values.out ?? `assessment-${assessment.period.label}.xlsx`;
        writeFileSync(out, await assessmentWorkbook(assessment, config.cityCode));
        print(`${assessment.units.length} units assessed for ${assessment.period.label}: ${out}`);
        break;
      }
      case 'train-classifier': {
        const source = values.file ? { kind: 'csv' as const, file: values.file, rows: readTrainingCsv(values.file) }
          : { kind: 'history' as const, orders: trainingOrders };
        const run = await (await startTraining(pool, actor, 'cli', { source,
          settings: { ...DEFAULT_TRAINING, maxTexts: config.classifyMaxTrainingOrders } })).done;
        print(`run ${run.runId}: ${run.status}`);
        print(JSON.stringify(run.detail, null, 2));
        break;
      }
      case 'classifier': {
        for (const m of await listModels(pool, config.cityCode)) {
          print(`${m.target.padEnd(12)} v${m.version}  ${m.status.padEnd(8)} trained ${m.trainedAt}  ${m.trainingTexts} texts  ` +
            `held back ${m.scores.n}: macro-F1 ${m.scores.macroF1}, whole path ${m.scores.exactAccuracy}, top 3 ${m.scores.top3Accuracy}` +
            `${m.baselineScores ? ` (model in use: ${m.baselineScores.macroF1})` : ''}  — ${m.decision}`);
        }
        for (const r of await listRuns(pool, config.cityCode, 5)) print(`run ${r.id} ${r.startedAt} ${r.cause} ${r.status}`);
        break;
      }
      case 'rebuild-rollups': {
        const result = await rebuildRollups(pool, config.cityCode, { between: rebuildProgress });
        print(`recounted ${result.orders} orders into ${result.rows} rollup rows in ${result.seconds.toFixed(1)} s (${result.pieces} pieces)`
          + `${result.caughtUp ? '; the rollups consumer, which was behind, goes on from the rebuild\'s start' : ''}`);
        break;
      }
      case 'index-similar': {
        const result = await indexOrderKeys(pool, config.cityCode, orderTexts, { batch: values.batch ? Number(values.batch) : undefined });
        print(JSON.stringify(result));
        break;
      }
      case 'generate': {
        const end = values.end ? new Date(values.end) : new Date();
        if (Number.isNaN(end.getTime())) throw new Error('--end: a date and time, such as 2026-12-01T00:00:00+08:00');
        const options = { orders: positiveInt(values.orders, 'orders'), years: Number(values.years ?? 1), seed: positiveInt(values.seed ?? '1', 'seed'), end,
          texts: values.texts ? textsByLabel(values.texts) : undefined };
        if (!(options.years > 0 && options.years <= 30)) throw new Error('--years: from 0 to 30');
        const growth = values.growth === undefined ? undefined : Number(values.growth);
        if (growth !== undefined && !(growth >= 1 && growth <= 1_000)) throw new Error('--growth: a number from 1 to 1000');
        const world = await loadWorld(pool, config.cityCode);
        const sideBySide = platform.db.engine === 'postgres';
        const result = await loadHistory(pool, config.cityCode, world, { ...options, growth }, (p) => {
          if (p.written % 100_000 === 0 || p.written === p.total) {
            print(`${p.written} / ${p.total} orders, ${Math.round(p.written / p.seconds)}/s, ${Math.round(p.seconds)} s`);
          }
        }, { sideBySide });
        await pool.query('ANALYZE');
        print(`rollups recounted: ${result.rollups.rows} rows in ${result.rollups.seconds.toFixed(1)} s; early-warning history of ${result.baselines.cells} cells`);
        print(`generated ${result.orders} orders: written in ${result.writtenSeconds.toFixed(1)} s (${Math.round(result.orders / result.writtenSeconds)}/s)`
          + `${result.buildSeconds ? `, the indexes dropped for the load built again and the keys checked in ${result.buildSeconds.toFixed(1)} s${sideBySide ? ' (beside the rollups\' count)' : ''}` : ''}, `
          + `${result.incidents.length} incidents, ${result.timers} deadline timers armed for the rounds still open; ready to read in ${result.totalSeconds.toFixed(1)} s`);
        if (values.truth) {
          writeFileSync(values.truth, JSON.stringify({ seed: options.seed, years: options.years, orders: options.orders, end: end.toISOString(),
            incidents: result.incidents }, null, 1));
        }
        break;
      }
      default:
        throw new Error(`unknown command ${command}\n\n${HELP}`);
    }
  } finally {
    await platform.db.close();
  }
}

/** The AMI bridge, until SIGINT or SIGTERM; then it delivers what it holds and logs off. */
async function runAmiBridge(env: NodeJS.ProcessEnv, print: (...lines: string[]) => void): Promise<void> {
  const settings = bridgeSettings(env);
  const connector = await startBridge(settings);
  print(`ami-bridge: logged in to ${settings.host}:${settings.port}, posting to ${settings.minshengUrl}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await connector.stop();
  print('ami-bridge: stopped');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
