// Starts Minsheng: configuration, database (PGlite in ./data unless DATABASE_URL), migrations,
// first-start demo data, then the HTTP server.
import { loadConfig } from './config.js';
import { buildApp } from './http/app.js';
import { openPlatform, startBackground } from './platform.js';
import { describeDemoAccounts } from './seed/demo.js';
import { abandonRuns } from './modules/classify/index.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const engine = config.databaseUrl ? 'PostgreSQL server' : `embedded PGlite in ${config.dataDir}`;
  console.log(`民声 Minsheng: opening ${engine}…`);
  const platform = await openPlatform(config, { progress: (message) => console.log(message) });
  // the live feed, the durable consumers, the timer sweep: any number of processes may run them on one database
  let log = (error: unknown) => console.error(error);
  const background = await startBackground(platform, (error) => log(error));
  const app = await buildApp(platform, { feed: background.feed });
  log = (error) => app.log.error(error);
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`民声 Minsheng is listening on ${address}  (API docs: ${address}/docs)`);
  if (platform.demo) console.log(['', ...describeDemoAccounts(platform.demo)].join('\n'));
  const stop = async () => {
    await background.stop();
    await abandonRuns(platform.db.pool).catch(() => undefined);
    await app.close();
    await platform.db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
