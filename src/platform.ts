// Opening the platform: database, migrations, first-start seeding. Shared by the server, the CLI,
// the tests and the benchmarks, so that all of them run the same start-up path.
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/engine.js';
import { migrate } from './db/migrate.js';
import { seedBase } from './seed/network.js';
import { seedDemoOrders, seedDemoStaff, type DemoLogin } from './seed/demo.js';
import { withTransaction } from './db/tx.js';
import { systemActor } from './modules/auth/index.js';
import { loadPackageCalendar } from './modules/calendar/index.js';
import { installSla } from './modules/sla/index.js';
import { installFeedback } from './modules/feedback/index.js';
import { installClassify, startTraining } from './modules/classify/index.js';

/** Modules that hook into the order lifecycle and the timer sweep. */
installSla();
installFeedback();
installClassify();

export interface Platform {
  db: Database;
  config: Config;
  /** demo logins created by this start (first start only) */
  demoLogins: DemoLogin[];
}

export async function openPlatform(config: Config, options: { seed?: boolean; poolSize?: number } = {}): Promise<Platform> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: options.poolSize });
  try {
    await migrate(db.pool);
    // years the calendar package has and the database lacks (a new package version brings a new year)
    await withTransaction(db.pool, (client) => loadPackageCalendar(client, systemActor(config.cityCode)));
    let demoLogins: DemoLogin[] = [];
    if (options.seed ?? true) {
      const fresh = await seedBase(db.pool, config.cityCode);
      if (fresh && config.seedDemo) {
        demoLogins = await seedDemoStaff(db.pool, config.cityCode);
        await seedDemoOrders(db.pool, config.cityCode);
        // a first model from the demo's closed orders, so that suggestions show from the start
        await (await startTraining(db.pool, systemActor(config.cityCode), 'seed')).done;
      }
    }
    return { db, config, demoLogins };
  } catch (error) {
    await db.close();
    throw error;
  }
}
