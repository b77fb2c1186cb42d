/**
 * N1: a badge with the unseen count over the page's favicon. The icon is an SVG data URL built
 * from the count only (a number), so nothing untrusted goes into it; the page's own icon is put
 * back when the count clears.
 */
export class FaviconBadge {
  #link: HTMLLinkElement | null = null;
  /** The page's icon link before the badge, and its href; null when the desk created the link. */
  #original: { link: HTMLLinkElement; href: string } | null = null;
  #written: string | null = null;

  show(count: number): void {
    const href = badgeIcon(count);
    if (href === this.#written && this.#link?.isConnected) return;
    let link = this.#link;
    if (!link?.isConnected) {
      const existing = document.head.querySelector<HTMLLinkElement>('link[rel~="icon"]');
      if (existing) {
        this.#original = { link: existing, href: existing.getAttribute('href') ?? '' };
        link = existing;
      } else {
        link = document.createElement('link');
        link.rel = 'icon';
        document.head.append(link);
        this.#original = null;
      }
      this.#link = link;
    }
    link.type = 'image/svg+xml';
    link.href = href;
    this.#written = href;
  }

  clear(): void {
    const link = this.#link;
    if (link && link.getAttribute('href') === this.#written) {
      if (this.#original) {
        link.removeAttribute('type');
        link.setAttribute('href', this.#original.href);
      } else link.remove();
    }
    this.#link = null;
    this.#original = null;
    this.#written = null;
  }
}

/** A red dot with the count ("9+" past nine), as an SVG data URL. */
export function badgeIcon(count: number): string {
  const label = count > 9 ? '9+' : String(Math.max(1, Math.floor(count)));
  const size = label.length > 1 ? 30 : 36;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="#1f6feb"/>` +
    `<path d="M16 20h32v20H30l-8 8v-8h-6z" fill="#fff"/>` +
    `<circle cx="46" cy="18" r="18" fill="#d1242f"/>` +
    `<text x="46" y="${18 + size / 3}" font-family="sans-serif" font-size="${size}" ` +
    `font-weight="700" text-anchor="middle" fill="#fff">${label}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
