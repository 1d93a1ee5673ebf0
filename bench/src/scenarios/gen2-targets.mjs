import { fmt } from "../lib.mjs";
import { aside, perRound, target } from "../rounds.mjs";
import { gen2 } from "./gen2.mjs";
import { BIG, cpuPerGiB } from "./transfer.mjs";

/** Issue 22's targets for scenarios 8 and 9, measured against the faster official SDK of each direction. */
export function gen2Targets() {
  for (const [label, t] of [
    ["Gen2 upload", gen2.up],
    ["Gen2 download", gen2.down],
  ]) {
    if (!t) continue;
    const ours = t.s.get(t.ours);
    const sdks = t.sdks.map((name) => ({ name, ...t.s.get(name) })).filter((x) => x.ok > 0);
    const faster = sdks.reduce((a, b) => (b.seconds < (a?.seconds ?? Infinity) ? b : a), undefined);
    const short = (x) => (x ? x.name.split(" ")[0] : "no official SDK");
    const speedup = faster ? faster.seconds / ours.seconds : Number.NaN;
    target(
      `${label}: ≥ 1.5x the faster official SDK in time`,
      `${fmt(speedup)}x vs ${short(faster)}${aside(
        faster && `${fmt(ours.seconds, 3)} vs ${fmt(faster.seconds, 3)} s`,
        faster && perRound(ours, faster, (o, p) => p.seconds / o.seconds),
      )}`,
      Number.isFinite(speedup) && ours.ok > 0 ? speedup >= 1.5 : undefined,
      label === "Gen2 upload"
        ? "The emulator's CPU per GiB (its column in scenario 8), most of it the MD5 of every append whose Content-MD5 the service echoes, on the 2 cores the clients share; ours also hashes the whole file for the flush's Content-MD5 (`md5` option). See bench/README.md, Gen2 findings."
        : "",
    );
    const oursCpu = cpuPerGiB(ours.cpu, BIG);
    const theirCpu = faster ? cpuPerGiB(faster.cpu, BIG) : Number.NaN;
    const others = sdks
      .filter((x) => x !== faster)
      .map((x) => `${fmt(oursCpu / cpuPerGiB(x.cpu, BIG))}x of ${short(x)}'s ${fmt(cpuPerGiB(x.cpu, BIG))}`);
    target(
      `${label}: client CPU-s/GiB ≤ 0.6x the faster official SDK's`,
      `${fmt(oursCpu)} vs ${fmt(theirCpu)} (${fmt(oursCpu / theirCpu)}x)${aside(
        faster && perRound(ours, faster, (o, p) => o.cpu / p.cpu),
        ...others,
      )}`,
      Number.isFinite(oursCpu / theirCpu) ? oursCpu / theirCpu <= 0.6 : undefined,
      label === "Gen2 upload"
        ? 'The whole-file MD5 that our flush stores (the official SDKs send none): `md5: "none"` drops it. See bench/README.md, Gen2 findings.'
        : "",
    );
    const oursRss = ours.samples.map((x) => x.rssKiB / 1024);
    target(
      `${label}: peak client RSS < 150 MiB`,
      `${fmt(ours.rssMiB, 0)} MiB${aside(
        sdks.map((x) => `${short(x)} ${fmt(x.rssMiB, 0)} MiB`).join(", "),
        oursRss.length > 1 &&
          `ours per run ${fmt(Math.min(...oursRss), 0)} to ${fmt(Math.max(...oursRss), 0)} MiB`,
      )}`,
      Number.isFinite(ours.rssMiB) ? ours.rssMiB < 150 : undefined,
    );
  }
}
