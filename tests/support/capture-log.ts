import type { Logger } from '../../server/services/logger.ts';

/** A logger that keeps each line's message, so a test can see a failure was logged. */
export function captureLog(lines: string[]): Logger {
  const at = (obj: object | string, msg?: string): void => {
    lines.push(typeof obj === 'string' ? obj : (msg ?? ''));
  };
  const log: Logger = { debug: at, info: at, warn: at, error: at, child: () => log };
  return log;
}
