/** Where CLI output goes; tests pass collectors, the bin passes stdout/stderr. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A live progress line (redrawn in place on a terminal); absent in tests and pipes that want none. */
  progress?: { isTTY?: boolean; write(text: string): boolean };
}

/** What a command's action gets: the output, and where to leave its exit code. */
export interface CliContext {
  io: CliIo;
  exit(code: number): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  progress: process.stderr,
};
