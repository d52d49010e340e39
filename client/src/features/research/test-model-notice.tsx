import Alert from '@mui/material/Alert';

/** The notice's words: names the offline test model(s) behind the numbers, or null when there are none. */
export function testModelNoticeText(models: readonly string[]): string | null {
  if (models.length === 0) return null;
  const names = models.join(', ');
  return (
    `These numbers rest on ${names}, the offline test model${models.length === 1 ? '' : 's'}: canned answers and ` +
    'judgments for trying the app. They are for demos and tests, never research results.'
  );
}

/** A visible warning above numbers that come (in part) from the offline test model; nothing when none do. */
export function TestModelNotice({ models }: { models: readonly string[] }) {
  const text = testModelNoticeText(models);
  return text === null ? null : (
    <Alert severity="warning" role="note" aria-label="Offline test model">
      {text}
    </Alert>
  );
}
