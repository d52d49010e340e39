import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';

/**
 * Participant components take every text from the message catalog (docs/participant-languages.md); eslint.config.js
 * fails on literals there. Snippets are linted at virtual paths with the project's own config, so a rule that stops
 * matching (a moved folder, a dropped attribute) fails here.
 */

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: PROJECT_ROOT });
});

async function literalErrors(path: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath: join(PROJECT_ROOT, path) });
  const messages = result?.messages ?? [];
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === 'i18next/no-literal-string').map((m) => m.line);
}

const PARTICIPANT = 'client/src/features/participant/example-page.tsx';

describe('no literal participant text (eslint.config.js)', () => {
  it('fails on JSX text and on read or heard attributes in a participant component', async () => {
    const code = [
      "import { useTranslation } from '../../i18n/index.ts';",
      'export function Example() {',
      '  const { t } = useTranslation();',
      '  return (',
      '    <section aria-label="Your task">',
      '      <h2>Rate the answer</h2>',
      '      <input placeholder="Type here" />',
      "      <p title={t('task.title')}>{t('task.label')}</p>",
      '    </section>',
      '  );',
      '}',
      '',
    ].join('\n');
    expect(await literalErrors(PARTICIPANT, code)).toEqual([5, 6, 7]);
  });

  it('leaves layout attributes and the researcher console alone', async () => {
    const layout = [
      'export function Example() {',
      '  return <div role="note" id="x" className="y" data-scale="0" />;',
      '}',
      '',
    ].join('\n');
    expect(await literalErrors(PARTICIPANT, layout)).toEqual([]);
    const consoleCode = ['export function Example() {', '  return <h2>Results</h2>;', '}', ''].join('\n');
    expect(await literalErrors('client/src/features/research/example-page.tsx', consoleCode)).toEqual([]);
  });
});
