import { renderToStaticMarkup } from 'react-dom/server';
import { expect, it } from 'vitest';
import { ActionNotice } from '../../client/src/features/participant/action-notice.tsx';

/** The markup without the stylesheet Emotion writes beside it in server rendering. */
const html = (node: React.ReactElement): string =>
  renderToStaticMarkup(node).replace(/<style data-emotion[^>]*>[^<]*<\/style>/g, '');

it('an action notice is an info note carrying its text and one button with the action', () => {
  const markup = html(
    <ActionNotice action="Show my completion page" onAction={() => undefined}>
      The task is over.
    </ActionNotice>,
  );
  expect(markup).toMatch(/^<div[^>]* role="note"/);
  expect(markup).toMatch(/MuiAlert-[a-zA-Z]*[iI]nfo/);
  expect(markup).toContain('The task is over.');
  expect(markup.match(/<button/g)).toHaveLength(1);
  expect(markup).toMatch(/<button[^>]*>Show my completion page/);
});
