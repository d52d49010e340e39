import Box from '@mui/material/Box';
import { lazy, Suspense } from 'react';

/**
 * The one way model and benchmark text is shown: model answers (also while they stream), tasks, gold answers,
 * rubric texts, transcripts. Markdown with math (KaTeX), sanitized; see `rich-text-renderer.tsx` for what is
 * stripped and why, and docs/live-play.md.
 *
 * The renderer (react-markdown, KaTeX and its CSS) is a chunk of its own, loaded on first use, so a participant's
 * first page stays small. Until it arrives the text is shown as written, with its line breaks.
 */

let loading: Promise<typeof import('./rich-text-renderer.tsx')> | null = null;
const loadRenderer = (): Promise<typeof import('./rich-text-renderer.tsx')> =>
  (loading ??= import('./rich-text-renderer.tsx'));

// If the chunk cannot be downloaded (a flaky phone connection, a release replaced the file), the text stays readable
// as written rather than the page failing.
const Renderer = lazy(() => loadRenderer().catch(() => ({ default: PlainText })));

/** Starts downloading the renderer now (a page that will show model text calls this when it mounts). */
export function preloadRichText(): void {
  loadRenderer().catch(() => undefined);
}

/** `inline`: for short text inside a line or a label (an option, a rubric level, the gold answer). */
export function RichText({ text, inline = false }: { text: string; inline?: boolean }) {
  return (
    <Suspense fallback={<PlainText text={text} inline={inline} />}>
      <Renderer text={text} inline={inline} />
    </Suspense>
  );
}

/** The text as written, while the renderer loads: line breaks kept, direction from its first letters. */
function PlainText({ text, inline = false }: { text: string; inline?: boolean }) {
  return (
    <Box component={inline ? 'span' : 'div'} dir="auto" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text}
    </Box>
  );
}
