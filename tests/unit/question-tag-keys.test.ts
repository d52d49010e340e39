import { describe, expect, it } from 'vitest';
import {
  QUESTION_TAG_KEYS,
  tagForKey,
  type TagKeyPress,
} from '../../client/src/features/participant/question-tags.tsx';

const question = { id: 'question' };
const press = (key: string, more: Partial<TagKeyPress> = {}): TagKeyPress => ({
  key,
  target: question,
  currentTarget: question,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  ...more,
});

describe('keys 1–4 on a focused question', () => {
  it('map to the four tags in their order, and nothing else does', () => {
    expect(['1', '2', '3', '4'].map((k) => tagForKey(press(k)))).toEqual([
      'relevant',
      'redundant',
      'premature',
      'off_persona',
    ]);
    expect(Object.keys(QUESTION_TAG_KEYS)).toEqual(['1', '2', '3', '4']);
    for (const key of ['0', '5', 'a', 'Enter', ' ']) expect(tagForKey(press(key))).toBeNull();
  });

  it('count only when pressed on the question itself and without a modifier', () => {
    // A key meant for one of the tag buttons inside the question, or a browser shortcut, is left alone.
    expect(tagForKey(press('2', { target: { id: 'button inside' } }))).toBeNull();
    expect(tagForKey(press('2', { ctrlKey: true }))).toBeNull();
    expect(tagForKey(press('2', { altKey: true }))).toBeNull();
    expect(tagForKey(press('2', { metaKey: true }))).toBeNull();
    expect(tagForKey(press('2'))).toBe('redundant');
  });
});
