import { Injectable, type OnApplicationShutdown } from '@nestjs/common';

/** Work to finish when the app closes, for resources made outside Nest's providers. */
@Injectable()
export class ShutdownTasks implements OnApplicationShutdown {
  private readonly tasks: (() => Promise<unknown>)[] = [];

  add(task: () => Promise<unknown>): void {
    this.tasks.push(task);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t().catch(() => undefined)));
  }
}
