import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Untrusted text in prompts. Whatever a participant typed, and whatever a model wrote (a live model's answer is shaped
 * by the participant), goes into a prompt only through `encloseUntrusted`: between an opening and a closing tag that
 * share a code the text cannot know, so no content — `"""`, `</answer>`, a closing tag with a guessed code — can end
 * the block early and pass as the prompt's own words. The prompt templates that take such a block (the `.v2` judge,
 * labeler and simulated-user files) tell the model that everything between the tags is data, never instructions.
 * This is a deliberate difference from the reference, which wraps the answer in `"""` (docs/engine.md).
 *
 * The code is an HMAC of the label and the text under a key drawn at process start, not a fresh random value per
 * call. Why: the HTTP providers' response cache is keyed on the exact messages, so a per-call random tag would make
 * every judge and labeler prompt a cache miss; with the HMAC the same text gets the same tag for the life of the
 * process (identical calls still share one request), while a participant, who never has the key, cannot compute the
 * tag of any text — least of all of a text that would have to contain its own tag. Nothing is persisted: a cache
 * that outlived the process would need to key on the template and the untrusted values instead.
 */

const PROCESS_KEY = randomBytes(32);

/** 128 bits of HMAC output, as 32 hex digits. */
const CODE_HEX_DIGITS = 32;

/** What the block holds; it names the tags (`<<<RESPONSE_code>>>` … `<<<END_RESPONSE_code>>>`). */
export type UntrustedLabel = 'RESPONSE' | 'ASSISTANT_MESSAGE' | 'USER_REPLY' | 'CONVERSATION';

export interface EnclosedText {
  open: string;
  close: string;
  /** `open`, a newline, the text unchanged, a newline, `close`: what goes into the prompt. */
  block: string;
}

/**
 * Encloses `text` between `<<<LABEL_code>>>` and `<<<END_LABEL_code>>>`. The text is kept byte for byte (nothing is
 * escaped, so the model judges exactly what was written); the code is derived again, with a counter, in the
 * practically impossible case that the text already contains it. `key` is for tests; callers use the process key.
 */
export function encloseUntrusted(label: UntrustedLabel, text: string, key: Buffer = PROCESS_KEY): EnclosedText {
  if (key !== PROCESS_KEY) return encloseWithCodes(label, text, hmacCodes(key, label, text));
  const cacheKey = `${label}\u0000${text}`;
  const known = enclosed.get(cacheKey);
  if (known) return known;
  // Frozen: every caller with this text gets this object.
  const made = Object.freeze(encloseWithCodes(label, text, hmacCodes(key, label, text)));
  enclosed.set(cacheKey, made);
  return made;
}

/**
 * Blocks made under the process key, by label and text. Why: every turn's judge, labeler and simulated-user prompt
 * encloses the conversation so far again, so the same texts were hashed over and over (an HMAC per block was a visible
 * item on the live loop in bench:live-busy's profile); a lookup costs a fraction of it. Bounded by the texts' size.
 */
const enclosed = new LRUCache<string, EnclosedText>({
  maxSize: 8 * 1024 * 1024,
  sizeCalculation: (block) => Math.max(1, block.block.length),
});

function* hmacCodes(key: Buffer, label: UntrustedLabel, text: string): Generator<string> {
  for (let attempt = 0; ; attempt++) {
    yield createHmac('sha256', key)
      .update(`${label}\u0000${attempt}\u0000${text}`)
      .digest('hex')
      .slice(0, CODE_HEX_DIGITS);
  }
}

/** Encloses `text` with the first candidate code it does not contain. Exported so tests can exercise the skip. */
export function encloseWithCodes(label: UntrustedLabel, text: string, codes: Iterable<string>): EnclosedText {
  for (const code of codes) {
    // A text that contains the code could contain the closing tag; checking the bare code covers both tags.
    if (text.includes(code)) continue;
    const open = `<<<${label}_${code}>>>`;
    const close = `<<<END_${label}_${code}>>>`;
    return { open, close, block: `${open}\n${text}\n${close}` };
  }
  throw new Error('no tag code left that the text does not contain');
}
