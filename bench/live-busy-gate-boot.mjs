// Entry of bench/live-busy-gate.ts's background writer thread: a worker thread does not inherit tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./live-busy-gate-writer.ts');
