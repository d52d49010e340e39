import type { LivePlaySettings } from './live-types.ts';

/**
 * The person's idle timer of one live episode (RunningEpisode), started while their reply is awaited: a warning
 * first (by default at 80% of the timeout), then the seat times out.
 */
export class IdleTimer {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly settings: Pick<LivePlaySettings, 'idleTimeoutSeconds' | 'idleWarningSeconds'>,
    private readonly warn: (secondsLeft: number) => void,
    private readonly timeOut: (timeoutSeconds: number) => void,
  ) {}

  start(): void {
    this.clear();
    const timeout = this.settings.idleTimeoutSeconds;
    const warnAfter = Math.max(0, timeout - (this.settings.idleWarningSeconds ?? timeout * 0.2));
    this.timers.push(
      setTimeout(() => this.warn(Math.round(timeout - warnAfter)), warnAfter * 1000),
      setTimeout(() => this.timeOut(timeout), timeout * 1000),
    );
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
