import { describe, expect, it } from 'vitest';
import { setupTokenFrom } from '../../client/src/features/auth/setup-link.ts';

describe('the setup link’s token, as the setup page reads it', () => {
  it('comes from #token= (or ?token=), and is absent otherwise', () => {
    expect(setupTokenFrom({ hash: '#token=abc_DEF-123', search: '' })).toBe('abc_DEF-123');
    expect(setupTokenFrom({ hash: '', search: '?token=from-query' })).toBe('from-query');
    expect(setupTokenFrom({ hash: '#token=in-hash', search: '?token=in-query' })).toBe('in-hash');
    expect(setupTokenFrom({ hash: '', search: '' })).toBeNull();
    expect(setupTokenFrom({ hash: '#token=', search: '' })).toBeNull();
    expect(setupTokenFrom({ hash: '#other=1', search: '?PROLIFIC_PID=x' })).toBeNull();
  });
});
