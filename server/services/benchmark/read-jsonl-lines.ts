import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Lines longer than this are reported, not parsed (a malformed file must not exhaust memory). */
export const DEFAULT_MAX_LINE_BYTES = 5 * 1024 * 1024;

export type JsonlLine =
  | { line: number; kind: 'text'; text: string }
  | { line: number; kind: 'too_long'; bytes: number }
  | { line: number; kind: 'not_utf8'; offset: number };

const NEWLINE = 0x0a;

/** Index of the first byte at which `bytes` stops being valid UTF-8 (for a message that says where). */
function firstInvalidUtf8Offset(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      decoder.decode();
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/**
 * Streams a file as numbered lines. Decodes strictly as UTF-8, strips a BOM and a trailing CR, and never holds more
 * than one line (capped at `maxLineBytes`) in memory. `digest` receives the SHA-256 of the whole file at the end, so
 * an import can be recognised when it is repeated.
 */
export async function* readJsonlLines(
  path: string,
  options: { maxLineBytes?: number; onDigest?: (sha256: string, bytes: number) => void } = {},
): AsyncGenerator<JsonlLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overflowBytes = 0;
  let lineNo = 0;
  let totalBytes = 0;

  const finish = (): JsonlLine => {
    lineNo += 1;
    if (overflowBytes > 0) {
      const bytes = overflowBytes;
      overflowBytes = 0;
      parts = [];
      partBytes = 0;
      return { line: lineNo, kind: 'too_long', bytes };
    }
    let bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, partBytes);
    parts = [];
    partBytes = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    try {
      let text = decoder.decode(bytes);
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      return { line: lineNo, kind: 'text', text };
    } catch {
      return { line: lineNo, kind: 'not_utf8', offset: firstInvalidUtf8Offset(bytes) };
    }
  };

  const take = (piece: Buffer): void => {
    if (overflowBytes > 0) {
      overflowBytes += piece.length;
    } else if (partBytes + piece.length > maxLineBytes) {
      overflowBytes = partBytes + piece.length;
      parts = [];
      partBytes = 0;
    } else if (piece.length > 0) {
      // Copy: the stream may reuse its chunk buffer.
      parts.push(Buffer.from(piece));
      partBytes += piece.length;
    }
  };

  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    hash.update(buf);
    totalBytes += buf.length;
    let start = 0;
    let nl = buf.indexOf(NEWLINE, start);
    while (nl !== -1) {
      take(buf.subarray(start, nl));
      yield finish();
      start = nl + 1;
      nl = buf.indexOf(NEWLINE, start);
    }
    take(buf.subarray(start));
  }
  if (partBytes > 0 || overflowBytes > 0) yield finish();
  options.onDigest?.(hash.digest('hex'), totalBytes);
}
