import { isDeskError, validateMedia, type Channel, type Media } from '../../src/index.js';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './compose.strings.js';

const MB = 1024 * 1024;

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/**
 * Media: type, size and count are checked (by the SDK's rule) before a file is read; a rejected
 * file stays out and says why.
 */
export async function readFiles(
  t: LocalizeController<typeof en>,
  channel: Channel,
  attached: readonly Media[],
  files: readonly File[],
): Promise<{ accepted: Media[]; problems: string[] }> {
  const channelName = t.term(channel);
  const problems: string[] = [];
  const accepted: Media[] = [];
  for (const file of files) {
    const type = file.type.split(';')[0]!.trim().toLowerCase();
    const candidate: Media = { url: '', mimeType: type, fileName: file.name, size: file.size };
    try {
      validateMedia(channel, [...attached, ...accepted, candidate]);
    } catch (error) {
      if (!isDeskError(error)) throw error;
      problems.push(mediaProblem(t, error.details, file.name, channelName));
      if ('maxFiles' in error.details) break;
      continue;
    }
    try {
      // data: URLs, not object URLs, so a queued message still has its file after a reload.
      accepted.push({ ...candidate, url: await readAsDataUrl(file) });
    } catch {
      problems.push(t.term('mediaUnreadable', file.name));
    }
  }
  return { accepted, problems };
}

/** A translated reason for a `media_rejected` refusal, from its details. */
function mediaProblem(
  t: LocalizeController<typeof en>,
  details: Record<string, unknown>,
  fileName: string,
  channelName: string,
): string {
  if (typeof details['maxFiles'] === 'number') return t.term('mediaCount', details['maxFiles']);
  if (typeof details['maxSize'] === 'number') {
    return t.term(
      'mediaSize',
      fileName,
      t.term('megabytes', Math.round((details['maxSize'] / MB) * 10) / 10),
    );
  }
  if ('size' in details) return t.term('mediaEmpty', fileName);
  return t.term('mediaType', fileName, channelName);
}
