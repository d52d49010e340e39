// Entry of the model-call thread (models/threaded/model-thread.ts). The server runs its TypeScript from source through
// tsx, and a worker thread does not inherit the main thread's loader: register tsx here, then load the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./model-thread-main.ts');
