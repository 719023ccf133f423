// WeChat's message security for official accounts (公众号), as its documentation defines it:
// - every callback is signed: SHA-1 of the token, the timestamp and the nonce, sorted and joined;
// - in safe mode (安全模式) a message travels encrypted: AES-256-CBC under the key that the 43
//   characters of EncodingAESKey encode (base64 with its "=" left off), the IV being the key's first
//   16 bytes, padded PKCS#7-style to 32-byte blocks (not AES's 16); the plain text is 16 random
//   bytes, the message's length (4 bytes, network order), the message, then the AppID; and it is
//   signed again (msg_signature) with the ciphertext as a fourth part.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../../../shared/errors.js';

const BLOCK = 32;

/** WeChat's `signature` and `msg_signature` (signature.ts). */
export { sha1Signature as wechatSignature, signatureHolds } from '../signature.js';

/** The AES key an EncodingAESKey stands for; null unless it is 43 base64 characters. */
export function aesKeyOf(encodingAesKey: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) return null;
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return key.length === 32 ? key : null;
}

/** The message inside an `Encrypt` value, after checking its padding, its length and that it was sent to `appId`. */
export function decryptMessage(key: Buffer, encrypted: string, appId: string): string {
  const bytes = Buffer.from(encrypted, 'base64');
  if (bytes.length === 0 || bytes.length % BLOCK !== 0) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(bytes), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK || !plain.subarray(plain.length - pad).every((b) => b === pad)) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  const content = plain.subarray(16, plain.length - pad);
  if (content.length < 4) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  const length = content.readUInt32BE(0);
  if (4 + length > content.length) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  if (content.subarray(4 + length).toString('utf8') !== appId) throw new DomainError('WECHAT_APPID_MISMATCH');
  return content.subarray(4, 4 + length).toString('utf8');
}

/** The `Encrypt` value of a message to WeChat: what decryptMessage reads. */
export function encryptMessage(key: Buffer, message: string, appId: string, random: Buffer = randomBytes(16)): string {
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}
