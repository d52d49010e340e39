// Entry of the agreement report pool's thread (services/agreement/report-pool.ts). The server runs its TypeScript from
// source through tsx, and a worker thread does not inherit the main thread's loader: register tsx here, then load the
// thread's code. piscina calls this module's default export with each task.
import { register } from 'tsx/esm/api';

register();
const thread = await import('./agreement-report-thread.ts');
export default thread.default;
