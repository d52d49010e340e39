import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import type { AppState } from '../../store/types.ts';
import { MessageBubble } from './message-bubble.tsx';
import { streamView } from './visible-text.ts';

/** Whether the model's next turn is due: the person's words are stored last (a reply still being sent is not) and
 * the episode goes on. */
function modelIsDue(s: AppState): boolean {
  if (s.episodeStatus !== 'running' || s.playPhase !== 'playing') return false;
  for (let i = s.playLog.events.length - 1; i >= 0; i--) {
    const e = s.playLog.events[i];
    if (e?.type === 'message') return e.role === 'user';
  }
  return false;
}

/**
 * The model's turn as it streams. The only component that re-renders per token; it appears (with dots) as soon as
 * the turn is due, so the space for it is already there when the first token arrives.
 */
export function StreamingBubble() {
  const { t } = useTranslation();
  const raw = useAppStore((s) => s.playLog.streaming?.text ?? null);
  const due = useAppStore(modelIsDue);
  const asked = useAppStore((s) => s.playLog.assistantCount);
  const maxTurns = useAppStore((s) => s.episode?.maxTurns ?? 0);
  if (raw === null && !due) return null;
  const view = streamView(raw ?? '');
  // After the last allowed question the engine asks for the final answer, whatever the model would do.
  const final = view.final ?? (asked >= maxTurns ? true : null);
  const header =
    final === true
      ? t('chat.modelFinalAnswer')
      : final === false
        ? t('chat.modelQuestion', { current: asked + 1, max: maxTurns })
        : t('chat.modelWritingHeader');
  return <MessageBubble side="model" header={header} text={view.text} streaming label={t('chat.modelWriting')} />;
}
