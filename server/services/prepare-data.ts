import type { Config } from '../config.ts';
import type { Storage } from '../storage/storage.ts';
import { importBenchmarkFile } from './benchmark/import-benchmark-file.ts';
import type { Logger } from './logger.ts';
import { loadPersonaLibrary } from './persona-library.ts';
import { chooseImportOwner } from './access/import-owner.ts';
import { ownNewStudy } from './access/study-access.ts';

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
  log: Pick<Logger, 'info'>,
): Promise<PreparedData> {
  const library = await loadPersonaLibrary(config.personasDir);
  const personas = await storage.syncPersonaLibrary(library);
  log.info({ personas: library.length, added: personas.added, updated: personas.updated }, 'persona library synced');

  let sampleImported: number | null = null;
  if (config.seedSample && (await storage.listStudies()).length === 0) {
    const { outcome } = await importBenchmarkFile(storage, config.sampleFile, { study: config.sampleStudy });
    sampleImported = outcome.recordsAdded;
    // Owned as a CLI import is: by the only account if there is one, else by the first account made.
    const owner = await chooseImportOwner(storage, undefined);
    if (owner.kind === 'owner') await ownNewStudy(storage, outcome.studyId, owner.researcherId);
    // The person starting a fresh server reads this line: it names the study they will find.
    log.info(
      { study: config.sampleStudy, records: outcome.recordsAdded },
      `empty database: imported the sample benchmark as study "${config.sampleStudy}" (${outcome.recordsAdded} records)`,
    );
  }
  return { personas, sampleImported };
}
