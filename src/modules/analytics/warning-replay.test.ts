// The early warning against the generator's ground truth: a replayed history raises one warning for
// each incident (its reports joined, the fifth crossing the line) and next to none for the rest.
// The same measure at a big city's volume is in bench/warnings.ts (precision, recall, false
// warnings a day).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CITY, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { loadWorld } from '../../seed/history/world.js';
import { writeHistory, type HistoryWritten } from '../../seed/history/write.js';
import { DEFAULT_WARNING_SETTINGS, replayWarnings, type ReplayResult } from './index.js';
import { scoreWarnings } from '../../seed/history/score.js';

const END = new Date('2026-11-30T16:00:00Z');
const DAY = 86_400_000;

describe('early warning over a generated history', () => {
  let p: TestPlatform;
  let history: HistoryWritten;
  let replay: ReplayResult;
  const from = new Date(END.getTime() - 120 * DAY);

  before(async () => {
    p = await startTestPlatform();
    history = await writeHistory(p.db.pool, CITY, await loadWorld(p.db.pool, CITY), { orders: 20_000, years: 1, seed: 5, end: END });
    replay = await replayWarnings(p.db.pool, CITY, { from, to: END }, { settings: DEFAULT_WARNING_SETTINGS });
  });
  after(() => p.close());

  it('raises one warning per incident, at its fifth report, with all its reports, and no other', async () => {
    const incidents = history.incidents.filter((x) => new Date(x.startsAt) >= from);
    assert.ok(incidents.length >= 4, `incidents in the replayed months: ${incidents.length}`);
    const score = await scoreWarnings(p.db.pool, CITY, incidents, { from, to: END });
    assert.equal(score.recall, 1, 'every incident is warned of');
    assert.equal(score.duplicates, 0, 'one incident, one warning');
    assert.equal(score.falseWarnings, 0, `false warnings: ${JSON.stringify(score.unmatched)}`);
    assert.deepEqual(score.crossingReport.sort(), incidents.map(() => 5), 'the fifth report crosses the line in a quiet community');
    assert.ok(score.allReportsJoined, "each warning holds all of its incident's reports");
    assert.equal(replay.outcomes.raised, incidents.length);
    assert.equal(replay.reports, (await p.db.pool.query('SELECT count(*)::int AS n FROM orders WHERE created_at >= $1', [from])).rows[0].n);
  });
});
