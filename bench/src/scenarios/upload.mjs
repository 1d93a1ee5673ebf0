import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { MiB, measure, table } from "../lib.mjs";
import {
  alternate,
  curlOk,
  emulatorPeak,
  requestList,
  runOurs,
  runPython,
  sections,
  summariesFor,
} from "../rounds.mjs";
import {
  connection,
  flushToDisk,
  fsUrl,
  nullPort,
  nullServer,
  port,
  remoteDelete,
  remoteLength,
  token,
  work,
} from "../session.mjs";
import { log, REPS, THREADS } from "../setup.mjs";
import {
  BIG,
  bigFile,
  ensureBigFile,
  pyVariants,
  sizeLabel,
  transfer,
  transferHeaders,
  transferRows,
} from "./transfer.mjs";

export async function upload() {
  log(`scenario 1: upload ${sizeLabel}`);
  await ensureBigFile();
  // The emulator refuses CREATE/APPEND bodies over 4 MiB (like the service), so the single-stream ceiling is
  // one curl process on one connection: CREATE with the first 4 MiB, then APPENDs of 4 MiB in order.
  const partsDir = path.join(work, "parts");
  mkdirSync(partsDir);
  const parts = [];
  {
    const data = readFileSync(bigFile);
    for (let off = 0, i = 0; off < BIG; off += 4 * MiB, i++) {
      const file = path.join(partsDir, `p${String(i).padStart(5, "0")}`);
      writeFileSync(file, data.subarray(off, Math.min(BIG, off + 4 * MiB)));
      parts.push({ file, offset: off });
    }
  }
  flushToDisk();
  const curlConfig = path.join(work, "curl-upload.cfg");
  const writeCurlConfig = (remote, on = port) => {
    const q = (s) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
    const sections = parts.map(({ file, offset }, i) =>
      [
        `url = ${q(i === 0 ? fsUrl(remote, { op: "CREATE", overwrite: "true", write: "true" }, on) : fsUrl(remote, { op: "APPEND", offset: String(offset), append: "true" }, on))}`,
        ...(i === 0 ? [] : ['request = "POST"']),
        `upload-file = ${q(file)}`,
        `header = ${q(`Authorization: Bearer ${token}`)}`,
        'header = "Expect:"',
        `cacert = ${q(connection.caCertificatePath)}`,
        'output = "/dev/null"',
        'write-out = "%{http_code} %{num_connects}\\n"',
      ].join("\n"),
    );
    writeFileSync(curlConfig, sections.join("\nnext\n"), { mode: 0o600 });
  };
  const checkUpload = (remote) => async () => {
    const len = await remoteLength(remote);
    return len === BIG ? undefined : `remote length ${len}, expected ${BIG}`;
  };
  const contenders = [
    {
      name: `@adlkit/fs-client (concurrency ${THREADS}, default 64 MiB chunks)`,
      remote: "/up/ours.bin",
      run: () => runOurs({ action: "upload", local: bigFile, remote: "/up/ours.bin", concurrency: THREADS }),
    },
    ...pyVariants().map((v, i) => ({
      name: v.label,
      remote: `/up/py${i}.bin`,
      run: () =>
        runPython({
          action: "upload",
          local: bigFile,
          remote: `/up/py${i}.bin`,
          nthreads: THREADS,
          ...v.sizes,
        }),
    })),
    {
      name: "curl, one stream (CREATE + 4 MiB APPENDs on one connection)",
      remote: "/up/curl.bin",
      unavailable: curlOk ? undefined : "curl is not installed",
      run: curlUpload,
    },
    {
      name: "reference: the same curl to a do-nothing HTTPS server (TLS ceiling without the emulator)",
      remote: "/up/null.bin",
      reference: true,
      serverPid: nullServer.pid,
      unavailable: curlOk ? undefined : "curl is not installed",
      run: curlUpload,
    },
  ];
  async function curlUpload() {
    const m = await measure("curl", ["--silent", "--show-error", "--config", curlConfig]);
    const lines = m.stdout.trim().split("\n");
    const bad = lines.filter((l) => !/^20[01] /.test(l));
    const connects = lines.reduce((a, l) => a + Number(l.split(" ")[1] ?? 0), 0);
    if (m.ok && (bad.length || lines.length !== parts.length))
      return {
        ...m,
        ok: false,
        error: `HTTP ${bad.slice(0, 3).join(", ")} (${lines.length}/${parts.length} answers)`,
      };
    if (connects !== 1) log(`  note: curl opened ${connects} connections for ${parts.length} requests`);
    return m;
  }
  for (const c of contenders) {
    c.before = async () => {
      await remoteDelete(c.remote);
      if (c.run === curlUpload) writeCurlConfig(c.remote, c.reference ? nullPort : port);
    };
    c.after = c.reference ? undefined : checkUpload(c.remote);
  }
  const results = await alternate(contenders, REPS);
  const s = summariesFor(results);
  transfer.up = {
    s,
    ours: contenders[0].name,
    curl: contenders[3].name,
    py: [contenders[1].name, contenders[2].name],
    reference: contenders[4].name,
  };
  sections.push(
    `## 1. Upload a ${sizeLabel} file\n\n${table(transferHeaders, transferRows(s, contenders[0].name, BIG))}\n\n` +
      "The emulator refuses CREATE/APPEND bodies over 4 MiB (as the service does), so the single-stream ceiling " +
      "is one curl process sending CREATE + sequential 4 MiB APPENDs over one kept-alive TLS connection. " +
      "On the reference row the emulator column is the do-nothing server's CPU instead: what Node's HTTPS server " +
      "alone spends receiving the same bytes, the floor under the emulator's ingest. Every " +
      `upload goes to a freshly deleted path and is checked for its length afterwards (not timed). ${emulatorPeak()}\n\n` +
      requestList(s),
  );
  rmSync(partsDir, { recursive: true, force: true });
}
