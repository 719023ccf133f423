// What every route plugin is given: the database and the configuration. Kept apart from app.ts,
// which imports the route plugins, so that the plugins never import the file that registers them.
import type { Config } from '../config.js';
import type { Database } from '../db/engine.js';
import type { FileStore } from '../modules/attachments/index.js';

export interface AppContext {
  db: Database;
  config: Config;
  /** where attachments' bytes are kept */
  files: FileStore;
}
