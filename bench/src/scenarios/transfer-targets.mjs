import { fmt } from "../lib.mjs";
import { aside, perRound, target } from "../rounds.mjs";
import { BIG, cpuPerGiB, mibps, transfer } from "./transfer.mjs";

export function transferTargets() {
  for (const [dir, t] of [
    ["up", transfer.up],
    ["down", transfer.down],
  ]) {
    if (!t) continue;
    const label = dir === "up" ? "Upload" : "Download";
    const ours = t.s.get(t.ours);
    const curl = t.s.get(t.curl);
    const pys = t.py.map((n) => t.s.get(n)).filter((p) => p.ok > 0);
    const fasterPy = pys.reduce((a, b) => (b.seconds < (a?.seconds ?? Infinity) ? b : a), undefined);
    const leanerPy = pys.reduce((a, b) => (b.cpu < (a?.cpu ?? Infinity) ? b : a), undefined);
    const bestPy = fasterPy?.seconds ?? NaN;
    const minPyCpu = leanerPy ? cpuPerGiB(leanerPy.cpu, BIG) : NaN;
    const ofCeiling = curl.seconds / ours.seconds;
    target(
      `${label}: ≥ 85% of the single-stream curl ceiling`,
      `${fmt(100 * ofCeiling, 0)}%${aside(
        `${fmt(mibps(BIG, ours.seconds), 0)} vs ${fmt(mibps(BIG, curl.seconds), 0)} MiB/s`,
        perRound(ours, curl, (o, c) => (100 * c.seconds) / o.seconds, 0, "%"),
      )}`,
      Number.isFinite(ofCeiling) ? ofCeiling >= 0.85 : undefined,
    );
    const need = dir === "up" ? 1.6 : 2;
    target(
      `${label}: ≥ ${need}x the Python SDK (its faster variant)`,
      `${fmt(bestPy / ours.seconds)}x${aside(fasterPy && perRound(ours, fasterPy, (o, p) => p.seconds / o.seconds))}`,
      Number.isFinite(bestPy / ours.seconds) ? bestPy / ours.seconds >= need : undefined,
    );
    const oursCpu = cpuPerGiB(ours.cpu, BIG);
    target(
      `${label}: client CPU-s/GiB ≤ half of Python's (its leaner variant)`,
      `${fmt(oursCpu)} vs ${fmt(minPyCpu)}${aside(
        `${fmt(oursCpu / minPyCpu)}x`,
        leanerPy && perRound(ours, leanerPy, (o, p) => o.cpu / p.cpu),
      )}`,
      Number.isFinite(oursCpu / minPyCpu) ? oursCpu <= minPyCpu / 2 : undefined,
    );
    const oursRss = ours.samples.map((x) => x.rssKiB / 1024);
    target(
      `${label}: peak client RSS < 150 MiB`,
      `${fmt(ours.rssMiB, 0)} MiB${aside(
        `Python ${pys.map((p) => fmt(p.rssMiB, 0)).join(" / ")} MiB`,
        oursRss.length > 1 &&
          `ours per run ${fmt(Math.min(...oursRss), 0)} to ${fmt(Math.max(...oursRss), 0)} MiB`,
      )}`,
      Number.isFinite(ours.rssMiB) ? ours.rssMiB < 150 : undefined,
    );
  }
}
