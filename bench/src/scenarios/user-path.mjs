// Scenario 7 (issue 20): what a user runs. `adl fs put` / `adl fs get` of the big file and `adl fs ls` of ten files,
// each a cold process (start-up, credentials and the token included), against the Python SDK doing the same from
// cold processes. Time is the whole process, spawn to exit. The emulator's CPU per GiB is reported for every
// transfer run: what it costs to ingest and to serve.
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fmt, GiB, measure, median, table } from "../lib.mjs";
import {
  alternate,
  aside,
  emulatorPeak,
  failNote,
  perRound,
  pyChild,
  pythonOk,
  requestList,
  sections,
  summariesFor,
  target,
} from "../rounds.mjs";
import { connectionFile, readOnce, remoteDelete, remoteLength, work } from "../session.mjs";
import { ACCOUNT, log, PYTHON, REPS, SIZES, THREADS } from "../setup.mjs";
import { ensureCliFiles, locateCli, prepareCli, smallRemoteForCli } from "./startup.mjs";
import {
  BIG,
  bigFile,
  bigFileSha,
  ensureBigFile,
  putBigFile,
  sha256File,
  sizeLabel,
  transfer,
} from "./transfer.mjs";

/** Median emulator CPU-s per GiB over a contender's successful runs, and its per-run range. */
export function emulatorPerGiB(summary, bytes) {
  const values = summary.samples.map((s) => s.emuCpu / (bytes / GiB)).filter(Number.isFinite);
  return {
    median: median(values),
    range: values.length > 1 ? `per run ${fmt(Math.min(...values))} to ${fmt(Math.max(...values))}` : "",
  };
}

export async function userPath() {
  log(`scenario 7: the user's path, cold processes (put/get ${sizeLabel}, ls of 10 files)`);
  const cli = locateCli();
  const env = cli.ok ? await prepareCli(cli) : undefined;
  const noCli = cli.ok ? undefined : cli.why;
  const noPython = pythonOk ? undefined : `${PYTHON} with azure-datalake-store is not available`;
  await ensureBigFile();
  const sha = await bigFileSha();
  await ensureCliFiles();
  const source = "/user/source.bin";
  await putBigFile(source);
  await readOnce(source); // as in scenario 2: no contender pays for the emulator's first read of it
  const localDir = path.join(work, "user-path");
  mkdirSync(localDir, { recursive: true });

  const cold = (args) =>
    measure(PYTHON, [pyChild, JSON.stringify({ connectionFile, account: ACCOUNT, ...args })]);
  const adl = (...args) => measure(process.execPath, [cli.bin, ...args], { env });
  const uploaded = (remote) => async () => {
    const len = await remoteLength(remote);
    return len === BIG ? undefined : `remote length ${len}, expected ${BIG}`;
  };
  const downloaded = (file) => async () => {
    try {
      if (!existsSync(file)) return "no local file";
      const size = statSync(file).size;
      if (size !== BIG) return `local size ${size}, expected ${BIG}`;
      return (await sha256File(file)) === sha ? undefined : "SHA-256 differs from the source";
    } finally {
      rmSync(file, { force: true });
    }
  };
  const put = {
    ours: `\`adl fs put\` ${sizeLabel} (cold process, defaults: ${THREADS} threads)`,
    py: `Python: ADLUploader(nthreads=${THREADS}) from a cold process (token included)`,
  };
  const get = {
    ours: `\`adl fs get\` ${sizeLabel} (cold process, defaults)`,
    py: `Python: ADLDownloader(nthreads=${THREADS}) from a cold process (token included)`,
  };
  const oursPut = "/user/put-ours.bin";
  const pyPut = "/user/put-py.bin";
  const oursGet = path.join(localDir, "ours.bin");
  const pyGet = path.join(localDir, "py.bin");
  const transfers = [
    {
      name: put.ours,
      unavailable: noCli,
      before: () => remoteDelete(oursPut),
      run: () => adl("fs", "put", bigFile, oursPut, "--overwrite", "--quiet"),
      after: uploaded(oursPut),
    },
    {
      name: put.py,
      unavailable: noPython,
      before: () => remoteDelete(pyPut),
      run: () => cold({ action: "upload", local: bigFile, remote: pyPut, nthreads: THREADS }),
      after: uploaded(pyPut),
    },
    {
      name: get.ours,
      unavailable: noCli,
      before: () => rmSync(oursGet, { force: true }),
      run: () => adl("fs", "get", source, oursGet, "--overwrite", "--quiet"),
      after: downloaded(oursGet),
    },
    {
      name: get.py,
      unavailable: noPython,
      before: () => rmSync(pyGet, { force: true }),
      run: () => cold({ action: "download", local: pyGet, remote: source, nthreads: THREADS }),
      after: downloaded(pyGet),
    },
  ];
  const ls = {
    ours: `\`adl fs ls ${smallRemoteForCli}\` (10 files, cold process)`,
    py: `Python: token + ls(${smallRemoteForCli}) from a cold process`,
  };
  const listings = [
    {
      name: ls.ours,
      unavailable: noCli,
      run: () => adl("fs", "ls", smallRemoteForCli),
      after: async (_r, s) => (/file-9\.txt/.test(s.stdout ?? "") ? undefined : "file-9.txt not listed"),
    },
    {
      name: ls.py,
      unavailable: noPython,
      run: () => cold({ action: "ls-cold", remote: smallRemoteForCli }),
      after: async (_r, s) => (/file-9\.txt/.test(s.stdout ?? "") ? undefined : "file-9.txt not listed"),
    },
  ];
  // The whole process is the user's wait: wall time, not a report from inside.
  const wallTime = (results) => {
    for (const runs of results.values()) for (const x of runs) if (x.ok) x.seconds = x.wall;
    return summariesFor(results);
  };
  const t = wallTime(await alternate(transfers, REPS));
  const peak = emulatorPeak();
  const l = wallTime(await alternate(listings, SIZES.startupReps));
  await remoteDelete("/user");
  rmSync(localDir, { recursive: true, force: true });

  const row = (name, x, ref, bytes) => {
    const emu = bytes ? emulatorPerGiB(x, bytes) : undefined;
    return [
      name + failNote(x),
      x.seconds < 1 ? `${fmt(x.seconds * 1000, 0)} ms` : `${fmt(x.seconds, 3)} s`,
      fmt(x.seconds / ref.seconds),
      `${fmt(x.rssMiB, 0)} MiB`,
      fmt(median(x.samples.map((y) => y.processCpu))),
      emu ? fmt(emu.median) : fmt(x.emuCpu, 3),
      `${x.ok}/${x.n}`,
    ];
  };
  const rows = [
    row(put.ours, t.get(put.ours), t.get(put.ours), BIG),
    row(put.py, t.get(put.py), t.get(put.ours), BIG),
    row(get.ours, t.get(get.ours), t.get(get.ours), BIG),
    row(get.py, t.get(get.py), t.get(get.ours), BIG),
    row(ls.ours, l.get(ls.ours), l.get(ls.ours)),
    row(ls.py, l.get(ls.py), l.get(ls.ours)),
  ];
  sections.push(
    `## 7. The user's path: cold \`adl\` processes vs cold Python processes\n\n${table(
      [
        "command",
        "median wall time",
        "time ÷ ours",
        "peak RSS",
        "process CPU-s",
        "emulator CPU-s/GiB (transfers) or CPU-s (ls)",
        "ok runs",
      ],
      rows,
    )}\n\nEach run is a new process, spawn to exit, credentials and token included (the CLI from a profile made with \`adl profile add --from-emulator\`; Python with adal's client-credentials flow), ${REPS} alternating runs of the four transfers and ${SIZES.startupReps} of the two listings. Uploads go to freshly deleted paths and are checked for their length; downloads are checked by size and SHA-256, then deleted (not timed). ${peak}\n\n${requestList(new Map([...t, ...l]))}`,
  );

  const ratio = (a, b) => b.seconds / a.seconds;
  const lsRatio = l.get(ls.ours).seconds / l.get(ls.py).seconds;
  target(
    "Cold `adl fs ls` (10 files) ≤ 0.6x the Python SDK's cold token + ls (issue 20)",
    `${fmt(lsRatio)}x${aside(
      `${fmt(l.get(ls.ours).seconds * 1000, 0)} vs ${fmt(l.get(ls.py).seconds * 1000, 0)} ms`,
      perRound(l.get(ls.py), l.get(ls.ours), (p, o) => o.seconds / p.seconds),
    )}`,
    Number.isFinite(lsRatio) ? lsRatio <= 0.6 : undefined,
  );
  for (const [label, pair, need] of [
    ["put", put, 1.6],
    ["get", get, 2],
  ]) {
    const o = t.get(pair.ours);
    const p = t.get(pair.py);
    const r = ratio(o, p);
    target(
      `\`adl fs ${label}\` ${sizeLabel}, cold process: ≥ ${need}x the Python SDK's cold process (issue 20)`,
      `${fmt(r)}x${aside(
        `${fmt(o.seconds, 2)} vs ${fmt(p.seconds, 2)} s`,
        perRound(o, p, (x, y) => y.seconds / x.seconds),
      )}`,
      Number.isFinite(r) ? r >= need : undefined,
      "Client and emulator share 2 cores: the emulator's CPU per GiB (the targets below) bounds a cold `adl` as much as our client's.",
    );
  }
  for (const [label, pair, need, scenario, why] of [
    [
      "ingest (CREATE/APPEND) while `adl fs put` runs",
      put,
      1.0,
      transfer.up,
      "Node's own HTTPS cost for the same bytes (the do-nothing server's figure beside it), plus the copy into aligned buffers and the direct-I/O writes that durability takes. Profile: bench/README.md, Emulator ingest.",
    ],
    [
      "serving (OPEN) while `adl fs get` runs",
      get,
      0.8,
      transfer.down,
      "Node's own HTTPS cost for sending the same bytes (the do-nothing server's figure beside it), plus the direct-I/O reads.",
    ],
  ]) {
    const ours = emulatorPerGiB(t.get(pair.ours), BIG);
    const py = emulatorPerGiB(t.get(pair.py), BIG);
    // Node's own floor for the same bytes (scenarios 1 and 2's do-nothing server), when those ran too.
    const floorSummary = scenario?.s.get(scenario.reference);
    const floor = floorSummary ? emulatorPerGiB(floorSummary, BIG).median : NaN;
    target(
      `Emulator ${label}: ≤ ${fmt(need, 1)} CPU-s per GiB (issue 20)`,
      `${fmt(ours.median)}${aside(
        ours.range,
        `with Python's client ${fmt(py.median)}`,
        Number.isFinite(floor) ? `a do-nothing Node HTTPS server with curl: ${fmt(floor)}` : "",
      )}`,
      Number.isFinite(ours.median) ? ours.median <= need : undefined,
      why,
    );
  }
}
