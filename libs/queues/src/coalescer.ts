interface Waiting<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

export interface CoalescerOptions {
  /** Most keys handed to one run. */
  maxBatch: number;
  /** Runs at a time; calls made meanwhile wait and go together into the next run. */
  maxInFlight: number;
}

/**
 * Turns many concurrent single-key calls into few batch runs without waiting on a clock: a call
 * starts a run at once when a slot is free, and calls that arrive while every slot is busy go
 * together into the next one. Idle, a call costs what it did alone; under a burst, batches grow
 * to the load. A failed batch is retried key by key, so one bad key fails only its own call.
 */
export class Coalescer<K, V> {
  private waiting: Waiting<K, V>[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly options: CoalescerOptions,
  ) {}

  call(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.settle(batch).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private async settle(batch: Waiting<K, V>[]): Promise<void> {
    try {
      this.deliver(batch, await this.run(batch.map((w) => w.key)));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(
        batch.map((w) =>
          this.run([w.key]).then(
            (results) => this.deliver([w], results),
            (err: unknown) => w.reject(err),
          ),
        ),
      );
    }
  }

  private deliver(batch: Waiting<K, V>[], results: ReadonlyMap<K, V>): void {
    for (const w of batch) {
      if (results.has(w.key)) w.resolve(results.get(w.key)!);
      else w.reject(new Error(`the batch returned no result for ${String(w.key)}`));
    }
  }
}
