// Response schemas of the directory endpoints (areas, handling units, staff): validation and OpenAPI from one source.
import { Type } from 'typebox';
import { Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { ROLES } from '../auth/index.js';
import { UNIT_LEVELS } from './index.js';

export const AreaOut = Type.Object({
  code: Type.String({ description: '6, 9 or 12-digit administrative code' }),
  name: Type.String(),
  level: StringEnum(['city', 'district', 'street', 'community'] as const),
  parentCode: Nullable(Type.String(), { description: 'null for the city itself' }),
});

export const AreaMatchOut = Type.Object({
  ...AreaOut.properties,
  path: Type.Array(Type.Object({ code: Type.String(), name: Type.String() }), { description: 'from the district down to the area itself' }),
});

export const UnitOut = Type.Object({
  id: Uuid, code: Type.String(), name: Type.String(), level: StringEnum(UNIT_LEVELS),
  kind: Type.String({ description: "what it handles (water_supply, street_office…): categories name the kind that takes them" }),
  parentId: Nullable(Uuid, { description: 'null for a unit at the top of the network' }),
  path: Type.String({ description: 'ids from the top down, /id/id/: a unit sees the orders of the units whose path starts with its own' }),
  active: Type.Boolean(),
  areaCodes: Type.Array(Type.String(), { description: 'the areas it serves' }),
});

export const StaffOut = Type.Object({
  id: Uuid, username: Type.String(), displayName: Type.String(), unitId: Uuid,
  roles: Type.Array(StringEnum(ROLES)), active: Type.Boolean(),
});
