import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.ts';

/**
 * Request body limits (docs/security.md, Limits). Every route gets DEFAULT_BODY_LIMIT unless it names a larger one:
 * a 10 MB body of nested arrays took seconds of JSON.parse on an unauthenticated route and froze every live session.
 */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Bytes of one JSON string of `chars` UTF-16 units, quoted: a unit is at most 3 UTF-8 bytes as browsers send it. */
const jsonString = (chars: number): number => chars * 3 + 3;

/**
 * PUT settings: consent text and two instructions of 50,000 characters each, 50 model names, and a record list of up
 * to 100,000 problem ids. The ids are the large part; at the schema's maximum (500 characters each) the list alone
 * would be 150 MB, so the limit allows the full 100,000 ids at up to ~90 ASCII characters (real ids are far shorter)
 * and keeps the 10 MB the route always had.
 */
export const SETTINGS_BODY_LIMIT = 10 * 1024 * 1024;

/** Rating candidates: up to 10,000 episode ids of up to 200 characters (the schema's maximum), ≈ 6 MB. */
export const CANDIDATES_BODY_LIMIT = 10_000 * jsonString(200) + 1024;

/**
 * Gold items: up to 1,000 items, each with an answer of up to 100,000 characters. The schema's product (≈ 300 MB) is
 * no size to parse in one request; the limit keeps the 10 MB the route always had (10 KB per item on average), and a
 * researcher with longer answers sends them in several requests.
 */
export const GOLD_BODY_LIMIT = 10 * 1024 * 1024;

/** Logout has no body; anything more than a stray `{}` is refused before it is read. */
export const LOGOUT_BODY_LIMIT = 1024;

/** Arrays and objects nested deeper than this are refused before parsing: no request body needs more than a few. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * The deepest nesting of arrays and objects in a JSON text, in one pass over its characters (brackets inside strings
 * do not count), stopping as soon as `cap` is passed; malformed text is left for JSON.parse to refuse.
 */
export function jsonDepthExceeds(text: string, cap: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > cap) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces Fastify's JSON parser with one that first checks the nesting depth, then parses as before (Fastify's own
 * parser: prototype-poisoning refused). The body is read as a string within the route's bodyLimit.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(new AppError('invalid_payload', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
