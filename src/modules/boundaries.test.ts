// Module boundaries, checked on the code itself: a module's SQL names only the tables its own
// migrations create, and a module imports another only through its public interface (index.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_TABLES } from '../db/migrate.js';
import { startTestPlatform, type TestPlatform } from '../testing/harness.js';

const MODULES = fileURLToPath(new URL('./', import.meta.url));
const moduleNames = readdirSync(MODULES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

/** Table → the module whose migrations create it (or rename another table to it). */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  const files: { module: string; file: string }[] = [];
  for (const module of moduleNames) {
    const dir = path.join(MODULES, module, 'migrations');
    if (existsSync(dir)) for (const file of readdirSync(dir)) files.push({ module, file: path.join(dir, file) });
  }
  files.sort((a, b) => path.basename(a.file).localeCompare(path.basename(b.file)));
  for (const { module, file } of files) {
    const sql = readFileSync(file, 'utf8').replace(/--.*$/gm, '');
    for (const m of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/g)) owners.set(m[1]!, module);
    for (const m of sql.matchAll(/ALTER TABLE ([a-z_][a-z0-9_]*) RENAME TO ([a-z_][a-z0-9_]*)/g)) {
      owners.delete(m[1]!);
      owners.set(m[2]!, module);
    }
  }
  return owners;
}

/** Set-returning functions read FROM or JOINed like tables. */
const FUNCTIONS = /^(unnest|jsonb_array_elements|json_array_elements|generate_series|string_to_array)$/;
const CLAUSE_END = /\b(WHERE|GROUP|ORDER|LIMIT|OFFSET|ON|USING|JOIN|LEFT|RIGHT|INNER|FULL|CROSS|UNION|RETURNING|SET|VALUES|SELECT|FOR|HAVING|WINDOW)\b|[);`]/;

/** The tables a piece of source code names in SQL: after FROM (each item of a list), JOIN, INTO, UPDATE, TABLE, DELETE FROM. */
export function tablesNamed(source: string): Set<string> {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').replace(/^\s*\*.*$/gm, '');
  const named = new Set<string>();
  for (const m of code.matchAll(/\b(?:JOIN|INTO|UPDATE|TABLE|TRUNCATE)\s+(?:ONLY\s+)?([a-z_][a-z0-9_]*)\b/g)) {
    if (!FUNCTIONS.test(m[1]!)) named.add(m[1]!);
  }
  let at = 0;
  for (;;) {
    const from = code.indexOf('FROM ', at);
    if (from < 0) break;
    at = from + 5;
    const rest = code.slice(at, at + 400);
    const end = rest.search(CLAUSE_END);
    for (const item of (end < 0 ? rest : rest.slice(0, end)).split(',')) {
      const name = /^\s*(?:ONLY\s+)?([a-z_][a-z0-9_]*)\b(?!\s*\()/.exec(item)?.[1];
      if (name && !FUNCTIONS.test(name)) named.add(name);
    }
  }
  return named;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('module boundaries', () => {
  let p: TestPlatform;
  before(async () => (p = await startTestPlatform({ seed: false })));
  after(() => p.close());

  it('gives every table of the database to exactly one module', async () => {
    const owners = tableOwners();
    const tables = (await p.db.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows
      .map((r) => r.tablename as string).filter((t) => !SCHEMA_TABLES.includes(t));
    assert.deepEqual(tables.filter((t) => !owners.has(t)), [], 'tables no module creates');
    assert.deepEqual([...owners.keys()].filter((t) => !tables.includes(t)), [], 'tables the migrations create, missing from the database');
  });

  it("lets no module's SQL name a table another module owns", () => {
    const owners = tableOwners();
    const trespasses: string[] = [];
    for (const module of moduleNames) {
      for (const file of sourceFiles(path.join(MODULES, module))) {
        for (const table of tablesNamed(readFileSync(file, 'utf8'))) {
          const owner = owners.get(table);
          if (owner && owner !== module) trespasses.push(`${path.relative(MODULES, file)} names ${table} (owned by ${owner})`);
        }
      }
    }
    assert.deepEqual(trespasses, []);
  });

  it('finds the table names of SQL written in the usual ways (the check above can fail)', () => {
    const sample = `
      const a = \`SELECT o.*, u.name FROM orders o JOIN units u ON u.id = o.lead_unit_id\`;
      const b = 'SELECT 1 FROM areas a, categories c, unnest($1::int[]) AS x WHERE a.code = c.code';
      const c = \`WITH x AS (UPDATE order_rounds SET urged = 1 RETURNING *) INSERT INTO notices (id) SELECT id FROM x\`;
      const d = 'DELETE FROM timers WHERE id = $1';
      // FROM staff in a comment is not SQL
      const e = "SELECT count(*) FROM (SELECT * FROM events LIMIT 3) e";`;
    assert.deepEqual([...tablesNamed(sample)].sort(),
      ['areas', 'categories', 'events', 'notices', 'order_rounds', 'orders', 'timers', 'units', 'x'].sort());
  });

  it("lets a module import another only through its index (or its shared response schemas, or the actor's types)", () => {
    const reaches: string[] = [];
    for (const module of moduleNames) {
      for (const file of sourceFiles(path.join(MODULES, module))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.\/(?:\.\.\/)?[^']+)'/g)) {
          const target = path.relative(MODULES, path.resolve(path.dirname(file), m[1]!));
          const [other, ...rest] = target.split(path.sep);
          if (!other || other === module || other.startsWith('..') || !moduleNames.includes(other)) continue;
          const entry = rest.join('/');
          if (!['index.js', 'api-schemas.js'].includes(entry) && !(other === 'auth' && entry === 'actor.js')) {
            reaches.push(`${path.relative(MODULES, file)} imports ${target}`);
          }
        }
      }
    }
    assert.deepEqual(reaches, []);
  });
});
