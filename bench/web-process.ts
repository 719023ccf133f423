// The web suite's timed part in a process of its own, on the database the suite loaded: a server as
// `npm start` runs it, not one sharing the heap of the process that has just bulk-loaded a million
// orders. (It did not explain the slower million-order runs on its own: in this process the form
// took 1,010–1,057 ms and the inbox 418 ms, where a script's fresh process on a folder prepared the
// same way gave 610 and 138 ms; README, Benchmarks.) Reads its task as JSON on stdin; writes each
// figure as a JSON line { name, figures } on stdout.
import { startTestPlatform } from '../src/testing/harness.js';
import { benchWeb, type WebUsers } from './web.js';
import { timed } from './stats.js';

interface Task { dataDir?: string; databaseUrl?: string; users: WebUsers; inbox: number; samples: number }

let input = '';
for await (const chunk of process.stdin) input += chunk;
const task = JSON.parse(input) as Task;
const opening = performance.now();
const p = await startTestPlatform(task.dataDir ? { dataDir: task.dataDir, seed: false } : { databaseUrl: task.databaseUrl!, seed: false });
console.log(JSON.stringify({ name: 'web_server_opened', figures: { seconds: Math.round(performance.now() - opening) / 1000,
  note: 'the platform opened on the loaded database, as npm start opens it' } }));
try {
  await benchWeb(p, task.users, { inbox: task.inbox, samples: task.samples, timed,
    report: (name, figures) => console.log(JSON.stringify({ name, figures })) });
} finally {
  await p.close();
}
