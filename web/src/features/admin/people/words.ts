// The API's codes in words (roles, unit levels, key scopes, audit actions), in the user's language,
// and the lists of those codes the forms offer. texts.ts must name every code (the types say so).
import type { TFunction } from 'i18next';
import type { Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';
import { zh } from '../../../shared/i18n/zh';
import { peopleZh } from './texts';

/** The JSON body a route takes: `Body<'/api/v1/units', 'post'>`. */
export type Body<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type Unit = Answer<'/api/v1/units', 'get'>['items'][number];
export type Staff = Answer<'/api/v1/staff', 'get'>['items'][number];
export type ApiKey = Answer<'/api/v1/api-keys', 'get'>[number];
export type Role = Staff['roles'][number];
export type Level = Unit['level'];
export type Scope = ApiKey['scopes'][number];

const roleNames: Record<Role, string> = peopleZh.roles;
const levelNames: Record<Level, string> = peopleZh.levels;
// i18next reads ':' as its namespace separator: the scopes' keys spell it '_'
type Underscored<S> = S extends `${infer A}:${infer B}` ? `${A}_${B}` : S;
const scopeNames: Record<Underscored<Scope>, string> = peopleZh.scopes;

export const ROLES = Object.keys(roleNames) as Role[];
export const LEVELS = Object.keys(levelNames) as Level[];
export const SCOPES = Object.keys(scopeNames).map((s) => s.replace('_', ':')) as Scope[];
/** Every audit action the texts name ('staff.created', 'order.dispatched'…), for the filter; orders' are their events. */
export const AUDIT_ACTIONS = [...Object.entries(peopleZh.actionNames).flatMap(([group, names]) => Object.keys(names).map((n) => `${group}.${n}`)),
  ...Object.keys(zh.events).map((n) => `order.${n}`)];
export const SUBJECT_TYPES = Object.keys(peopleZh.audit.subjects);

export const roleName = (t: TFunction, role: string) => t(`admin.people.roles.${role}`, { defaultValue: role });
export const levelName = (t: TFunction, level: string) => t(`admin.people.levels.${level}`, { defaultValue: level });
export const scopeName = (t: TFunction, scope: string) => t(`admin.people.scopes.${scope.replace(':', '_')}`, { defaultValue: scope });
export const actionName = (t: TFunction, action: string) => (action.startsWith('order.')
  ? t(`events.${action.slice('order.'.length)}`, { defaultValue: action })
  : t(`admin.people.actionNames.${action}`, { defaultValue: action }));
export const subjectName = (t: TFunction, type: string) => t(`admin.people.audit.subjects.${type}`, { defaultValue: type });

/** A password of 16 characters from the browser's random source, without look-alikes (0/O, 1/l/I). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const limit = 256 - (256 % alphabet.length); // bytes above it would favour the first characters
  let out = '';
  while (out.length < 16) {
    for (const b of crypto.getRandomValues(new Uint8Array(32))) if (b < limit && out.length < 16) out += alphabet[b % alphabet.length];
  }
  return out;
}
