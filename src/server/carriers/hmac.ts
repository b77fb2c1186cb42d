/**
 * HMAC-SHA256 with Web Crypto, for the carriers that sign with it (Meta, the simulator).
 * `crypto.subtle.verify` compares in constant time; it runs in Node, Deno and browsers alike.
 */
const encoder = new TextEncoder();

export type HmacKey = Promise<CryptoKey>;

export function hmacKey(secret: string): HmacKey {
  return crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

/** `sha256=<hex>` over `data`. */
export async function signHex(key: HmacKey, data: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(data)));
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Whether `header` is `sha256=<hex>` of `data`; false for anything malformed. */
export async function verifyHex(
  key: HmacKey,
  header: string | undefined,
  data: string,
): Promise<boolean> {
  const hex = /^sha256=((?:[0-9a-f]{2})+)$/i.exec(header ?? '')?.[1];
  if (!hex) return false;
  const digest = Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16));
  return crypto.subtle.verify('HMAC', await key, digest, encoder.encode(data));
}

/** Constant-time equality of two secrets (a verify token): their MACs under a random key. */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const key = hmacKey(crypto.randomUUID());
  const [x, y] = await Promise.all([signHex(key, a), signHex(key, b)]);
  return x === y;
}
