import { fmt, pool, table } from "../lib.mjs";
import {
  alternate,
  aside,
  emulatorPeak,
  failNote,
  perRound,
  requestList,
  runOurs,
  runPython,
  sections,
  summariesFor,
  target,
} from "../rounds.mjs";
import { http, remoteDelete } from "../session.mjs";
import { log, REPS, SIZES } from "../setup.mjs";

const smallListDir = "/list/small";

export async function list() {
  const N = SIZES.entries;
  const nSmall = Math.max(100, Math.round(N / 5)); // several pages too, so only the size differs
  log(`scenario 3: list ${N} entries (and ${nSmall} for the memory-growth check); creating them`);
  const t0 = Date.now();
  for (const [dir, n] of [
    ["/list/big", N],
    [smallListDir, nSmall],
  ]) {
    await pool(
      Array.from({ length: n }, (_, i) => i),
      32,
      async (i) => {
        await http.ok("PUT", `${dir}/entry-${String(i).padStart(6, "0")}`, {
          op: "CREATE",
          overwrite: "true",
          write: "true",
        });
      },
    );
  }
  log(`  created ${N + nSmall} empty files in ${fmt((Date.now() - t0) / 1000, 1)} s`);
  const mk = (who, dir, n) => ({
    name: `${who}, ${n.toLocaleString("en-US")} entries`,
    n,
    run: () =>
      who === "ours" ? runOurs({ action: "list", remote: dir }) : runPython({ action: "list", remote: dir }),
    after: async (_rep, s) =>
      s.report?.entries === n ? undefined : `listed ${s.report?.entries} entries, expected ${n}`,
  });
  const contenders = [
    mk("ours", "/list/big", N),
    mk("python", "/list/big", N),
    mk("ours", smallListDir, nSmall),
    mk("python", smallListDir, nSmall),
  ];
  contenders[0].name = `@adlkit/fs-client list(), ${N.toLocaleString("en-US")} entries`;
  contenders[1].name = `Python SDK ls(detail=True), ${N.toLocaleString("en-US")} entries`;
  contenders[2].name = `@adlkit/fs-client list(), ${nSmall.toLocaleString("en-US")} entries`;
  contenders[3].name = `Python SDK ls(detail=True), ${nSmall.toLocaleString("en-US")} entries`;
  const results = await alternate(contenders, REPS);
  const s = summariesFor(results);
  const [ob, pb, os_, ps] = contenders.map((c) => s.get(c.name));
  const rows = contenders.map((c, i) => {
    const x = s.get(c.name);
    const ref = i % 2 === 0 ? x : s.get(contenders[i - 1].name);
    return [
      c.name + failNote(x),
      `${fmt(x.seconds, 3)} s`,
      fmt(x.seconds / ref.seconds),
      `${fmt(c.n / x.seconds, 0)} entries/s`,
      `${fmt(x.rssMiB, 0)} MiB`,
      fmt(x.cpu),
      fmt(x.emuCpu),
      `${x.ok}/${x.n}`,
    ];
  });
  sections.push(
    `## 3. List a directory of ${N.toLocaleString("en-US")} entries\n\n${table(
      [
        "contender",
        "median time",
        "time ÷ ours (same size)",
        "rate",
        "peak client RSS",
        "client CPU-s",
        "emulator CPU-s",
        "ok runs",
      ],
      rows,
    )}\n\nOurs iterates \`list()\` (pages of 4,000) without keeping entries; Python's \`ls(detail=True)\` returns them all, as it must. ` +
      `The ${nSmall.toLocaleString("en-US")}-entry rows show how each client's peak memory grows with the directory size. ${emulatorPeak()}\n\n` +
      requestList(s),
  );
  target(
    `List ${N.toLocaleString("en-US")} entries: ≥ 3x faster than Python`,
    `${fmt(pb.seconds / ob.seconds)}x${aside(perRound(ob, pb, (o, p) => p.seconds / o.seconds))}`,
    Number.isFinite(pb.seconds / ob.seconds) ? pb.seconds / ob.seconds >= 3 : undefined,
  );
  const growth = ob.rssMiB - os_.rssMiB;
  target(
    "List: client memory does not grow with the directory size (≤ 16 MiB more peak RSS at 5x the entries)",
    `${Math.round(growth) >= 0 ? "+" : "−"}${fmt(Math.abs(growth), 0)} MiB from ${nSmall.toLocaleString("en-US")} to ${N.toLocaleString("en-US")} entries${aside(
      `Python ${pb.rssMiB - ps.rssMiB >= 0 ? "+" : "−"}${fmt(Math.abs(pb.rssMiB - ps.rssMiB), 0)} MiB`,
      perRound(ob, os_, (big, small) => (big.rssKiB - small.rssKiB) / 1024, 0, " MiB"),
    )}`,
    Number.isFinite(growth) ? growth <= 16 : undefined,
  );
  await remoteDelete("/list/big");
}
