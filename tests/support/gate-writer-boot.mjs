// Entry of the write-gate test's background thread: a worker thread does not inherit the test's TypeScript loader.
import { register } from 'tsx/esm/api';

register();
await import('./gate-writer-thread.ts');
