import { fmt, MiB, procCpuSeconds, procPeakRssKiB, resetPeakRss, table } from "../lib.mjs";
import { sections } from "../rounds.mjs";
import { emulator, http, port, remoteDelete, token } from "../session.mjs";
import { ACCOUNT, autocannonVersion, log, SIZES } from "../setup.mjs";

export async function emulatorLoad() {
  const { default: autocannon } = await import("autocannon");
  const seconds = SIZES.loadSeconds;
  log(`scenario 6: the emulator alone (autocannon, ${seconds} s each)`);
  await http.ok(
    "PUT",
    "/load/stat.txt",
    { op: "CREATE", overwrite: "true", write: "true" },
    Buffer.from("x"),
  );
  const run = (o) =>
    new Promise((resolve, reject) => {
      const inst = autocannon({ ...o, duration: seconds, url: `https://127.0.0.1:${port}` }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
      inst.on("error", () => {});
    });
  const rows = [];
  const emuRow = async (label, o, bodyBytes) => {
    resetPeakRss(emulator.pid);
    const cpu0 = procCpuSeconds(emulator.pid);
    const t0 = Date.now();
    try {
      const r = await run(o);
      const wall = (Date.now() - t0) / 1000;
      const ok = r["2xx"];
      const emuCpu = procCpuSeconds(emulator.pid) - cpu0;
      rows.push([
        label,
        `${fmt(ok / r.duration, 0)} req/s`,
        bodyBytes ? `${fmt((ok * bodyBytes) / MiB / r.duration, 0)} MiB/s` : "—",
        `${fmt(r.latency.p50, 1)} / ${fmt(r.latency.p99, 1)} ms`,
        `${r.non2xx} / ${r.errors + r.timeouts}`,
        `${fmt((100 * emuCpu) / wall, 0)}%`,
        `${fmt(procPeakRssKiB(emulator.pid) / 1024, 0)} MiB`,
      ]);
    } catch (err) {
      rows.push([`${label} — failed: ${err.message}`, "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"]);
    }
  };
  const auth = { authorization: `Bearer ${token}` };
  await emuRow(
    "GETFILESTATUS, 16 connections",
    {
      connections: 16,
      pipelining: 1,
      requests: [
        { method: "GET", path: `/${ACCOUNT}/webhdfs/v1/load/stat.txt?op=GETFILESTATUS`, headers: auth },
      ],
    },
    0,
  );
  const body = Buffer.alloc(4 * MiB, 0x61);
  let n = 0;
  await emuRow(
    "ingest: CREATE of 4 MiB bodies (overwrite, 64 rotating paths), 4 connections",
    {
      connections: 4,
      requests: [
        {
          method: "PUT",
          headers: { ...auth, "content-type": "application/octet-stream" },
          body,
          setupRequest: (req) => ({
            ...req,
            path: `/${ACCOUNT}/webhdfs/v1/load/ingest-${n++ % 64}.bin?op=CREATE&overwrite=true&write=true`,
          }),
        },
      ],
    },
    body.length,
  );
  // autocannon drops its connections at the deadline; let the emulator finish the requests it was reading.
  await new Promise((r) => setTimeout(r, 1500));
  sections.push(
    `## 6. The emulator alone (autocannon ${autocannonVersion}, ${seconds} s per row, loopback)\n\n${table(
      [
        "load",
        "requests/s (2xx)",
        "ingest",
        "latency p50 / p99",
        "non-2xx / errors",
        "emulator CPU (of one core)",
        "emulator peak RSS",
      ],
      rows,
    )}\n\nautocannon runs in the harness process, so it shares the two cores with the emulator.`,
  );
  await remoteDelete("/load");
}
