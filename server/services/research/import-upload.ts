import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ValidationIssue } from '../../../shared/benchmark/issues.ts';
import type { ImportOutcome } from '../../../shared/schemas/study.ts';
import type { Storage } from '../../storage/storage.ts';
import { type BenchmarkImports, inProcessBenchmarkImports } from '../benchmark/benchmark-imports.ts';
import { ImportRejectedError } from '../benchmark/import-benchmark-file.ts';
import { AppError } from '../../../shared/errors.ts';
import { createUploadDir, removeUploadDir } from './upload-temp.ts';

const MB = 1024 * 1024;
/** Largest benchmark file accepted over HTTP (the released benchmark's splits are far smaller). */
export const IMPORT_BODY_LIMIT = 512 * MB;
/** Issues listed in a response; the counts cover all of them. */
export const MAX_LISTED_ISSUES = 500;

export type ImportUploadResult =
  | { kind: 'imported'; outcome: ImportOutcome; recordCount: number; warningCount: number; warnings: ValidationIssue[] }
  | {
      kind: 'invalid';
      errorCount: number;
      warningCount: number;
      recordCount: number;
      lineCount: number;
      /** The first MAX_LISTED_ISSUES issues, errors before warnings, each in line order. */
      issues: ValidationIssue[];
    };

export interface ImportUploadOptions {
  study: string;
  skipImages: boolean;
  /** The name the file is stored under in the study; a fixed name otherwise. */
  filename?: string | undefined;
  limit?: number;
  /** The folder the upload waits in while it is checked (tests); the system temp folder by default. */
  tempRoot?: string;
  /** Where the file is validated and stored: the server's import thread; on the calling thread by default. */
  imports?: BenchmarkImports;
}

/** Counts bytes on their way to disk and stops the upload once it passes the limit. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit)
        callback(
          new AppError(
            'payload_too_large',
            `the file is larger than ${limit >= MB ? `${Math.round(limit / MB)} MB` : `${limit} bytes`}`,
          ),
        );
      else callback(null, chunk);
    },
  });
}

function listed(issues: ValidationIssue[]): ValidationIssue[] {
  const ordered = [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity === 'warning')];
  // The validator speaks to CLI users; over HTTP the same switch is a query parameter.
  return ordered.slice(0, MAX_LISTED_ISSUES).map(({ severity, code, line, path, message }) => ({
    severity,
    code,
    line,
    path,
    message: message.replace('--skip-images', 'skipImages=1'),
  }));
}

/**
 * Imports a benchmark file sent as a request body. The body is streamed to a temporary file (a 500 MB file never sits
 * in memory), validated and imported by the same code as `prefdisco import` (in the server, on the import thread:
 * benchmark-imports.ts), and the file is deleted whatever happens
 * (if the process dies meanwhile, the next start-up removes it: upload-temp.ts). Nothing is stored unless the whole
 * file is valid.
 */
export async function importUpload(
  storage: Storage,
  body: Readable | null,
  options: ImportUploadOptions,
): Promise<ImportUploadResult> {
  const dir = await createUploadDir(options.tempRoot);
  const file = join(dir, options.filename ?? 'upload.jsonl');
  try {
    try {
      await pipeline(body ?? Readable.from([]), byteLimit(options.limit ?? IMPORT_BODY_LIMIT), createWriteStream(file));
    } catch (error) {
      if (error instanceof AppError) throw error;
      // The browser went away or the connection broke mid-upload: nothing was imported.
      throw new AppError('upload_failed', 'the upload did not complete; nothing was imported');
    }
    const imports = options.imports ?? inProcessBenchmarkImports(storage);
    const { outcome, report } = await imports.importFile(file, {
      study: options.study,
      skipImages: options.skipImages,
    });
    const warnings = report.issues.filter((i) => i.severity === 'warning');
    return {
      kind: 'imported',
      outcome,
      recordCount: report.recordCount,
      warningCount: warnings.length,
      warnings: listed(warnings),
    };
  } catch (error) {
    if (error instanceof ImportRejectedError) {
      const r = error.report;
      return {
        kind: 'invalid',
        errorCount: r.errorCount,
        warningCount: r.warningCount,
        recordCount: r.recordCount,
        lineCount: r.lineCount,
        issues: listed(r.issues),
      };
    }
    // Storage refusals (a problem_id already in the study with different content: `conflict`, saying which line) pass
    // on as they are.
    throw error;
  } finally {
    await removeUploadDir(dir);
  }
}
