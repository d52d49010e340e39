// Entry of the CPU share test's thread: a worker thread does not inherit the test's TypeScript loader.
import { register } from 'tsx/esm/api';

register();
await import('./cpu-share-thread.ts');
