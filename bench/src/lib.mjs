// Helpers of the benchmark harness: processes measured with /usr/bin/time, /proc sampling of the emulator,
// a loopback HTTPS helper for setup, statistics and Markdown formatting.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

export const TIME_BIN = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Whether an executable answers (`cmd args` exits 0). */
export function probe(cmd, args = ["--version"]) {
  try {
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 20_000 });
    return r.status === 0 ? (r.stdout || r.stderr).trim() : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of a live process, from /proc/PID/stat. */
export function procCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return ticks / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}
const CLK_TCK = Number(probe("getconf", ["CLK_TCK"]) ?? 100) || 100;

/** Peak resident set (VmHWM) of a live process in KiB. */
export function procPeakRssKiB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  } catch {
    return Number.NaN;
  }
}

/** Resets VmHWM of a process we own (Linux: writing 5 to clear_refs), so peaks are per scenario. */
export function resetPeakRss(pid) {
  try {
    spawnSync("sh", ["-c", `echo 5 > /proc/${pid}/clear_refs`]);
  } catch {
    /* best effort: then the peak is since start */
  }
}

/**
 * Runs a command as a child, measured: wall time here, and (with /usr/bin/time) the child's peak RSS and CPU.
 * A JSON line on its stdout (the last one) is parsed as the child's own report.
 * @returns {Promise<{ ok: boolean, error?: string, wall: number, report?: any, rssKiB?: number, cpu?: number, stdout: string, stderr: string }>}
 */
export function measure(cmd, args, { env, timeoutMs = 30 * 60_000, cwd } = {}) {
  const timeFile = path.join(tmpdir(), `adl-bench-time-${process.pid}-${randomBytes(4).toString("hex")}`);
  const [file, argv] = TIME_BIN
    ? [TIME_BIN, ["-f", "%e %U %S %M", "-o", timeFile, cmd, ...args]]
    : [cmd, args];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, {
      env: { ...process.env, ...env },
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.length > 4 * MiB) stdout = stdout.slice(-MiB);
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      if (stderr.length > MiB) stderr = stderr.slice(-64 * KiB);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      /** @type {any} */
      const out = { ok: code === 0, wall, stdout, stderr };
      if (TIME_BIN && existsSync(timeFile)) {
        const lines = readFileSync(timeFile, "utf8").trim().split("\n");
        const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(lines[lines.length - 1] ?? "");
        if (m) {
          out.cpu = Number(m[2]) + Number(m[3]);
          out.rssKiB = Number(m[4]);
        }
        rmSync(timeFile, { force: true });
      }
      const last = stdout.trim().split("\n").pop();
      if (last?.startsWith("{")) {
        try {
          out.report = JSON.parse(last);
        } catch {
          /* not a report */
        }
      }
      if (!out.ok) {
        const tail = stderr.trim().split("\n").slice(-3).join(" | ");
        out.error = `${signal ? `killed by ${signal}` : `exit ${code}`}${tail ? `: ${tail}` : ""}`.slice(
          0,
          300,
        );
      }
      resolve(out);
    });
  });
}

/** Loopback HTTPS to the emulator, for setup (not measured). */
export function makeHttp({ port, caPem, token, account }) {
  const agent = new https.Agent({ ca: caPem, keepAlive: true, maxSockets: 32 });
  /** @returns {Promise<{ status: number, text: string }>} */
  function call(method, fsPath, query, body) {
    const target = `/${account}/webhdfs/v1${encodeURI(fsPath)}?${new URLSearchParams(query)}`;
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          method,
          host: "127.0.0.1",
          port,
          path: target,
          agent,
          headers: { authorization: `Bearer ${token()}`, "content-length": body ? body.length : 0 },
        },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
  async function ok(method, fsPath, query, body) {
    const r = await call(method, fsPath, query, body);
    if (r.status >= 300)
      throw new Error(`${method} ${fsPath} ${query.op} -> ${r.status}: ${r.text.slice(0, 200)}`);
    return r;
  }
  /** The emulator's admin API (`/_emulator/...`). */
  function admin(method, route, adminKey) {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          method,
          host: "127.0.0.1",
          port,
          path: `/_emulator/${route}`,
          agent,
          headers: { "x-adl-emulator-key": adminKey },
        },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            resolve(text ? JSON.parse(text) : undefined);
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });
  }
  return { call, ok, admin, close: () => agent.destroy() };
}

/** Runs `fn` over `items` with `limit` workers. */
export async function pool(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function max(values) {
  const v = values.filter((x) => Number.isFinite(x));
  return v.length ? Math.max(...v) : Number.NaN;
}

/** Formats a number, or "n/a". */
export function fmt(x, digits = 2) {
  if (x === undefined || x === null || !Number.isFinite(x)) return "n/a";
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
  return x.toFixed(digits);
}

export function table(headers, rows) {
  const esc = (c) => String(c).replaceAll("|", "\\|").replaceAll("\n", " ");
  return [
    `| ${headers.map(esc).join(" | ")} |`,
    `|${headers.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}
