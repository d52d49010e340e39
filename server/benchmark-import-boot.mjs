// Entry of the benchmark import pool's thread (services/benchmark/benchmark-imports.ts). The server runs its TypeScript
// from source through tsx, and a worker thread does not inherit the main thread's loader: register tsx here, then load
// the thread's code. piscina calls this module's default export with each task.
import { register } from 'tsx/esm/api';

register();
const thread = await import('./benchmark-import-thread.ts');
export default thread.default;
