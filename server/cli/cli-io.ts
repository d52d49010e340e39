/** Where CLI output goes; tests pass collectors, the bin passes stdout/stderr. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
