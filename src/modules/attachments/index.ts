// Attachments: files sent with a request, their store (a folder or S3-compatible storage).
export type { FileStore, S3Settings } from './store.js';
export { FolderStore, S3Store } from './store.js';
export type { AttachmentInfo } from './service.js';
export { ACCEPTED_TYPES, MAX_PER_SUBMISSION, acceptUpload, assertUploads, claimUploads, attachmentsOf, readAttachment } from './service.js';
export { fileStoreFrom } from './from-config.js';
export { uploadedFile } from './upload.js';
