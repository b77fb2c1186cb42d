import { isSafeUrl } from '../../src/index.js';

/** Customer-sent URLs: only http(s) (and inline `data:` images we created) ever reach an attribute. */
export function safeHref(url: string | undefined): string | undefined {
  return url && isSafeUrl(url) ? url : undefined;
}

export function safeMediaSrc(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (isSafeUrl(url)) return url;
  return /^data:(image|audio|video)\/[\w.+-]+;base64,/.test(url) ? url : undefined;
}

/** Splits text into plain parts and http(s) links, for rendering as text plus safe anchors. */
export function linkify(text: string): Array<{ text: string; href?: string }> {
  const parts: Array<{ text: string; href?: string }> = [];
  const pattern = /\bhttps?:\/\/[^\s<>"']+/gi;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const url = match[0].replace(/[.,;:!?)]+$/, '');
    const start = match.index!;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push(isSafeUrl(url) ? { text: url, href: url } : { text: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
