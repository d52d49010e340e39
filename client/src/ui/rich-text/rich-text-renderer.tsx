// KaTeX's stylesheet (and, through it, its fonts) is imported here, in the lazily loaded module, so the bundler puts
// it in this chunk's CSS: a participant's first page never downloads it.
import 'katex/dist/katex.min.css';
import Box from '@mui/material/Box';
import type { Element, ElementContent } from 'hast';
import { memo, useMemo, type ReactNode } from 'react';
import Markdown, { type Components, type Options } from 'react-markdown';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { normalizeMathDelimiters } from './math-delimiters.ts';
import { ScrollableMath, ScrollableParagraph, ScrollableTable } from './scrollable.tsx';
import { inlineStyles, richTextStyles } from './rich-text-styles.ts';
import { splitTextBlocks } from './text-blocks.ts';

/**
 * Model and benchmark text as Markdown with math. The text is untrusted (a model can be prompted by a participant
 * to write anything), so:
 * - raw HTML is never rendered: react-markdown leaves it out by default, and `skipHtml` drops it without a trace;
 * - links are inert: shown as their text followed by the address, never an `<a>`, so nothing a model writes can be
 *   clicked through to a `javascript:`, `data:` or phishing address, and the reader still sees where it pointed;
 * - images are never fetched: only their alt text is shown, so a model answer cannot make a participant's browser
 *   call a third-party address (a tracking pixel, or a URL carrying what the participant typed);
 * - KaTeX runs with `trust: false` (no `\href`, `\url`, `\includegraphics`, `\htmlClass` …), bounded macro expansion
 *   and sizes; LaTeX it cannot parse is shown as its source (rehype-katex renders errors instead of throwing).
 */
const KATEX_OPTIONS = {
  trust: false,
  strict: 'ignore',
  // Bounds on what a hostile expression can cost: macro expansions, and the size of rules and spaces (in ems).
  maxExpand: 500,
  maxSize: 20,
  errorColor: '#b00020',
} as const;

const REMARK_PLUGINS: Options['remarkPlugins'] = [remarkGfm, remarkMath];
const REHYPE_PLUGINS: Options['rehypePlugins'] = [[rehypeKatex, KATEX_OPTIONS]];

const SHOWN_URL = /^(https?:|mailto:)/i;

const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <span className="rt-link">
      {children}
      {href && SHOWN_URL.test(href) && !linkTextIs(children, href) && (
        <span className="rt-url"> ({href.replace(/^mailto:/i, '')})</span>
      )}
    </span>
  ),
  // The alt text in brackets, so the reader knows something was there; the address is never requested.
  img: ({ alt }) => <span className="rt-image">[{alt || '…'}]</span>,
  // A model's headings are emphasis inside its message, not sections of the page: as real headings they would break
  // the page's outline (a second h1) for screen-reader users.
  h1: ({ children }) => <Heading>{children}</Heading>,
  h2: ({ children }) => <Heading>{children}</Heading>,
  h3: ({ children }) => <Heading>{children}</Heading>,
  h4: ({ children }) => <Heading>{children}</Heading>,
  h5: ({ children }) => <Heading>{children}</Heading>,
  h6: ({ children }) => <Heading>{children}</Heading>,
  // Only paragraphs with math can be wider than the message (text wraps anywhere): they alone get a scroll box.
  p: ({ node, children }) =>
    node && hasMath(node) ? <ScrollableParagraph>{children}</ScrollableParagraph> : <p dir="auto">{children}</p>,
  li: ({ children }) => <li dir="auto">{children}</li>,
  blockquote: ({ children }) => <blockquote dir="auto">{children}</blockquote>,
  td: ({ children, style }) => (
    <td dir="auto" style={style}>
      {children}
    </td>
  ),
  th: ({ children, style }) => (
    <th dir="auto" style={style}>
      {children}
    </th>
  ),
  table: ({ children }) => (
    <ScrollableTable>
      <table>{children}</table>
    </ScrollableTable>
  ),
  // GFM task-list boxes as text: a disabled checkbox without a label is noise to a screen reader.
  input: ({ checked }) => <span className="rt-task">{checked ? '[x] ' : '[ ] '}</span>,
  // KaTeX's output is spans: every attribute is kept (`aria-hidden` on the visual copy, so screen readers read the
  // MathML once); only display math gets its own scrolling box.
  span: ({ node: _node, ...props }) =>
    props.className?.split(' ').includes('katex-display') ? (
      <ScrollableMath className={props.className}>{props.children}</ScrollableMath>
    ) : (
      <span {...props} />
    ),
};

/** Whether KaTeX's output is somewhere inside (rehype-katex has already turned the math into elements). */
function hasMath(node: Element | ElementContent): boolean {
  if (node.type !== 'element') return false;
  const classes = node.properties.className;
  if (Array.isArray(classes) && classes.includes('katex')) return true;
  return node.children.some(hasMath);
}

function Heading({ children }: { children?: ReactNode }) {
  return (
    <p dir="auto" className="rt-heading">
      <strong>{children}</strong>
    </p>
  );
}

/**
 * Inside a line (an option, a rubric level, the gold answer): paragraphs become spans, so the text can sit in a
 * label or a `<p>` without putting a block inside it.
 */
const INLINE_COMPONENTS: Components = {
  ...COMPONENTS,
  p: ({ children }) => <span dir="auto">{children}</span>,
};

/** An autolink (`<https://x>`, or a bare address with GFM) already shows its address as its text. */
function linkTextIs(children: ReactNode, href: string): boolean {
  const text = typeof children === 'string' ? children : Array.isArray(children) ? children.join('') : '';
  return text === href || `mailto:${text}` === href;
}

/** One top-level block, parsed on its own: memoized on its text, so a block that is complete never renders again. */
const Block = memo(function Block({ source, index, inline }: { source: string; index: number; inline: boolean }) {
  const Wrapper = inline ? 'span' : 'div';
  return (
    <Wrapper dir="auto" data-block={index}>
      <Markdown
        remarkPlugins={REMARK_PLUGINS}
        rehypePlugins={REHYPE_PLUGINS}
        components={inline ? INLINE_COMPONENTS : COMPONENTS}
        skipHtml
      >
        {source}
      </Markdown>
    </Wrapper>
  );
});

export interface RichTextRendererProps {
  text: string;
  /** Short text inside a line or label: drawn in spans, blocks separated by a space. */
  inline?: boolean;
}

/** The lazily loaded renderer behind `RichText`. Blocks are keyed by position: only a changed block re-renders. */
export default function RichTextRenderer({ text, inline = false }: RichTextRendererProps) {
  const blocks = useMemo(() => splitTextBlocks(normalizeMathDelimiters(text)), [text]);
  return (
    <Box component={inline ? 'span' : 'div'} className="rich-text" sx={inline ? inlineStyles : richTextStyles}>
      {blocks.map((source, i) => (
        <Block key={i} index={i} source={source} inline={inline} />
      ))}
    </Box>
  );
}
