import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Streams a canned text a few characters at a time, like a model's turn, for the practice round. With
 * prefers-reduced-motion the text appears at once.
 */
export function useFakeStream(): { text: string | null; stream: (full: string, done: () => void) => void } {
  const [text, setText] = useState<string | null>(null);
  const timer = useRef<number | null>(null);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearInterval(timer.current);
    },
    [],
  );

  const stream = useCallback((full: string, done: () => void) => {
    if (timer.current !== null) window.clearInterval(timer.current);
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    let shown = reduced ? full.length : 0;
    setText('');
    // A short pause first, as a real model takes a moment before its first token.
    let wait = reduced ? 0 : 12;
    timer.current = window.setInterval(() => {
      if (wait > 0) {
        wait -= 1;
        return;
      }
      shown = Math.min(full.length, shown + 3);
      setText(full.slice(0, shown));
      if (shown >= full.length) {
        if (timer.current !== null) window.clearInterval(timer.current);
        timer.current = null;
        setText(null);
        done();
      }
    }, 30);
  }, []);

  return { text, stream };
}
