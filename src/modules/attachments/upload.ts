// Reading the one file of a multipart upload, its failures as the documented errors.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../shared/errors.js';

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 102.4) / 10} MB`;

/** The request's file (ATTACHMENT_MISSING without one), whole in memory, within `maxBytes` (ATTACHMENT_TOO_LARGE). */
export async function uploadedFile(request: FastifyRequest, maxBytes: number): Promise<{ name: string; bytes: Buffer }> {
  try {
    const file = await request.file();
    if (!file) throw new DomainError('ATTACHMENT_MISSING');
    return { name: file.filename, bytes: await file.toBuffer() };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('ATTACHMENT_TOO_LARGE', { max: megabytes(maxBytes) });
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new DomainError('ATTACHMENT_LIMIT', { max: 1 });
    throw error;
  }
}
