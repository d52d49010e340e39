import { memo, useCallback, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import type { ActorMessage, QuestionTag } from '../../store/play-log.ts';
import { MessageBubble } from './message-bubble.tsx';
import { QUESTION_TAG_KEYS, QuestionTags } from './question-tags.tsx';
import { TaskCard } from './task-card.tsx';

interface ChatMessageProps {
  message: ActorMessage;
  maxTurns: number;
  speaker: string;
  tag: QuestionTag | null;
}

/** One stored message, drawn by its kind: the task, a model question (taggable), the final answer, a reply. */
export const ChatMessage = memo(function ChatMessage({ message, maxTurns, speaker, tag }: ChatMessageProps) {
  const { t } = useTranslation();
  const tagQuestion = useAppStore((s) => s.tagQuestion);
  const isQuestion = message.role === 'assistant' && message.kind === 'question' && !message.final;
  const onTag = useCallback((turn: number, picked: QuestionTag) => void tagQuestion(turn, picked), [tagQuestion]);
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      // Keys 1–4 tag the question that has focus; typing in the reply box is never intercepted.
      const picked = QUESTION_TAG_KEYS[event.key];
      if (!picked || event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      void tagQuestion(message.turn, picked);
    },
    [tagQuestion, message.turn],
  );

  if (message.kind === 'opening') return <TaskCard text={message.text} speaker={speaker} />;
  if (message.role === 'user')
    return <MessageBubble side="actor" header={t('chat.youAs', { name: speaker })} text={message.text} />;
  // A model may answer before its questions run out (a "question" turn marked final); the engine then still asks it
  // for the final answer, so only that last one is called final (and the chat log drops the early one once it comes).
  const header = isQuestion
    ? t('chat.modelQuestion', { current: message.turn + 1, max: maxTurns })
    : message.kind === 'final_answer'
      ? t('chat.modelFinalAnswer')
      : t('chat.modelAnswer');
  return (
    <MessageBubble
      side="model"
      header={header}
      text={message.text}
      label={
        isQuestion
          ? t('chat.questionLabel', { number: message.turn + 1 })
          : message.kind === 'final_answer'
            ? t('chat.finalAnswerLabel')
            : t('chat.answerLabel')
      }
      onKeyDown={isQuestion ? onKeyDown : undefined}
      footer={isQuestion ? <QuestionTags turn={message.turn} tag={tag} onTag={onTag} /> : undefined}
    />
  );
});
