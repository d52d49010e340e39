import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInResearcher } from '../support/auth-helpers.ts';
import { exampleRecord } from '../support/records.ts';
import { jsonl, tempDir } from '../support/temp-files.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// A researcher uploading a benchmark must not learn which files exist on the server through `image` paths.
const dir = tempDir();
let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await startTestApp(dir);
  cookie = (await signInResearcher(t)).cookie;
});
afterAll(async () => {
  await t.close();
});

async function uploadWithImage(image: string, study: string) {
  const record = exampleRecord(0);
  record.original_problem.image = image;
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/studies/import?study=${encodeURIComponent(study)}`,
    payload: jsonl([record]),
    headers: { 'content-type': 'application/x-ndjson', cookie },
  });
  // The only difference allowed is the path the researcher sent, echoed back.
  return { status: res.statusCode, body: res.body.split(JSON.stringify(image).slice(1, -1)).join('<image>') };
}

describe('image paths in an uploaded benchmark', () => {
  it('an existing server file and a missing one get the same answer', async () => {
    const answers = [];
    for (const image of ['/etc/passwd', '/etc/no-such-file-here', '../../../../../../etc/hostname', 'images/x.png'])
      answers.push(await uploadWithImage(image, `Probe ${answers.length}`));
    expect(answers[0]?.status).toBe(422);
    expect(answers[0]?.body).toContain('not found in the images/ folder next to the benchmark');
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect((await t.storage.listStudies()).map((s) => s.name)).toEqual(['Sample benchmark']);
  });
});
