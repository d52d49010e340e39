import type { Command } from 'commander';
import { AgreementSettingsSchema } from '../../shared/schemas/agreement.ts';
import { loadConfig } from '../config.ts';
import { computeAgreementReport } from '../services/agreement/agreement-report.ts';
import { gatherAgreementData } from '../services/agreement/gather.ts';
import { reportText } from '../services/agreement/report-text.ts';
import { commandDatabase, openStorage } from '../open-storage.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { bySchema, databaseOptions } from './cli-options.ts';

interface AgreementOptions {
  study: string;
  json?: boolean;
  db?: string;
  epsilon: number;
  resamples: number;
  seed: number;
}

/** The same settings (and limits) as the researcher console's agreement page. */
const SETTING = AgreementSettingsSchema.shape;
const DEFAULTS = AgreementSettingsSchema.parse({});

export function registerAgreement(program: Command, ctx: CliContext): void {
  const command = program
    .command('agreement')
    .summary('is the judge like a rater, and the simulated user like a person?')
    .description(
      'Is the judge like a rater, and the simulated user like a person? Judge vs human ratings, self-ratings, ' +
        'disclosure and outcome agreement of live vs simulated play, with the human–human ceiling and bootstrap 95% ' +
        'CIs. Computed from the database alone; the same database gives the same report (reportSha256). ' +
        'Exit 0 reported, 1 no such study, 2 usage error.',
    )
    .requiredOption('--study <NAME_OR_ID>', 'the study, by name or id')
    .option('--json', 'print the report as JSON')
    .option('--epsilon <E>', "the Alt-Test's cost–benefit margin ε (0–1)", bySchema(SETTING.epsilon), DEFAULTS.epsilon)
    .option('--resamples <N>', 'bootstrap resamples (1–10000)', bySchema(SETTING.resamples), DEFAULTS.resamples)
    .option('--seed <S>', 'bootstrap seed', bySchema(SETTING.seed), DEFAULTS.seed);
  for (const option of databaseOptions(false)) command.addOption(option);
  command.action(async (options: AgreementOptions) => ctx.exit(await agreement(options, ctx.io)));
}

async function agreement(options: AgreementOptions, io: CliIo): Promise<number> {
  const settings = { epsilon: options.epsilon, resamples: options.resamples, seed: options.seed };
  const storage = await openStorage(commandDatabase(options.db, loadConfig().database), 'tool');
  try {
    const study = (await storage.getStudy(options.study)) ?? (await storage.findStudyByName(options.study));
    if (!study) {
      io.err(`no study with the name or id "${options.study}"`);
      return 1;
    }
    const report = computeAgreementReport(study, await gatherAgreementData(storage, study.id), settings);
    io.out(options.json ? JSON.stringify(report, null, 2) : reportText(report));
    return 0;
  } finally {
    await storage.close();
  }
}
