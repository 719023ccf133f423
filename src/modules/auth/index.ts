// The auth module's public interface: who is acting, and how they prove it.
export type { Actor, Role, ApiScope } from './actor.js';
export { ROLES, API_SCOPES, HOTLINE_ROLES, UNIT_ROLES, hasRole, seesWholeCity, systemActor, citizenActor } from './actor.js';
export type { AuthPolicy, LoginResult, ApiKeyInfo } from './service.js';
export {
  MIN_PASSWORD_LENGTH, hashPassword, createStaffAccount, createStaffAccountsSharingPassword, resetPassword, login, logout, actorFromSession, sameRights,
  createApiKey, revokeApiKey, listApiKeys, actorFromApiKey, issueStreamTicket, actorFromStreamTicket, STREAM_TICKET_SECONDS,
} from './service.js';
export type { CitizenAccount, CitizenSignInPolicy, CodeRequest } from './citizens.js';
export {
  requestSignInCode, signInCitizen, spendSignInCode, signOutCitizen, actorFromCitizenSession, CITIZEN_TOKEN_PREFIX, CODE_MINUTES, MAX_FAILED_TRIES, RESEND_SECONDS,
  CODES_PER_HOUR,
} from './citizens.js';
