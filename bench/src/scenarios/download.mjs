import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

import { measure, table } from "../lib.mjs";
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
import { connection, fsUrl, nullPort, nullServer, readOnce, token, work } from "../session.mjs";
import { log, REPS, THREADS } from "../setup.mjs";
import {
  BIG,
  bigFileSha,
  ensureBigFile,
  putBigFile,
  pyVariants,
  sha256File,
  sizeLabel,
  transfer,
  transferHeaders,
  transferRows,
} from "./transfer.mjs";

export async function download() {
  log(`scenario 2: download ${sizeLabel}`);
  await ensureBigFile();
  const bigSha = await bigFileSha();
  // The source: written by the harness itself (CREATE + APPENDs), not by a contender.
  const source = "/down/big.bin";
  await putBigFile(source);
  // The emulator wrote it around the page cache (direct I/O), so its first read comes from the disk; without this
  // the first contender of the first round alone would pay for that (seen: 2.1 s and 2.0 emulator CPU-s vs ~1.3).
  await readOnce(source);
  const downDir = path.join(work, "down");
  mkdirSync(downDir);
  const verify = (file) => async () => {
    try {
      const size = statSync(file).size;
      if (size !== BIG) return `local size ${size}, expected ${BIG}`;
      const sha = await sha256File(file);
      return sha === bigSha ? undefined : "SHA-256 differs from the source";
    } catch (err) {
      return `no local file: ${err.message}`;
    } finally {
      rmSync(file, { force: true });
    }
  };
  const sizeOnly = (file) => async () => {
    const size = existsSync(file) ? statSync(file).size : -1;
    rmSync(file, { force: true });
    return size === BIG ? undefined : `local size ${size}, expected ${BIG}`;
  };
  const contenders = [
    {
      name: `@adlkit/fs-client (concurrency ${THREADS}, default 64 MiB chunks)`,
      file: path.join(downDir, "ours.bin"),
      run() {
        return runOurs({ action: "download", local: this.file, remote: source, concurrency: THREADS });
      },
    },
    ...pyVariants().map((v, i) => ({
      name: v.label,
      file: path.join(downDir, `py${i}.bin`),
      run() {
        return runPython({
          action: "download",
          local: this.file,
          remote: source,
          nthreads: THREADS,
          ...v.sizes,
        });
      },
    })),
    {
      name: "curl, one stream (one OPEN of the whole file)",
      file: path.join(downDir, "curl.bin"),
      unavailable: curlOk ? undefined : "curl is not installed",
      async run() {
        const m = await measure("curl", [
          "--silent",
          "--show-error",
          "--fail",
          "--cacert",
          connection.caCertificatePath,
          "-H",
          `Authorization: Bearer ${token}`,
          "-o",
          this.file,
          fsUrl(source, { op: "OPEN", read: "true" }),
        ]);
        return m;
      },
    },
    {
      name: "diagnostic: @adlkit/fs-client createReadStream() piped to a file (one stream, like curl)",
      file: path.join(downDir, "ours-stream.bin"),
      run() {
        return runOurs({ action: "download-stream", local: this.file, remote: source });
      },
    },
    {
      name: "reference: the same curl from a do-nothing HTTPS server (TLS ceiling without the emulator)",
      file: path.join(downDir, "null.bin"),
      serverPid: nullServer.pid,
      unavailable: curlOk ? undefined : "curl is not installed",
      async run() {
        return measure("curl", [
          "--silent",
          "--show-error",
          "--fail",
          "--cacert",
          connection.caCertificatePath,
          "-o",
          this.file,
          `https://127.0.0.1:${nullPort}/null?bytes=${BIG}`,
        ]);
      },
    },
  ];
  for (const c of contenders) {
    c.before = async () => rmSync(c.file, { force: true });
    c.after = c.name.startsWith("reference") ? sizeOnly(c.file) : verify(c.file);
  }
  const results = await alternate(contenders, REPS);
  const s = summariesFor(results);
  transfer.down = {
    s,
    ours: contenders[0].name,
    curl: contenders[3].name,
    py: [contenders[1].name, contenders[2].name],
    reference: contenders[5].name,
  };
  sections.push(
    `## 2. Download the same ${sizeLabel} file\n\n${table(transferHeaders, transferRows(s, contenders[0].name, BIG))}\n\n` +
      `The harness reads the source once before the first round (untimed), so that no contender pays for the emulator's first read of it from disk. On the reference row the emulator column is the do-nothing server's CPU instead (Node's HTTPS server alone sending the same bytes). Each download goes to a fresh local file, which is then checked by size and SHA-256 against the source (not timed) and deleted. ${emulatorPeak()}\n\n` +
      requestList(s),
  );
}
