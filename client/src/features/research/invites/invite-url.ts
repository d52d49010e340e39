/**
 * Prolific replaces these placeholders with the participant's ids; the join page passes them on (docs/security.md).
 * They are written literally, braces and all, as Prolific's study setup expects.
 */
export const PROLIFIC_QUERY = 'PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}';

/** The link to paste into Prolific: this server's address, the invite path, and the Prolific parameters. */
export function inviteUrl(path: string, origin: string = window.location.origin): string {
  return `${origin}${path}?${PROLIFIC_QUERY}`;
}

/** Copies text; false when the browser refuses (no permission, not a secure context), so the page can say so. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
