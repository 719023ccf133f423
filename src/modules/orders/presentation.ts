// An order as a viewer sees it: its row, named with the directory's and the taxonomy's held copies
// (no join to their tables), with the citizen's personal data masked, hidden or shown by role.
import type { Queryable } from '../../db/tx.js';
import type { Actor } from '../auth/index.js';
import { areaIndex, unitIndex } from '../directory/index.js';
import { categoriesById, REQUEST_TYPES, type RequestType } from '../taxonomy/index.js';
import type { OrderView } from './model.js';
import { personalDataVisibility, presentCitizen } from './privacy.js';
import { ORDER_STATE_GROUP, type OrderState } from './rules.js';

/**
 * Rows of `orders` as the actor sees them. Lists show personal data masked; only an order's detail
 * (`reveal`) shows it in full to the roles that may see it, and that read is audited by the caller.
 */
export async function presentRows(db: Queryable, actor: Actor, rows: Record<string, any>[], reveal: boolean): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const units = await unitIndex(db, actor.cityCode, rows.map((r) => r.lead_unit_id));
  const areas = await areaIndex(db, actor.cityCode, rows.map((r) => r.area_code));
  const categories = await categoriesById(db, actor.cityCode, rows.filter((r) => r.category_id).map((r) => Number(r.category_id)));
  return rows.map((r) => {
    const visibility = personalDataVisibility(actor, r.confidential);
    const category = r.category_id ? categories.get(Number(r.category_id)) : undefined;
    return {
      id: r.id,
      trackingNo: r.tracking_no,
      cityCode: r.city_code,
      channel: r.channel,
      requestType: r.request_type,
      requestTypeLabel: REQUEST_TYPES[r.request_type as RequestType],
      category: category ? { id: category.id, code: category.code, name: category.name, version: category.version } : null,
      title: r.title,
      body: r.body,
      citizen: presentCitizen({ citizen_name: r.citizen_name, citizen_phone: r.citizen_phone, citizen_address: r.citizen_address },
        visibility === 'full' && !reveal ? 'masked' : visibility),
      confidential: r.confidential,
      location: { address: r.location_address, areaCode: r.area_code, areaName: r.area_code ? areas.get(r.area_code)?.name ?? null : null,
        lat: r.lat, lng: r.lng },
      urgency: r.urgency,
      attachments: r.attachments,
      state: r.state,
      stateGroup: ORDER_STATE_GROUP[r.state as OrderState],
      version: r.version,
      leadUnit: r.lead_unit_id ? { id: r.lead_unit_id, code: units.get(r.lead_unit_id)?.code ?? '', name: units.get(r.lead_unit_id)?.name ?? r.lead_unit_id } : null,
      extensionPending: r.extension_pending,
      clockPaused: r.clock_paused,
      noCallback: r.no_callback,
      reopenCount: r.reopen_count,
      urgeCount: r.urge_count,
      escalated: r.escalated,
      mergedInto: r.merged_into,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      closedAt: r.closed_at?.toISOString() ?? null,
    };
  });
}
