import tls from "node:tls";

/**
 * A TLS connection to the emulator that writes bytes exactly as given (no HTTP client in between), for tests of
 * framing, keep-alive and connection handling.
 */
export interface RawConnection {
  /** Writes, waiting for the socket to drain; resolves false once the server has closed or reset it. */
  write(data: string | Buffer): Promise<boolean>;
  /** Everything received so far. */
  text(): string;
  /** Status codes of the responses received so far, in order. */
  statuses(): number[];
  /** Resolves when `predicate` holds over what was received, or when the connection closes, or after `ms`. */
  waitFor(predicate: () => boolean, ms: number): Promise<"met" | "closed" | "timeout">;
  readonly closed: boolean;
  destroy(): void;
}

export function openRaw(port: number, ca: string, servername = "localhost"): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, servername, ca }, () => resolve(connection));
    let received = "";
    let closed = false;
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const waiter of waiters) waiter();
    };
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      wake();
    });
    socket.on("close", () => {
      closed = true;
      wake();
    });
    socket.on("error", (err) => {
      if (!closed && received === "") reject(err);
    });
    const connection: RawConnection = {
      write(data) {
        if (closed || socket.destroyed || !socket.writable) return Promise.resolve(false);
        return new Promise((done) => {
          const ok = socket.write(data, (err) => {
            if (err) done(false);
          });
          if (ok) done(true);
          else {
            const onDrain = () => {
              socket.off("close", onClose);
              done(true);
            };
            const onClose = () => {
              socket.off("drain", onDrain);
              done(false);
            };
            socket.once("drain", onDrain);
            socket.once("close", onClose);
          }
        });
      },
      text: () => received,
      statuses: () => [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1])),
      waitFor(predicate, ms) {
        return new Promise((done) => {
          const check = () => {
            if (predicate()) finish("met");
            else if (closed) finish("closed");
          };
          const timer = setTimeout(() => finish("timeout"), ms);
          const finish = (why: "met" | "closed" | "timeout") => {
            clearTimeout(timer);
            waiters.delete(check);
            done(why);
          };
          waiters.add(check);
          check();
        });
      },
      get closed() {
        return closed;
      },
      destroy: () => socket.destroy(),
    };
  });
}

/** Request head bytes: `METHOD target HTTP/1.1`, Host, then the given header lines. */
export function head(
  method: string,
  target: string,
  port: number,
  headers: Record<string, string | number>,
): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${target} HTTP/1.1\r\nHost: localhost:${port}\r\n${lines.join("")}\r\n`;
}
