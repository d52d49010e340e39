/**
 * The logger services and socket handlers write to: the part of pino's API they use, so Fastify's `app.log` is one
 * as it is, and a test can pass one that captures lines. Context goes in the object (`{ studyId, episodeId }`, `{ err }`
 * for an error, whose stack pino prints), never inside the message text; `child` binds context once for a whole
 * episode or run.
 */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}
