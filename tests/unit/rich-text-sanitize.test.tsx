import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import RichTextRenderer from '../../client/src/ui/rich-text/rich-text-renderer.tsx';

/** The renderer's markup, without the stylesheet Emotion writes beside it in server rendering. */
const html = (text: string): string =>
  renderToStaticMarkup(<RichTextRenderer text={text} />).replace(/<style data-emotion[^>]*>[^<]*<\/style>/g, '');
/** The markup without KaTeX's MathML copy, whose annotation keeps the TeX source for screen readers. */
const withoutAnnotations = (markup: string): string => markup.replace(/<annotation[^>]*>[\s\S]*?<\/annotation>/g, '');

describe('the rich-text renderer on hostile input', () => {
  const hostile = [
    '<script>alert(1)</script>',
    'Hi <img src=x onerror="alert(2)"> there',
    '[click me](javascript:alert(3))',
    '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)',
    '![tracker](http://evil.example/x.png)',
    '<iframe src="http://evil.example/"></iframe>',
    '<div onclick="alert(5)">\n\n**raw html block**\n\n</div>',
    '<a href="http://evil.example/">html link</a>',
    '$\\href{javascript:alert(6)}{x}$',
    '$$\n\\url{javascript:alert(7)}\n$$',
    '$\\htmlClass{evil}{x}$ and $\\includegraphics{http://evil.example/y.png}$',
    '<svg onload=alert(8)>',
    '<style>body{display:none}</style>',
  ].join('\n\n');
  const out = html(hostile);

  it('renders no element that runs script, loads a resource or navigates', () => {
    for (const tag of ['<script', '<img', '<iframe', '<svg', '<style', '<a ', '<a>', '<object', '<embed', '<form'])
      expect(out).not.toContain(tag);
    expect(out).not.toMatch(/\son[a-z]+=/i);
    expect(out).not.toMatch(/\s(href|src)=/i);
    // The addresses may show as text, but never as a javascript: or data: link.
    expect(withoutAnnotations(out)).not.toMatch(/javascript:alert\(3\)/);
    expect(out).not.toContain('class="evil"');
  });

  it('keeps what the reader needs: link text, image alt text, the text around raw HTML', () => {
    expect(out).toContain('click me');
    expect(out).toContain('[tracker]');
    expect(out).toContain('raw html block');
    expect(out).toContain('html link');
  });

  it('shows a link’s address as text, never as a link', () => {
    const link = html('See [the docs](https://example.org/a?b=1) or <https://example.org/c>.');
    expect(link).toContain('the docs<span class="rt-url"> (https://example.org/a?b=1)</span>');
    expect(link).toContain('https://example.org/c');
    expect(link).not.toContain('(https://example.org/c)');
    expect(link).not.toMatch(/<a[\s>]/);
  });

  it('renders math with KaTeX, and bad LaTeX as its source instead of failing', () => {
    const math = html('Area $\\boxed{27\\sqrt{3}}$ and \\(\\frac{1}{8}\\).\n\n\\[\nx^2\n\\]\n\nBad: $\\frac{1}{$.');
    // Three expressions render; the fourth cannot be parsed and is shown as its source, marked as an error.
    expect(math.match(/class="katex"/g)?.length).toBe(3);
    expect(math).toContain('class="katex-display"');
    // The visual copy is hidden from screen readers, which read the MathML copy once.
    expect(math).toContain('<span class="katex-html" aria-hidden="true">');
    expect(math).toMatch(/<span class="katex-error"[^>]*>\\frac\{1\}\{<\/span>/);
    expect(withoutAnnotations(math)).not.toContain('\\boxed');
  });

  it('keeps currency as text', () => {
    const money = html('It costs $5 and $10.');
    expect(money).not.toContain('katex');
    expect(money).toContain('It costs $5 and $10.');
  });

  it('marks every block and paragraph dir="auto", and turns headings into paragraphs', () => {
    const rtl = html('# عنوان\n\nمرحبا $x$\n\n- one\n- two');
    expect(rtl).not.toMatch(/<h[1-6]/);
    expect(rtl.match(/<div dir="auto" data-block/g)?.length).toBe(3);
    // A paragraph with math is a scroll box of its own (rt-math-line); it keeps its direction all the same.
    expect(rtl).toMatch(/<p dir="auto"[^>]*>مرحبا/);
    expect(rtl).toContain('<li dir="auto">one</li>');
  });

  it('draws code as code and GFM tables inside a box of their own', () => {
    const code = html('```js\nconst a = "<b>";\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(code).toContain('<pre><code class="language-js">const a = &quot;&lt;b&gt;&quot;;\n</code></pre>');
    expect(code).toMatch(/<div class="rt-table"><table>/);
  });
});
