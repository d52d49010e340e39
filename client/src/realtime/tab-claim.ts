import { request } from './socket.ts';

/**
 * This page's claim on the participant's task (shared/protocol/tabs.ts). The tab id is made when the page loads and
 * lives only in its memory: a reconnect of this page is the same tab, while a second tab (or a duplicated one, which
 * copies sessionStorage) is another.
 */
function newTabId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const TAB_ID = newTabId();

/**
 * Claims the task for this tab; `takeOver` when the person chose to continue here. A claim that gets no answer (too
 * slow, connection gone) counts as active: the server stays the judge, since it refuses a tab another one took over.
 */
export async function claimTab(takeOver: boolean): Promise<'active' | 'open_elsewhere'> {
  const r = await request('session:claim', { tabId: TAB_ID, takeOver });
  return r.ok ? r.data.state : 'active';
}
