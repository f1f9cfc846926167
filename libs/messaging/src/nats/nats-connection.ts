import { readFileSync } from 'node:fs';
import { connect, type NodeConnectionOptions } from '@nats-io/transport-node';
import { credsAuthenticator, type NatsConnection } from '@nats-io/nats-core';

export type NatsConnectionOptions = {
  /** `nats://host:4222` (or `tls://…`); several servers comma-separated. User and password may be in the URL. */
  url: string;
  /** Client name shown in the server's monitoring. */
  name?: string;
  /** A `.creds` file (JWT + nkey seed), as issued by `nsc`. */
  credsFile?: string;
  /** CA certificate (PEM) that signed the server's certificate; enables TLS. */
  tlsCaFile?: string;
  user?: string;
  password?: string;
  token?: string;
  /** Reconnect attempts after a lost connection (default: forever, -1). */
  maxReconnectAttempts?: number;
  /**
   * Capture the caller's stack on every request/publish so that a timeout reports where it
   * was issued (nats.js's default). Off by default here: it builds two Error objects per
   * JetStream publish, about a third of the client's CPU per message.
   */
  asyncTraces?: boolean;
};

/** Connection options for nats.js from our configuration (exported for tests). */
export const natsConnectOptions = (options: NatsConnectionOptions): NodeConnectionOptions => {
  const servers: string[] = [];
  let user = options.user;
  let pass = options.password;
  for (const raw of options.url.split(',').map((s) => s.trim()).filter(Boolean)) {
    const url = new URL(raw.includes('://') ? raw : `nats://${raw}`);
    if (url.username && user === undefined) {
      user = decodeURIComponent(url.username);
      pass = decodeURIComponent(url.password);
    }
    servers.push(`${url.protocol}//${url.host}`);
  }
  if (servers.length === 0) throw new TypeError('NATS url is empty');
  const wantsTls = options.tlsCaFile !== undefined || servers.some((s) => s.startsWith('tls://'));
  return {
    servers,
    name: options.name,
    ...(options.credsFile ? { authenticator: credsAuthenticator(readFileSync(options.credsFile)) } : {}),
    ...(user !== undefined ? { user, pass } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(wantsTls ? { tls: options.tlsCaFile ? { caFile: options.tlsCaFile } : {} } : {}),
    maxReconnectAttempts: options.maxReconnectAttempts ?? -1,
    noAsyncTraces: !(options.asyncTraces ?? false),
  };
};

export const connectNats = (options: NatsConnectionOptions): Promise<NatsConnection> => connect(natsConnectOptions(options));
