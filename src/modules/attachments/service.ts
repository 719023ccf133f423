// Attachments: a file is accepted only for what its content is (a photo, a PDF, an office document,
// a recording), kept in the file store, and then belongs to the order of the submission it was
// uploaded for; it is served only to those who may see that order.
import { createHash, randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import type { FileStore } from './store.js';

/** What a citizen may send, by the type its content shows (never its name's or the browser's word). */
export const ACCEPTED_TYPES: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/heic': 'heic',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/x-m4a': 'm4a', 'video/mp4': 'mp4',
};
/** Files one submission may carry. */
export const MAX_PER_SUBMISSION = 9;
/** An upload no submission claimed is removed after this long. */
const UNCLAIMED_HOURS = 24;

export interface AttachmentInfo {
  id: string;
  name: string;
  contentType: string;
  size: number;
  createdAt: string;
}

const toInfo = (r: { id: string; name: string; content_type: string; size: number; created_at: Date }): AttachmentInfo =>
  ({ id: r.id, name: r.name, contentType: r.content_type, size: r.size, createdAt: r.created_at.toISOString() });

/**
 * A file name as the citizen gave it, without any path, control or direction-changing characters,
 * at most 120 characters, ending in the extension of the type its bytes are: a photo named
 * `回复.html` is saved by a clerk's browser as `回复.jpg`, never as a page that would run.
 */
export function cleanName(name: string, extension: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').trim();
  const stem = base.replace(/\.[^.]*$/, '').slice(0, 100) || 'attachment';
  return `${stem}.${extension}`;
}

/**
 * Keeps an upload made for the submission `uploadRef`: the type read from the bytes must be one
 * accepted (ATTACHMENT_TYPE_REFUSED), and a submission carries at most MAX_PER_SUBMISSION files.
 * Uploads nobody claimed for a day are removed on the way.
 */
export async function acceptUpload(db: Queryable, store: FileStore, cityCode: string,
  upload: { uploadRef: string; name: string; bytes: Buffer }, now = new Date()): Promise<AttachmentInfo> {
  const detected = await fileTypeFromBuffer(upload.bytes);
  const extension = detected ? ACCEPTED_TYPES[detected.mime] : undefined;
  if (!detected || !extension) throw new DomainError('ATTACHMENT_TYPE_REFUSED', { type: detected?.mime ?? 'unknown' });
  const waiting = await db.query(prepared('SELECT count(*)::int AS n FROM attachments WHERE city_code = $1 AND upload_ref = $2 AND order_id IS NULL',
    [cityCode, upload.uploadRef]));
  if (waiting.rows[0].n >= MAX_PER_SUBMISSION) throw new DomainError('ATTACHMENT_LIMIT', { max: MAX_PER_SUBMISSION });
  await removeUnclaimed(db, store, cityCode, now);
  const id = randomUUID();
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  const key = `${cityCode}/${day}/${id}.${extension}`;
  // the bytes first: a row never names a file that is not there (a file without a row is removed by nobody, but harms nobody)
  await store.put(key, upload.bytes, detected.mime);
  const r = await db.query(prepared(
    `INSERT INTO attachments (id, city_code, upload_ref, name, content_type, size, sha256, storage_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, name, content_type, size, created_at`,
    [id, cityCode, upload.uploadRef, cleanName(upload.name, extension), detected.mime, upload.bytes.length,
      createHash('sha256').update(upload.bytes).digest('hex'), key, now]));
  return toInfo(r.rows[0]);
}

/** Uploads older than a day that no submission claimed: their rows and bytes. */
async function removeUnclaimed(db: Queryable, store: FileStore, cityCode: string, now: Date): Promise<void> {
  // order_id IS NULL again in the DELETE: an upload claimed meanwhile is the order's, and stays
  const gone = await db.query(prepared(`DELETE FROM attachments WHERE city_code = $1 AND order_id IS NULL AND id IN (SELECT id FROM attachments
    WHERE city_code = $1 AND order_id IS NULL AND created_at < $2 LIMIT 100) RETURNING storage_key`,
    [cityCode, new Date(now.getTime() - UNCLAIMED_HOURS * 3_600_000)]));
  await Promise.all(gone.rows.map((r) => store.delete(r.storage_key).catch(() => undefined)));
}

/** Refuses `ids` unless each is an upload made for `uploadRef`, still unclaimed or already this order's (a retry). */
export async function assertUploads(db: Queryable, cityCode: string, uploadRef: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  if (ids.length > MAX_PER_SUBMISSION) throw new DomainError('ATTACHMENT_LIMIT', { max: MAX_PER_SUBMISSION });
  const r = await db.query(prepared('SELECT id FROM attachments WHERE city_code = $1 AND id = ANY($2::uuid[]) AND upload_ref = $3',
    [cityCode, [...ids], uploadRef]));
  const found = new Set(r.rows.map((row) => row.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw new DomainError('ATTACHMENT_NOT_FOUND', { id: missing });
}

/** The uploads `ids` made for `uploadRef` become the order's (again, harmlessly, on a retry). */
export async function claimUploads(db: Queryable, cityCode: string, orderId: string, uploadRef: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(prepared(`UPDATE attachments SET order_id = $2 WHERE city_code = $1 AND id = ANY($3::uuid[]) AND upload_ref = $4
    AND order_id IS NULL`, [cityCode, orderId, [...ids], uploadRef]));
}

/** An order's attachments, oldest first (the caller has checked that the order may be seen). */
export async function attachmentsOf(db: Queryable, cityCode: string, orderId: string): Promise<AttachmentInfo[]> {
  const r = await db.query(prepared(`SELECT id, name, content_type, size, created_at FROM attachments WHERE city_code = $1 AND order_id = $2
    ORDER BY created_at, id`, [cityCode, orderId]));
  return r.rows.map(toInfo);
}

/** One of the order's attachments with its bytes (the caller has checked that the order may be seen). */
export async function readAttachment(db: Queryable, store: FileStore, cityCode: string, orderId: string, id: string):
  Promise<AttachmentInfo & { bytes: Buffer }> {
  const r = await db.query(prepared(`SELECT id, name, content_type, size, created_at, storage_key FROM attachments
    WHERE city_code = $1 AND order_id = $2 AND id = $3`, [cityCode, orderId, id]));
  if (!r.rows[0]) throw new DomainError('ATTACHMENT_NOT_FOUND', { id });
  return { ...toInfo(r.rows[0]), bytes: await store.get(r.rows[0].storage_key) };
}
