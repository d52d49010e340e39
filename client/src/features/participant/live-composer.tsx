import { useEffect, useRef } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { focusIsFree } from './focus-if-lost.ts';
import { awaitingTurnOf } from '../../store/play-log.ts';
import { Composer } from './composer.tsx';

/** The composer wired to the episode: the draft survives reloads, and focus returns to it when a question arrives. */
export function LiveComposer() {
  const { t } = useTranslation();
  const draft = useAppStore((s) => s.draft);
  const setDraft = useAppStore((s) => s.setDraft);
  const sendReply = useAppStore((s) => s.sendReply);
  const awaiting = useAppStore((s) => awaitingTurnOf(s.playLog.events));
  const sending = useAppStore((s) => s.outbox.length > 0);
  const online = useAppStore((s) => s.connection === 'connected');
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    // A new question: put the caret in the box, unless the actor is busy elsewhere on the page (tagging, reading).
    if (awaiting !== null && focusIsFree()) input.current?.focus();
  }, [awaiting]);

  const canSend = awaiting !== null && !sending;
  const hint = sending
    ? online
      ? t('composer.sending')
      : t('composer.sendWhenBack')
    : awaiting === null
      ? t('composer.waitForQuestion')
      : t('composer.howToSend');

  return (
    <Composer value={draft} onChange={setDraft} onSend={sendReply} canSend={canSend} hint={hint} inputRef={input} />
  );
}
