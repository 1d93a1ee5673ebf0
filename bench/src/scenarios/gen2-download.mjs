import { mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { ensureGen2Account, gen2PutFile, gen2ReadOnce } from "../gen2-session.mjs";
import { table } from "../lib.mjs";
import { alternate, emulatorPeak, requestList, sections, summariesFor } from "../rounds.mjs";
import { work } from "../session.mjs";
import { log, REPS } from "../setup.mjs";
import { gen2, gen2Contenders, officialSdks } from "./gen2.mjs";
import {
  BIG,
  bigFile,
  bigFileSha,
  ensureBigFile,
  sha256File,
  sizeLabel,
  transferHeaders,
  transferRows,
} from "./transfer.mjs";

/** Scenario 9 (issue 22): download the 1 GiB Gen2 file, ours vs the official JS and Python SDKs. */
export async function gen2Download() {
  log(`scenario 9: Gen2 download ${sizeLabel}`);
  await ensureBigFile();
  await ensureGen2Account();
  const sha = await bigFileSha();
  // The source: written by the harness itself, not by a contender; then read once (untimed), so that no contender
  // pays for the emulator's first read of it from disk.
  const source = "/down/big.bin";
  await gen2PutFile(source, bigFile, BIG);
  await gen2ReadOnce(source);
  const downDir = path.join(work, "gen2-down");
  mkdirSync(downDir, { recursive: true });
  const contenders = gen2Contenders("download", (key) => ({
    local: path.join(downDir, `${key}.bin`),
    remote: source,
  }));
  for (const c of contenders) {
    c.before = () => rmSync(c.local, { force: true });
    c.after = async () => {
      try {
        const size = statSync(c.local).size;
        if (size !== BIG) return `local size ${size}, expected ${BIG}`;
        return (await sha256File(c.local)) === sha ? undefined : "SHA-256 differs from the source";
      } catch (err) {
        return `no local file: ${err.message}`;
      } finally {
        rmSync(c.local, { force: true });
      }
    };
  }
  const s = summariesFor(await alternate(contenders, REPS));
  gen2.down = { s, ours: contenders[0].name, sdks: officialSdks(contenders) };
  sections.push(
    `## 9. Gen2: download the same ${sizeLabel} file\n\n${table(transferHeaders, transferRows(s, contenders[0].name, BIG))}\n\n` +
      "The source was written by the harness and read once before the first round (untimed). Each download goes " +
      "to a fresh local file, checked by size and SHA-256 against the source (not timed) and deleted. " +
      `${emulatorPeak()}\n\n${requestList(s)}`,
  );
}
