import { attack } from '../../tests/support/fuzz/fuzz-flood.ts';

// The fuzz bench's attacker, in its own process so that its work (sending 10 MB bodies) is not counted against the
// server's /api/health answers: FLOOD_URL and FLOOD_MS from the bench; the result goes back over IPC.
const url = process.env['FLOOD_URL'] ?? '';
const durationMs = Number(process.env['FLOOD_MS'] ?? '10000');
const result = await attack(url, { deepStreams: 3, slowBodies: 200, durationMs });
process.send?.(result, () => process.disconnect());
