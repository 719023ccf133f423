// 12345 ↔ 110 (国办发〔2022〕12号): the non-police matters the 110 desk handed over, registered as
// orders of their own channel (police_110). The call centre's statistics count them beside the
// calls it transferred to 110.
import { prepared, type Queryable } from '../../db/tx.js';

/** Orders handed over by the 110 desk and registered in [from, to). */
export async function handoversFrom110(db: Queryable, cityCode: string, from: Date, to: Date): Promise<number> {
  // the channel written out, so that the planner takes the partial index made for it
  const r = await db.query<{ n: number }>(prepared(
    `SELECT count(*)::int AS n FROM orders WHERE city_code = $1 AND channel = 'police_110' AND created_at >= $2 AND created_at < $3`,
    [cityCode, from, to]));
  return r.rows[0]!.n;
}
