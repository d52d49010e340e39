import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';

// MUI's <Alert> has role="alert" unless told otherwise, and a screen reader interrupts whatever it is reading to
// announce an alert, also one that is simply on the page when it loads. Only errors should do that (docs/ARCHITECTURE.md,
// "Accessibility"): every Alert whose severity is not the literal "error" must say its role — "note" for static text
// (instructions, notices), "status" for news that arrives while the person waits (saved, connection back), or "alert"
// as a deliberate choice.

const CLIENT = join(PROJECT_ROOT, 'client', 'src');

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** Each <Alert …> in a file: its line, its severity as written (literal text or the expression), its role if any. */
function alertsIn(source: string, fileName = 'file.tsx'): { line: number; severity: string; role?: string }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: { line: number; severity: string; role?: string }[] = [];
  const attribute = (attrs: ts.JsxAttributes, name: string): string | undefined => {
    for (const prop of attrs.properties) {
      if (!ts.isJsxAttribute(prop) || prop.name.getText(file) !== name) continue;
      const init = prop.initializer;
      if (init === undefined) return 'true';
      if (ts.isStringLiteral(init)) return init.text;
      if (ts.isJsxExpression(init) && init.expression) {
        const expression = init.expression;
        return ts.isStringLiteral(expression) ? expression.text : expression.getText(file);
      }
      return init.getText(file);
    }
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText(file) === 'Alert') {
      const role = attribute(node.attributes, 'role');
      found.push({
        line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
        // MUI's default severity is "success".
        severity: attribute(node.attributes, 'severity') ?? 'success',
        ...(role === undefined ? {} : { role }),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('alerts interrupt screen readers only for errors', () => {
  it('finds the severity and role of each Alert', () => {
    const found = alertsIn(
      [
        '<Alert severity="info">x</Alert>;',
        '<Alert severity="error" />;',
        '<Alert severity="warning" role="note">y</Alert>;',
        "<Alert severity={ok ? 'success' : 'error'} role={ok ? 'status' : 'alert'}>z</Alert>;",
      ].join('\n'),
    );
    expect(found).toEqual([
      { line: 1, severity: 'info' },
      { line: 2, severity: 'error' },
      { line: 3, severity: 'warning', role: 'note' },
      { line: 4, severity: "ok ? 'success' : 'error'", role: "ok ? 'status' : 'alert'" },
    ]);
  });

  it('every Alert in the client that is not an error names its role', () => {
    const files = tsxFiles(CLIENT);
    expect(files.length).toBeGreaterThan(50);
    const unnamed = files.flatMap((path) =>
      alertsIn(readFileSync(path, 'utf8'), path)
        .filter((a) => a.severity !== 'error' && a.role === undefined)
        .map((a) => `${relative(PROJECT_ROOT, path)}:${a.line} (severity ${a.severity})`),
    );
    expect(unnamed, 'add role="note" (static text) or role="status" (news while the person waits)').toEqual([]);
  });
});
