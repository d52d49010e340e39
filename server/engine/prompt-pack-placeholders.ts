/**
 * The placeholders of a pack's prompt file, read as Python's `str.format` reads a template (the reference's user
 * prompt files are such templates): `{name}` is a placeholder, `{{` and `}}` are literal braces, and any other brace
 * is an error. Checking this when the pack is loaded means a file copied from a Python f-string with an expression
 * left in it (`{criterion['preference']}`) is refused with its line, before anything runs.
 */
export interface PlaceholderScan {
  names: Set<string>;
  problems: string[];
}

const NAME = /^[a-z_][a-z0-9_]*$/;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i += 1) if (text[i] === '\n') line += 1;
  return line;
}

export function scanPlaceholders(text: string): PlaceholderScan {
  const names = new Set<string>();
  const problems: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      i += 2;
      continue;
    }
    if (c === '}') {
      problems.push(`line ${lineOf(text, i)}: a lone "}" (write "}}" for a literal brace)`);
      i += 1;
      continue;
    }
    if (c === '{') {
      const end = text.indexOf('}', i + 1);
      const field = end === -1 ? null : text.slice(i + 1, end);
      if (field === null || field.includes('{') || field.includes('\n')) {
        problems.push(`line ${lineOf(text, i)}: a "{" that opens no placeholder (write "{{" for a literal brace)`);
        i += 1;
        continue;
      }
      if (NAME.test(field)) names.add(field);
      else
        problems.push(
          `line ${lineOf(text, i)}: "{${field}}" is not a placeholder name (lower-case letters, digits and _; ` +
            'an expression from a Python f-string must become one of the role\'s placeholders, or "{{" "}}" for braces)',
        );
      i = end + 1;
      continue;
    }
    i += 1;
  }
  return { names, problems };
}
