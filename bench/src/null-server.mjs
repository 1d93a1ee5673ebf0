// A do-nothing HTTPS server (reference for the TLS + HTTP ceiling of this machine, without the emulator's work):
// PUT/POST bodies are read and dropped (201), GET answers `?bytes=N` bytes from one reused buffer.
// Uses the emulator's server certificate, so the same curl --cacert works. argv: TLS_DIR. Prints "port N".
import { readFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";

const tlsDir = process.argv[2];
const block = Buffer.alloc(1024 * 1024, 0x5a);
const server = https.createServer(
  {
    key: readFileSync(path.join(tlsDir, "server-key.pem")),
    cert: readFileSync(path.join(tlsDir, "server.pem")),
  },
  (req, res) => {
    if (req.method === "GET") {
      const total = Number(new URL(req.url ?? "/", "https://x").searchParams.get("bytes") ?? 0);
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": total });
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          const n = Math.min(block.length, total - sent);
          sent += n;
          if (!res.write(n === block.length ? block : block.subarray(0, n)))
            return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
      return;
    }
    req.on("data", () => {});
    req.on("end", () => {
      res.writeHead(201, { "content-length": 0 });
      res.end();
    });
  },
);
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`port ${server.address().port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
