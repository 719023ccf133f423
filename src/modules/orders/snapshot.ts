// The order as every event carries it (events/catalog.ts OrderSnapshot): what consumers group by
// and the live stream scopes by, built from the order's row and its assignments with the
// directory's and the taxonomy's held copies, so that no consumer re-reads the order.
import type { Queryable } from '../../db/tx.js';
import { areaIndex, unitIndex } from '../directory/index.js';
import type { OrderSnapshot } from '../events/index.js';
import { categoryWithTree } from '../taxonomy/index.js';

/** The columns of `orders` a snapshot reads. */
export interface SnapshotRow {
  city_code: string;
  tracking_no: string;
  channel: string;
  request_type: string;
  urgency: string;
  confidential: boolean;
  state: string;
  category_id: number | string | null;
  area_code: string | null;
  lead_unit_id: string | null;
  reopen_count: number;
  created_at: Date;
}

/** The snapshot of `row`, seen by the units of `assignedUnits` (every unit ever assigned) and those above them. */
export async function snapshotOf(db: Queryable, row: SnapshotRow, assignedUnits: readonly string[]): Promise<OrderSnapshot> {
  const units = await unitIndex(db, row.city_code, [...assignedUnits, row.lead_unit_id]);
  const areas = row.area_code ? await areaIndex(db, row.city_code, [row.area_code]) : null;
  const category = row.category_id ? await categoryWithTree(db, row.city_code, Number(row.category_id)) : null;
  const scope = new Set<string>();
  for (const unit of assignedUnits) for (const id of units.lineage(unit)) scope.add(id);
  return {
    trackingNo: row.tracking_no,
    channel: row.channel,
    requestType: row.request_type,
    urgency: row.urgency,
    confidential: row.confidential,
    state: row.state,
    categoryCode: category?.category.code ?? null,
    categoryPath: category ? category.tree.lineage(category.category.code) : [],
    areaCode: row.area_code,
    areaPath: row.area_code && areas ? areas.lineage(row.area_code) : [],
    leadUnitId: row.lead_unit_id,
    leadUnitPath: row.lead_unit_id ? units.lineage(row.lead_unit_id) : [],
    units: [...scope],
    reopenCount: row.reopen_count,
    createdAt: row.created_at.toISOString(),
  };
}
