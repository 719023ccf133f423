// Response schemas of the login, identity and API-key endpoints: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { DateTime, Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { StaffOut } from '../directory/api-schemas.js';
import { API_SCOPES, ROLES } from './index.js';

export const MeOut = Type.Object({
  kind: StringEnum(['staff', 'api_key', 'system'] as const),
  id: Nullable(Uuid, { description: 'staff id or API key id; null for the platform itself' }),
  name: Type.String({ description: "a staff member's username, or an API key's name" }),
  displayName: Type.String({ description: "a staff member's name as people read it, or the API key's name" }),
  unitName: Nullable(Type.String(), { description: 'the name of unitId' }),
  cityCode: Type.String(),
  roles: Type.Array(StringEnum(ROLES), { description: "an API key that acts for a unit has the unit handler's role" }),
  unitId: Nullable(Uuid, { description: 'the unit the caller belongs to or acts for; null: city-wide' }),
  scopes: Type.Array(StringEnum(API_SCOPES), { description: "an API key's scopes; empty for staff, whose roles decide" }),
});

export const LoginOut = Type.Object({
  token: Type.String({ description: 'the bearer token: Authorization: Bearer <token>' }),
  expiresAt: DateTime('the session ends then'),
  staff: StaffOut,
  // who the caller now is, as GET /api/v1/auth/me answers: one round trip less before the first page
  me: MeOut,
});


export const ApiKeyOut = Type.Object({
  id: Uuid, name: Type.String(),
  prefix: Type.String({ description: 'the first 10 characters of the key, to tell keys apart' }),
  scopes: Type.Array(StringEnum(API_SCOPES)),
  unitId: Nullable(Uuid, { description: 'the unit whose system uses it, and acts as that unit; null: city-wide' }),
  createdAt: DateTime(),
  revokedAt: Nullable(DateTime(), { description: 'null: in use' }),
  lastUsedAt: Nullable(DateTime(), { description: 'null: never used' }),
});

export const NewApiKeyOut = Type.Object({
  key: Type.String({ description: 'the key itself, shown this once: only its hash is kept' }),
  info: ApiKeyOut,
});
