// Entry of the job lease test's thread: a worker thread does not inherit the test's TypeScript loader.
import { register } from 'tsx/esm/api';

register();
await import('./stalled-job-thread.ts');
