// A local S3-compatible server (s3rver, which checks AWS Signature V4 as S3 does), for the tests of
// the S3 file store: object storage replaced at its boundary, by something that speaks its protocol.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import type { S3Settings } from '../modules/attachments/index.js';

export async function startS3StandIn(bucket = 'minsheng'): Promise<{ settings: S3Settings; close(): Promise<void> }> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'minsheng-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    // s3rver's own fixed credentials; a wrong secret is refused (signatures are checked)
    settings: { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
