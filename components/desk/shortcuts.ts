/** What a shortcut does; the desk carries it out. */
export type ShortcutAction = 'next' | 'previous' | 'search' | 'reply' | 'assign' | 'help';

/** The main flow's keys, as Chatwoot and Intercom offer them. Plain keys, never while typing. */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; action: ShortcutAction }> = [
  { keys: ['j'], action: 'next' },
  { keys: ['k'], action: 'previous' },
  { keys: ['/'], action: 'search' },
  { keys: ['r'], action: 'reply' },
  { keys: ['a'], action: 'assign' },
  { keys: ['?'], action: 'help' },
];

/** True when the key went to something a person types into. */
function typing(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type)
  );
}

/** The shortcut a key press asks for, if any. */
export function shortcutFor(event: KeyboardEvent): ShortcutAction | null {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (typing(event)) return null;
  // A dialog that is open keeps its keys.
  if (event.composedPath().some((node) => node instanceof HTMLDialogElement && node.open)) {
    return null;
  }
  return SHORTCUTS.find((s) => s.keys.includes(event.key))?.action ?? null;
}
