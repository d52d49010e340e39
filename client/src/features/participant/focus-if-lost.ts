/**
 * A callback ref for a page's heading (with tabIndex -1): when the page replaces another without a reload, the
 * control that had focus is gone and focus falls to the body; it lands on the new page's heading instead, so keyboard
 * and screen-reader users start at the top. Focus the person put somewhere else is left alone.
 */
export function focusIfLost(element: HTMLElement | null): void {
  if (element && focusIsFree()) {
    element.dataset['focusLanding'] = 'true';
    element.focus();
  }
}

/**
 * Whether focus is where nobody put it: on the body, or on a heading it was only parked on by focusIfLost. A control
 * that wants focus when it becomes useful (the reply box when a question arrives) may take it then.
 */
export function focusIsFree(): boolean {
  const active = document.activeElement;
  return (
    active === null ||
    active === document.body ||
    (active instanceof HTMLElement && active.dataset['focusLanding'] === 'true')
  );
}
