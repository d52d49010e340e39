import { pathToFileURL } from 'node:url';
import { formatIssue } from '../shared/benchmark/issues.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ImportRejectedError } from './services/benchmark/import-benchmark-file.ts';
import { PersonaLibraryError } from './services/persona-library.ts';
import { prepareData } from './services/prepare-data.ts';
import { MigrationError } from './storage/errors.ts';
import { SqliteStorage } from './storage/sqlite/sqlite-storage.ts';

/** Composition root: config → storage → data → app → listen; closes everything on SIGINT/SIGTERM. */
export async function main(): Promise<{ url: string }> {
  const config = loadConfig();
  const storage = SqliteStorage.open({ file: config.databaseFile });
  const app = await buildApp({
    config,
    storage,
    logger: { level: config.logLevel },
  });
  try {
    await prepareData(storage, config, { info: (m) => app.log.info(m) });
  } catch (error) {
    await app.close();
    await storage.close();
    throw error;
  }

  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('127.0.0.1', 'localhost');
  app.log.info(`PrefDisco Live is serving at ${url} (database ${config.databaseFile})`);

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await storage.close();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return { url };
}

/** Start-up failures a person can fix get one clear message on stderr, not a stack trace. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ImportRejectedError) {
    const lines = error.report.issues.filter((i) => i.severity === 'error').slice(0, 20).map((i) => formatIssue(error.report.file, i));
    return `the sample benchmark is invalid:\n  ${lines.join('\n  ')}`;
  }
  if (error instanceof ConfigError || error instanceof PersonaLibraryError || error instanceof MigrationError) return error.message;
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return `${(error as Error).message}: another program is using the port; set PREFDISCO_PORT to another one`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

// Run directly (`tsx server/main.ts`, as `npm run dev` does) rather than imported by the CLI or tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`prefdisco: ${describeStartupError(error)}\n`);
    process.exit(1);
  });
}
