import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startS3StandIn } from '../../testing/s3-stand-in.js';
import { FolderStore, S3Store, type FileStore } from './index.js';

const BYTES = Buffer.from('%PDF-1.4\n一份测试文件\n%%EOF\n');

/** What every store must do, whatever keeps the bytes. */
function behavesAsAStore(name: string, open: () => Promise<{ store: FileStore; close(): Promise<void> }>) {
  describe(`${name} file store`, () => {
    let store: FileStore;
    let close: () => Promise<void>;
    before(async () => ({ store, close } = await open()));
    after(() => close());

    test('keeps bytes under a key, gives them back exactly, and deletes them', async () => {
      await store.put('370100/2026/12/02/a.pdf', BYTES, 'application/pdf');
      assert.deepEqual(await store.get('370100/2026/12/02/a.pdf'), BYTES);
      await store.delete('370100/2026/12/02/a.pdf');
      await assert.rejects(store.get('370100/2026/12/02/a.pdf'));
    });

    test('refuses a key that could name something outside the store', async () => {
      for (const key of ['../escape.pdf', '370100/../../etc/passwd', '/abs.pdf', 'a//b.pdf', 'a/./b.pdf', '']) {
        await assert.rejects(store.put(key, BYTES, 'application/pdf'), /unsafe storage key/, key);
      }
    });
  });
}

behavesAsAStore('folder', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'minsheng-store-'));
  return { store: new FolderStore(root), async close() {
    // a write leaves no temporary file behind
    assert.deepEqual(readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith('.part')), []);
    rmSync(root, { recursive: true, force: true });
  } };
});

behavesAsAStore('S3-compatible', async () => {
  const s3 = await startS3StandIn();
  return { store: new S3Store(s3.settings), close: s3.close };
});

test('the S3 store signs its requests: a wrong secret is refused by the server', async () => {
  const s3 = await startS3StandIn();
  try {
    await assert.rejects(new S3Store({ ...s3.settings, secretAccessKey: 'wrong' }).put('k.pdf', BYTES, 'application/pdf'), /signature/i);
  } finally {
    await s3.close();
  }
});

test("a file is named with its type's extension, without paths or characters that turn text around", async () => {
  const { cleanName } = await import('./service.js');
  assert.equal(cleanName('回复.html', 'jpg'), '回复.jpg');
  assert.equal(cleanName('C:\\Users\\王\\现场照片', 'png'), '现场照片.png');
  assert.equal(cleanName('invoice\u202Egnp.exe', 'pdf'), 'invoicegnp.pdf');
  assert.equal(cleanName('', 'pdf'), 'attachment.pdf');
});
