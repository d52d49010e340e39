import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_BYTES = 32;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The one-time secret that first-run setup asks for: made at start-up, kept only in this process's memory, printed on
 * the server's console inside the setup link, and spent when the first account is created. Being on the server's
 * machine is not enough on its own: a same-host reverse proxy, a forwarded header or a DNS-rebinding page all reach
 * the server from loopback, but none of them has read the console.
 */
export class SetupToken {
  readonly value: string;
  readonly #digest: Buffer;
  #spent = false;

  constructor(value: string = randomBytes(TOKEN_BYTES).toString('base64url')) {
    this.value = value;
    this.#digest = digest(value);
  }

  /** Whether the first account has been made with it; a spent token matches nothing. */
  get spent(): boolean {
    return this.#spent;
  }

  /** Compares in constant time (both sides hashed to one length first), so timing reveals nothing of the token. */
  matches(candidate: string | undefined): boolean {
    if (this.#spent || candidate === undefined) return false;
    return timingSafeEqual(digest(candidate), this.#digest);
  }

  spend(): void {
    this.#spent = true;
  }
}
