import { ensureGen2Account, gen2Delete, gen2Length } from "../gen2-session.mjs";
import { table } from "../lib.mjs";
import { alternate, emulatorPeak, requestList, sections, summariesFor } from "../rounds.mjs";
import { flushToDisk } from "../session.mjs";
import { log, REPS } from "../setup.mjs";
import { gen2, gen2Contenders, officialSdks } from "./gen2.mjs";
import { BIG, bigFile, ensureBigFile, sizeLabel, transferHeaders, transferRows } from "./transfer.mjs";

/** Scenario 8 (issue 22): a 1 GiB upload to Gen2, ours vs the official JS and Python SDKs. */
export async function gen2Upload() {
  log(`scenario 8: Gen2 upload ${sizeLabel}`);
  await ensureBigFile();
  await ensureGen2Account();
  flushToDisk();
  const contenders = gen2Contenders("upload", (key) => ({ local: bigFile, remote: `/up/${key}.bin` }));
  for (const c of contenders) {
    c.before = () => gen2Delete(c.remote);
    c.after = async () => {
      const len = await gen2Length(c.remote);
      return len === BIG ? undefined : `remote length ${len}, expected ${BIG}`;
    };
  }
  const s = summariesFor(await alternate(contenders, REPS));
  gen2.up = { s, ours: contenders[0].name, sdks: officialSdks(contenders) };
  sections.push(
    `## 8. Gen2: upload a ${sizeLabel} file\n\n${table(transferHeaders, transferRows(s, contenders[0].name, BIG))}\n\n` +
      "Every upload goes to a freshly deleted path of a hierarchical-namespace storage account on the same " +
      "emulator and is checked for its length afterwards (not timed). Ours hashes the whole file (MD5, one " +
      "sequential read beside the appends) for the flush's stored Content-MD5 by default; the diagnostic rows show " +
      "its other two `md5` modes (see bench/README.md). Neither SDK hashes anything by default. " +
      `${emulatorPeak()}\n\n${requestList(s)}`,
  );
  for (const c of contenders) await gen2Delete(c.remote);
}
