import type { SxProps, Theme } from '@mui/material/styles';

const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';

/**
 * How rendered text sits in a bubble or card: compact paragraph spacing, and nothing that can be wider than the
 * message. Code wraps (it is read, not copied into a terminal); display math and tables scroll inside their own box.
 */
export const richTextStyles: SxProps<Theme> = {
  minWidth: 0,
  // Callers' boxes often keep line breaks (pre-wrap) for plain text; here Markdown decides where lines break.
  whiteSpace: 'normal',
  overflowWrap: 'anywhere',
  // A single line break in a model's answer or a benchmark task (lab values, one per line) is meant as one.
  '& p': { my: 0.75, whiteSpace: 'pre-line' },
  // A paragraph with inline math scrolls sideways when a formula is wider than the message (scrollable.tsx). Its
  // padding keeps math that reaches below the line (a denominator on the last line) from being clipped by the scroll
  // box, and stands in for the margin.
  '& .rt-math-line': { my: 0, py: '0.25em', overflowX: 'auto', overflowY: 'hidden', contain: 'inline-size' },
  // :first-of-type, not :first-child, which Emotion warns is unreliable when rendered on a server.
  '& [data-block]:first-of-type > :first-of-type': { mt: 0 },
  '& [data-block]:last-of-type > :last-child': { mb: 0 },
  '& .rt-heading': { mt: 1.25 },
  '& ul, & ol': { my: 0.75, pl: 3 },
  '& li > p': { my: 0.25 },
  '& blockquote': { my: 0.75, mx: 0, pl: 1.5, borderLeft: 3, borderColor: 'divider', color: 'text.secondary' },
  '& pre': {
    my: 0.75,
    p: 1,
    borderRadius: 1,
    bgcolor: 'rgba(0, 0, 0, 0.05)',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontSize: '0.875em',
  },
  '& code': { fontFamily: MONO, fontSize: '0.9em' },
  '& :not(pre) > code': { px: 0.5, py: 0.125, borderRadius: 0.5, bgcolor: 'rgba(0, 0, 0, 0.05)' },
  // Display math keeps its lines (KaTeX cannot break them): wider than the message, it scrolls in its own box.
  // `contain: inline-size`: a box that scrolls must not report its content's width as its minimum, or a grid or flex
  // parent sized to its content (the chat column) grows to fit the formula and the page scrolls sideways on a phone.
  '& .katex-display': {
    my: 1,
    py: 0.5,
    overflowX: 'auto',
    overflowY: 'hidden',
    maxWidth: '100%',
    contain: 'inline-size',
  },
  '& .rt-table': { my: 0.75, overflowX: 'auto', maxWidth: '100%', contain: 'inline-size' },
  '& table': { borderCollapse: 'collapse', fontSize: '0.95em' },
  '& th, & td': { border: 1, borderColor: 'divider', px: 1, py: 0.5, textAlign: 'start' },
  '& .rt-url': { color: 'text.secondary', overflowWrap: 'anywhere' },
  '& .rt-image': { color: 'text.secondary', fontStyle: 'italic' },
  '& hr': { border: 0, borderTop: 1, borderColor: 'divider', my: 1 },
};

/** Inside a line: the same rules, with blocks run together as sentences. */
export const inlineStyles: SxProps<Theme> = {
  ...richTextStyles,
  '& [data-block] + [data-block]::before': { content: '" "' },
};
