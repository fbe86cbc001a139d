import type { Logger } from '@nestjs/common';

/**
 * A worker's periodic duty (the timer pump, the effects sweep): runs `round` again `everyMs`
 * after each round ends, so two rounds of one process never overlap; a failed round is logged as
 * a warning (`what: message`) and the next one still runs. `stop` waits for the round under way,
 * so a shutdown never closes the database under it.
 */
export class Rounds {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
    private readonly round: () => Promise<unknown>,
  ) {}

  /** Starts: the first round after `firstAfterMs` (0: at once), then every `everyMs` after the last ended. */
  start(everyMs: number, firstAfterMs = 0): void {
    const loop = () => {
      if (this.stopped) return;
      this.running = this.round()
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn(`${this.what}: ${err.message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, everyMs);
        });
    };
    if (firstAfterMs === 0) loop();
    else this.timer = setTimeout(loop, firstAfterMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
