export { recordAudit, listAudit } from './service.js';
export type { AuditEntry, AuditRecord, AuditQuery } from './service.js';
