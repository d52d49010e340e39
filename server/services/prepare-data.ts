import type { Config } from '../config.ts';
import type { Storage } from '../storage/storage.ts';
import { importBenchmarkFile } from './benchmark/import-benchmark-file.ts';
import { loadPersonaLibrary } from './persona-library.ts';

export interface PrepareLog {
  info(message: string): void;
}

export interface PreparedData {
  personas: { added: number; updated: number; unchanged: number };
  sampleImported: number | null;
}

/**
 * Start-up data work: validate and sync the persona library (an invalid file stops start-up), and on an empty
 * database import the shipped sample benchmark so a fresh `npm start` shows something real.
 */
export async function prepareData(
  storage: Storage,
  config: Pick<Config, 'personasDir' | 'seedSample' | 'sampleFile' | 'sampleStudy'>,
  log: PrepareLog,
): Promise<PreparedData> {
  const library = await loadPersonaLibrary(config.personasDir);
  const personas = await storage.syncPersonaLibrary(library);
  log.info(`persona library: ${library.length} personas (${personas.added} added, ${personas.updated} updated)`);

  let sampleImported: number | null = null;
  if (config.seedSample && (await storage.listStudies()).length === 0) {
    const { outcome } = await importBenchmarkFile(storage, config.sampleFile, { study: config.sampleStudy });
    sampleImported = outcome.recordsAdded;
    log.info(
      `empty database: imported the sample benchmark as study "${config.sampleStudy}" (${outcome.recordsAdded} records)`,
    );
  }
  return { personas, sampleImported };
}
