// The file store the configuration names.
import type { Config } from '../../config.js';
import { FolderStore, S3Store, type FileStore } from './store.js';

export function fileStoreFrom(config: Pick<Config, 'attachmentsStore' | 'attachmentsDir' | 's3'>): FileStore {
  return config.attachmentsStore === 's3' && config.s3 ? new S3Store(config.s3) : new FolderStore(config.attachmentsDir);
}
