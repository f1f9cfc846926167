import { Client, type Pool } from 'pg';
import { WakeUp } from '../polling-subscription';

/**
 * One dedicated connection that LISTENs on a channel and wakes the subscriptions of this
 * store. It is opened on first use, reconnects with a capped back-off after an error (the
 * subscriptions keep polling meanwhile, and are woken once it is back, since notifications
 * may have been missed), and `close()` releases it. Notifications only shorten the wait:
 * correctness never depends on them.
 */
export class PostgresListener {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = 100;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly wakeUp: WakeUp,
  ) {}

  /** Starts listening if not already; never throws (a failure schedules a reconnect). */
  ensureListening(): void {
    if (this.closed || this.client || this.connecting || this.retryTimer) return;
    this.connecting = this.connect().finally(() => {
      this.connecting = undefined;
    });
  }

  private async connect(): Promise<void> {
    const client = new Client(this.pool.options);
    client.on('error', () => this.dropAndRetry(client));
    client.on('end', () => this.dropAndRetry(client));
    client.on('notification', () => this.wakeUp.notify());
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.retryMs = 100;
      this.wakeUp.notify();
    } catch {
      this.dropAndRetry(client);
    }
  }

  private dropAndRetry(client: Client): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureListening();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 5_000);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
