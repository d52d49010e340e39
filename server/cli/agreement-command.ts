import { parseArgs } from 'node:util';
import { AgreementSettingsSchema } from '../../shared/schemas/agreement.ts';
import { loadConfig } from '../config.ts';
import { computeAgreementReport } from '../services/agreement/agreement-report.ts';
import { gatherAgreementData } from '../services/agreement/gather.ts';
import { reportText } from '../services/agreement/report-text.ts';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';

/** `prefdisco agreement --study NAME_OR_ID [--json] [--db PATH] [--epsilon 0.1] [--resamples 1000] [--seed 42]` */
export async function agreementCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      study: { type: 'string' },
      json: { type: 'boolean', default: false },
      db: { type: 'string' },
      epsilon: { type: 'string' },
      resamples: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`agreement takes no positional arguments (got "${positionals[0]}")`);
  if (!values.study) throw new UsageError('agreement needs --study NAME_OR_ID');
  const parsed = AgreementSettingsSchema.safeParse({
    epsilon: values.epsilon,
    resamples: values.resamples,
    seed: values.seed,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${String(issue?.path[0] ?? 'option')}: ${issue?.message ?? 'invalid value'}`);
  }

  const storage = SqliteStorage.open({ file: values.db ?? loadConfig().databaseFile });
  try {
    const study = (await storage.getStudy(values.study)) ?? (await storage.findStudyByName(values.study));
    if (!study) {
      io.err(`no study with the name or id "${values.study}"`);
      return 1;
    }
    const report = computeAgreementReport(study, await gatherAgreementData(storage, study.id), parsed.data);
    io.out(values.json ? JSON.stringify(report, null, 2) : reportText(report));
    return 0;
  } finally {
    await storage.close();
  }
}
