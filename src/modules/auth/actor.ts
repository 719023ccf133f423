// Who is acting: a logged-in staff member, an external system's API key, the platform itself, or a
// citizen who proved an order theirs (the portal's tracking number and lookup code).

export const ROLES = [
  'agent', // 受理员: registers, answers directly, dispatches
  'lead', // 班长/质检员: everything an agent does, plus arbitration of returns and cancellation
  'dispatcher', // 派单员: dispatches and re-dispatches
  'visitor', // 回访员: return visits, closes and reopens
  'supervisor', // 督办员: urges, escalates, decides extensions
  'unit_handler', // 承办单位经办人: signs for, handles, replies, returns
  'unit_manager', // 承办单位负责人: as a handler, plus second-level dispatch
  'leader', // 领导: reads everything, personal data masked
  'admin', // 系统管理员: directory, taxonomy, staff, keys, audit
] as const;
export type Role = (typeof ROLES)[number];

/** Roles of the hotline centre itself: they see every order of their city. */
export const HOTLINE_ROLES: readonly Role[] = ['agent', 'lead', 'dispatcher', 'visitor', 'supervisor', 'leader', 'admin'];
/** Roles of a handling unit: they see only orders of their unit and its sub-units. */
export const UNIT_ROLES: readonly Role[] = ['unit_handler', 'unit_manager'];

export const API_SCOPES = [
  'orders:create', // register orders (channels, apps)
  'orders:read', // read orders in the key's scope
  'orders:write', // act on orders as the key's unit (sign, reply, return…)
  'personal_data', // see citizens' contact details unmasked (audited)
  'directory:read', // read areas, units and the category tree
  'open311', // post requests through Open311 GeoReport v2 (/open311/v2/)
  'analytics:read', // read the analysis (figures, trends, rankings) in the key's scope: the city, or its unit's subtree
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface Actor {
  kind: 'staff' | 'api_key' | 'system' | 'citizen';
  /** staff id or API key id; null for the system and for a citizen */
  id: string | null;
  name: string;
  cityCode: string;
  roles: Role[];
  /** the unit the actor belongs to or acts for (null: a city-wide API key or the system) */
  unitId: string | null;
  /** the unit's materialised path, for "my unit and its sub-units" */
  unitPath: string | null;
  /** API key scopes; staff have none (their roles decide) */
  scopes: ApiScope[];
  /** a citizen: the orders they proved theirs; they see those and nothing else */
  orderIds?: readonly string[];
  /** a citizen signed in to the app: the mobile number their sign-in code proved */
  phone?: string;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((role) => roles.includes(role));
}

/** True when the actor sees every order of the city; false when limited to its unit's subtree. */
export function seesWholeCity(actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'api_key') return actor.unitId === null;
  return hasRole(actor, ...HOTLINE_ROLES);
}

/**
 * A citizen acting on the orders they proved theirs; no roles, no unit. `account`: the app
 * citizen's own actor, whose id and phone it keeps (an order they register is theirs).
 */
export function citizenActor(cityCode: string, orderIds: readonly string[], account?: Actor): Actor {
  return { kind: 'citizen', id: account?.id ?? null, name: '市民', cityCode, roles: [], unitId: null, unitPath: null, scopes: [], orderIds,
    ...(account?.phone ? { phone: account.phone } : {}) };
}

/** The platform's own actor, for seeding and scheduled jobs. */
export function systemActor(cityCode: string): Actor {
  return { kind: 'system', id: null, name: 'system', cityCode, roles: [], unitId: null, unitPath: null, scopes: [] };
}
