import { normalizeProblem } from '../../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import { probeImage, type ImageFile } from '../benchmark/image-file.ts';

/** A record `run --image` leaves out, and why (written to the failures file). */
export interface ImageSkip {
  record: BenchmarkRecord;
  reason: string;
}

/** The records of an `--image` run, each with its image, and the records left out. */
export interface ImageSelection {
  files: ReadonlyMap<BenchmarkRecord, ImageFile>;
  skipped: ImageSkip[];
}

/**
 * `prefdisco run --image`, as the reference's `--image`: only records with an image are evaluated (the reference
 * `continue`s past the others after drawing its sample, so the sample is drawn from every record here too). A record
 * whose image cannot be found or is in no format a chat API takes is left out as well: the reference's episode would
 * fail on it and be skipped.
 */
export async function selectImageRecords(
  records: readonly BenchmarkRecord[],
  benchmarkDir: string,
): Promise<ImageSelection> {
  const files = new Map<BenchmarkRecord, ImageFile>();
  const skipped: ImageSkip[] = [];
  for (const record of records) {
    const image = normalizeProblem(record).image;
    if (image === null) {
      skipped.push({ record, reason: 'the record has no image (--image evaluates only records with one)' });
      continue;
    }
    const probe = await probeImage(benchmarkDir, image);
    if (probe.ok) files.set(record, probe.file);
    else skipped.push({ record, reason: probe.reason });
  }
  return { files, skipped };
}
