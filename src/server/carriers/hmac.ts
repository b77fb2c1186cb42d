/**
 * HMAC-SHA256 with node:crypto, for the carriers that sign with it (Meta, the simulator).
 * Synchronous: a webhook's check is one small hash, and Web Crypto's promise and thread-pool hop
 * cost more than the hash itself (about 8 % of the server's CPU in the webhook bench).
 * `timingSafeEqual` compares in constant time.
 */
import {
  createHmac,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

/** The key's bytes: `createHmac` takes a Buffer about a fifth faster than a KeyObject. */
export type HmacKey = Buffer | KeyObject;

export function hmacKey(secret: string): HmacKey {
  return Buffer.from(secret, 'utf8');
}

const mac = (key: HmacKey, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `sha256=<hex>` over `data`. */
export function signHex(key: HmacKey, data: string): string {
  return `sha256=${mac(key, data).toString('hex')}`;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** Whether `header` is `sha256=<hex>` of `data`; false for anything malformed. */
export function verifyHex(key: HmacKey, header: string | undefined, data: string): boolean {
  const hex = SIGNATURE.exec(header ?? '')?.[1];
  if (!hex) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), mac(key, data));
}

/** Constant-time equality of two secrets (a verify token): their MACs under a random key. */
export function sameSecret(a: string, b: string): boolean {
  const key = createSecretKey(randomBytes(32));
  return timingSafeEqual(mac(key, a), mac(key, b));
}
