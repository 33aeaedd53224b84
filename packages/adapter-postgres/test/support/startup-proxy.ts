import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP proxy in front of Postgres that can reproduce, exactly, a backend terminated at
 * the moment its connection finishes starting up.
 *
 * Every connection is passed through. For a connection chosen by `trap`, the server's
 * start-up messages are forwarded except the final ReadyForQuery, which is held back;
 * the proxy then has that backend (its pid read from BackendKeyData) terminated, waits
 * for the server's FATAL 57P01 and its close, and delivers ReadyForQuery and the FATAL
 * to the client in ONE write: node-postgres parses both from one chunk, finishing the
 * connection and emitting the error synchronously, before the code that asked the pool
 * for a connection can run. Then it closes the client's socket.
 */

export interface StartupProxy {
  /** `url` with the proxy's host and port. */
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections whose start-up was cut as described above. */
  readonly trapped: number;
  /** Backend pids of the connections currently open through the proxy. */
  livePids(): number[];
  close(): Promise<void>;
}

export interface StartupProxyOptions {
  /** Where Postgres is (a postgres:// URL; its host and port are used). */
  databaseUrl: string;
  /** Terminates a backend (pg_terminate_backend on another connection). */
  terminate: (pid: number) => Promise<unknown>;
  /** Whether to cut the start-up of the n-th connection (1-based). Default: never. */
  trap?: (n: number) => boolean;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const BACKEND_KEY_DATA = 0x4b; // 'K'

export async function startStartupProxy(options: StartupProxyOptions): Promise<StartupProxy> {
  const target = new URL(options.databaseUrl);
  const targetPort = Number(target.port || 5432);
  const targetHost = target.hostname || '127.0.0.1';
  const live = new Map<Socket, number>();
  const sockets = new Set<Socket>();
  let connections = 0;
  let trapped = 0;

  const server: Server = createServer((client) => {
    const n = ++connections;
    const trap = options.trap?.(n) ?? false;
    const upstream = tcpConnect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      live.delete(client);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    client.pipe(upstream);

    let started = false;
    let pending = Buffer.alloc(0);
    /** ReadyForQuery and what followed it, for a trapped connection. */
    let held: Buffer[] | undefined;

    upstream.on('data', (chunk: Buffer) => {
      if (held) {
        held.push(chunk);
        return;
      }
      if (started) {
        client.write(chunk);
        return;
      }
      // Start-up: whole messages (type byte, int32 length including itself).
      pending = Buffer.concat([pending, chunk]);
      const out: Buffer[] = [];
      while (pending.length >= 5) {
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        const message = pending.subarray(0, 1 + length);
        pending = pending.subarray(1 + length);
        if (message[0] === BACKEND_KEY_DATA) live.set(client, message.readInt32BE(5));
        if (message[0] === READY_FOR_QUERY) {
          started = true;
          if (trap) {
            trapped++;
            held = [message, pending];
            const pid = live.get(client);
            if (pid !== undefined) void options.terminate(pid).catch(() => {});
            break;
          }
          out.push(message, pending);
          break;
        }
        out.push(message);
      }
      if (out.length > 0) client.write(Buffer.concat(out));
    });
    upstream.on('end', () => {
      if (held) {
        // ReadyForQuery + the FATAL in one write; the close a moment later.
        client.write(Buffer.concat(held));
        held = undefined;
        setTimeout(() => client.end(), 20);
      } else {
        client.end();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy has no port');
  const url = new URL(options.databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);

  return {
    url: url.toString(),
    get connections() {
      return connections;
    },
    get trapped() {
      return trapped;
    },
    livePids: () => [...live.values()],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
