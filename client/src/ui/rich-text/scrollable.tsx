import { useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';

/**
 * Whether an element's content is wider than its box. Only then is it a keyboard stop (`tabIndex=0`): a region that
 * scrolls must be reachable from the keyboard, but a formula that fits must not add a Tab stop to every message.
 */
function useOverflows(ref: RefObject<HTMLElement | null>): boolean {
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = (): void => setOverflows(el.scrollWidth > el.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return overflows;
}

/** Display math: wider than a phone, it scrolls sideways inside its own box and never widens the page. */
export function ScrollableMath({ className, children }: { className: string | undefined; children: ReactNode }) {
  const ref = useRef<HTMLSpanElement>(null);
  const overflows = useOverflows(ref);
  return (
    <span ref={ref} className={className} tabIndex={overflows ? 0 : undefined}>
      {children}
    </span>
  );
}

/** A Markdown table, scrolling sideways inside the message when it is wider than the message. */
export function ScrollableTable({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const overflows = useOverflows(ref);
  return (
    <div ref={ref} className="rt-table" tabIndex={overflows ? 0 : undefined}>
      {children}
    </div>
  );
}

/**
 * A paragraph with inline math. KaTeX breaks inline math only between its top-level parts, so one part wider than a
 * phone (a long fraction) would widen the page: such a paragraph scrolls sideways inside the message instead.
 */
export function ScrollableParagraph({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLParagraphElement>(null);
  const overflows = useOverflows(ref);
  return (
    <p ref={ref} dir="auto" className="rt-math-line" tabIndex={overflows ? 0 : undefined}>
      {children}
    </p>
  );
}
