// What the history is generated over, read from the database through the modules: the category
// tree's leaves, the city's communities, the official holidays, and the units the routing rules
// give each kind of matter in each street.
import type { Queryable } from '../../db/tx.js';
import { packageYears } from '../../modules/calendar/index.js';
import { listAreas, routeUnits, unitIndex } from '../../modules/directory/index.js';
import { readLabelledCsv } from '../../modules/classify/index.js';
import { currentTree } from '../../modules/taxonomy/index.js';
import type { World, WorldCategory, WorldCommunity } from './model.js';

/**
 * Texts from a labelled CSV (`title`, `text`, `label`: a top-level category's name), read where
 * it lies, never copied: by label, for the generator to draw from.
 */
export function textsByLabel(file: string): Map<string, { title: string; body: string }[]> {
  const texts = new Map<string, { title: string; body: string }[]>();
  for (const row of readLabelledCsv(file, ['title'])) {
    const title = (row.extra?.title || row.text).slice(0, 200);
    texts.set(row.label, [...(texts.get(row.label) ?? []), { title, body: row.text }]);
  }
  return texts;
}

export interface DatabaseWorld extends World {
  categoryIds: readonly number[];
  unitKinds: readonly (string | null)[];
}

export async function loadWorld(db: Queryable, cityCode: string): Promise<DatabaseWorld> {
  const tree = await currentTree(db, cityCode);
  const leaves = tree.categories.filter((c) => !tree.categories.some((x) => x.parentCode === c.code));
  const categories: WorldCategory[] = leaves.map((c) => ({ code: c.code, name: c.name,
    parentName: (c.parentCode && tree.byCode.get(c.parentCode)?.name) || c.name, topCode: tree.lineage(c.code)[0] ?? c.code,
    topName: tree.byCode.get(tree.lineage(c.code)[0] ?? c.code)?.name ?? c.name,
    timeLimitDays: c.timeLimitDays ?? null }));
  const communities: WorldCommunity[] = [];
  for (const district of await listAreas(db, cityCode)) {
    for (const street of await listAreas(db, cityCode, district.code)) {
      const below = await listAreas(db, cityCode, street.code);
      for (const c of below) communities.push({ code: c.code, name: c.name, streetCode: street.code, streetName: street.name });
    }
  }
  const holidays = new Map<string, string>();
  for (const year of packageYears().values()) for (const h of year.holidays) holidays.set(h.date, h.name);
  return { categories, communities, holidays, categoryIds: leaves.map((c) => c.id), unitKinds: leaves.map((c) => c.unitKind) };
}

/** The units an order of a kind of matter in a street goes to (first and second choice), and each unit's line up to the top. */
export class Routing {
  private readonly routes = new Map<string, [string, string]>();
  private constructor(private readonly db: Queryable, private readonly cityCode: string, private readonly lineages: (id: string) => string[]) {}

  static async open(db: Queryable, cityCode: string): Promise<Routing> {
    const units = await unitIndex(db, cityCode);
    return new Routing(db, cityCode, (id) => units.lineage(id));
  }

  async units(kind: string | null, streetCode: string): Promise<[string, string]> {
    const key = `${kind}|${streetCode}`;
    let route = this.routes.get(key);
    if (!route) {
      const found = (await routeUnits(this.db, this.cityCode, kind, streetCode)).map((s) => s.unit.id);
      if (!found.length) throw new Error(`no unit takes ${kind ?? 'an unclassified matter'} in ${streetCode}`);
      route = [found[0]!, found[1] ?? found[0]!];
      this.routes.set(key, route);
    }
    return route;
  }

  /** The unit and every unit above it: whose scope an order assigned to it is in. */
  lineage(unitId: string): string[] {
    return this.lineages(unitId);
  }
}
