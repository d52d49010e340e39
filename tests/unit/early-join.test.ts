import { afterEach, describe, expect, it, vi } from 'vitest';
import { startJoinEarly, takeEarlyJoin } from '../../client/src/app/early-join.ts';

/** The address the tab was opened at: early-join.ts reads only window.location's pathname and search. */
function openAt(pathname: string, search = ''): void {
  vi.stubGlobal('window', { location: { pathname, search } });
}

afterEach(() => {
  takeEarlyJoin('');
  vi.unstubAllGlobals();
});

describe('the join started before the first render', () => {
  it('starts on an invitation link with its code and Prolific ids, and the join page takes it over once', () => {
    openAt('/join/AbC-12', '?PROLIFIC_PID=5f0c&STUDY_ID=s1&other=x');
    const join = vi.fn(() => Promise.resolve());
    startJoinEarly(join);
    expect(join).toHaveBeenCalledTimes(1);
    expect(join).toHaveBeenCalledWith('AbC-12', { PROLIFIC_PID: '5f0c', STUDY_ID: 's1' });
    expect(takeEarlyJoin('other-code')).toBe(false);
    // Asked with another code, the early join is forgotten: a later mount of the join page joins by itself.
    expect(takeEarlyJoin('AbC-12')).toBe(false);
  });

  it('is taken over exactly once by the join page of the same code', () => {
    openAt('/join/AbC-12');
    startJoinEarly(() => Promise.resolve());
    expect(takeEarlyJoin('AbC-12')).toBe(true);
    // Coming back to the join page later (Back, a remount) joins as before.
    expect(takeEarlyJoin('AbC-12')).toBe(false);
  });

  it('does nothing on the other pages', () => {
    const join = vi.fn(() => Promise.resolve());
    for (const path of ['/play', '/rate', '/done', '/', '/studies/x']) {
      openAt(path);
      startJoinEarly(join);
    }
    expect(join).not.toHaveBeenCalled();
    expect(takeEarlyJoin('play')).toBe(false);
  });
});
