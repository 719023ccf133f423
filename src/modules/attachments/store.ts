// Where attachments' bytes live, behind one interface: a folder (the default, beside the embedded
// database) or S3-compatible object storage (MinIO, Ceph, a cloud's), chosen by ATTACHMENTS_STORE.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface FileStore {
  /** what the store is, for the health check and the logs (never a secret) */
  readonly describe: string;
  /** writes the bytes under `key` (a path of safe segments); done when they are durable */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

/** A key is segments of letters, digits, dashes and dots, never `..`: it can name nothing outside the store. */
const SAFE_KEY = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
function checked(key: string): string {
  if (!SAFE_KEY.test(key) || key.split('/').some((s) => s === '..' || s === '.')) throw new Error(`unsafe storage key: ${key}`);
  return key;
}

/** Files in a folder, each written to a temporary name, synced, then renamed: a crash leaves the whole file or none. */
export class FolderStore implements FileStore {
  readonly describe: string;
  constructor(private readonly root: string) {
    this.describe = `folder ${root}`;
  }
  private pathOf(key: string) {
    return path.join(this.root, ...checked(key).split('/'));
  }
  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.part`;
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, target);
  }
  get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }
  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

export interface S3Settings {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** bucket in the path (MinIO and most self-hosted stores) rather than in the host name */
  forcePathStyle: boolean;
}

/** Objects in a bucket of S3-compatible storage (AWS Signature V4, through the AWS SDK). */
export class S3Store implements FileStore {
  readonly describe: string;
  private readonly client: S3Client;
  constructor(private readonly s3: S3Settings) {
    this.describe = `s3 ${s3.endpoint}/${s3.bucket}`;
    this.client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: s3.forcePathStyle,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  }
  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.s3.bucket, Key: checked(key), Body: bytes, ContentType: contentType,
      ContentLength: bytes.length }));
  }
  async get(key: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.s3.bucket, Key: checked(key) }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.s3.bucket, Key: checked(key) }));
  }
}
