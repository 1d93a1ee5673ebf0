// Scenario 10 (issue 22): the Gen1 -> Gen2 migration. A Gen1 tree (one big file, many small files, a few dozen
// directories each with an access and default ACL and an owner) is built once, untimed; each round copies it with
// fs-client's copy() (preserve: ACLs, owners, permissions) into a fresh Gen2 directory, in a child process of its own,
// and the result is checked untimed: file count and bytes, SHA-256 of the big file and of a sample of small ones,
// and the access control of every directory and of the sampled files against the source's.
import { createHash, randomFillSync } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { dfs, ensureGen2Account, GEN2_ACCOUNT, GEN2_FILESYSTEM, gen2Delete } from "../gen2-session.mjs";
import { fmt, KiB, MiB, median, pool, table } from "../lib.mjs";
import { alternate, emulatorPeak, failNote, runOurs, sections, summariesFor } from "../rounds.mjs";
import { flushToDisk, http, journalOpCounts, remoteDelete, work } from "../session.mjs";
import { log, REPS, SIZES, THREADS } from "../setup.mjs";
import { BIG, bigFileSha, putBigFile, sizeLabel } from "./transfer.mjs";

const SOURCE = "/migration-src";
const SMALL = 4 * KiB;
const USER = "470c0ccf-c91a-4597-98cd-48507d2f1486";
const OWNER = "1f3c5e7a-2b4d-4c6e-8a0b-c2d4e6f80a1b";
const GROUP = "9a7d3e21-5b6c-4d8e-8f90-1a2b3c4d5e6f";
const DIR_ACL = [
  "user::rwx",
  `user:${USER}:r-x`,
  "group::r-x",
  "mask::r-x",
  "other::---",
  "default:user::rwx",
  `default:user:${USER}:rw-`,
  "default:group::r-x",
  "default:mask::rwx",
  "default:other::---",
].join(",");

/** How many directories the small files are spread over: a few dozen (fewer for tiny runs). */
const directoryCount = (files) => Math.max(1, Math.min(40, Math.ceil(files / 25)));
const smallPath = (i, dirs) => `d${String(i % dirs).padStart(2, "0")}/f${String(i).padStart(5, "0")}.bin`;

/**
 * The source tree, untimed: the directories with their ACLs first (so the files inherit the default entries, as
 * on a real account), then the files, then the directories' owner and group. Returns what the checks need.
 */
async function buildSource(files, dirs) {
  log(`scenario 10: building the Gen1 source (${dirs} directories, ${files} files of 4 KiB, ${sizeLabel})`);
  await remoteDelete(SOURCE);
  const directories = ["", ...Array.from({ length: dirs }, (_, d) => `d${String(d).padStart(2, "0")}`)];
  const at = (d) => (d ? `${SOURCE}/${d}` : SOURCE);
  for (const d of directories) {
    await http.ok("PUT", at(d), { op: "MKDIRS" });
    await http.ok("PUT", at(d), { op: "SETACL", aclspec: DIR_ACL });
  }
  const step = Math.max(1, Math.floor(files / 25));
  /** @type {Map<string, string>} relative path -> SHA-256 of the sampled small files */
  const sampled = new Map();
  await pool(
    Array.from({ length: files }, (_, i) => i),
    16,
    async (i) => {
      const body = randomFillSync(Buffer.allocUnsafe(SMALL));
      const rel = smallPath(i, dirs);
      if (i % step === 0) sampled.set(rel, createHash("sha256").update(body).digest("hex"));
      await http.ok("PUT", `${SOURCE}/${rel}`, { op: "CREATE", overwrite: "true", write: "true" }, body);
    },
  );
  await putBigFile(`${SOURCE}/big.bin`);
  for (const d of directories) await http.ok("PUT", at(d), { op: "SETOWNER", owner: OWNER, group: GROUP });
  return { directories: directories.filter(Boolean), sampled };
}

/** Every file below `root` on the Gen2 side (recursive listing with continuation): count, bytes, stray names. */
async function listTarget(root) {
  let files = 0;
  let bytes = 0;
  const strays = [];
  let continuation = "";
  do {
    const r = await dfs("GET", "", {
      resource: "filesystem",
      directory: root.slice(1),
      recursive: "true",
      ...(continuation ? { continuation } : {}),
    });
    for (const p of JSON.parse(r.text).paths ?? []) {
      if (p.isDirectory === "true" || p.isDirectory === true) continue;
      files++;
      bytes += Number(p.contentLength ?? 0);
      if (p.name.includes(".adlkit-copy.")) strays.push(p.name);
    }
    continuation = r.headers["x-ms-continuation"] ?? "";
  } while (continuation);
  return { files, bytes, strays };
}

async function gen2Sha(p) {
  return createHash("sha256")
    .update((await dfs("GET", p, {})).body)
    .digest("hex");
}

/** The big file's SHA-256 on Gen2, streamed (1 GiB is not held in memory). */
async function gen2ShaStreamed(p) {
  const hash = createHash("sha256");
  const chunk = 64 * MiB;
  for (let offset = 0; offset < BIG; offset += chunk) {
    const end = Math.min(BIG, offset + chunk) - 1;
    hash.update((await dfs("GET", p, {}, { headers: { range: `bytes=${offset}-${end}` } })).body);
  }
  return hash.digest("hex");
}

/** `rwxr-x--T+` / `rwxr-x---` -> octal as Gen1 writes it ("750", "1770"). */
function octal(symbolic) {
  const s = symbolic.replace(/\+$/, "");
  const bit = (c, on) => (c === on || c === "s" || c === "t" ? 1 : 0);
  const digit = (i) => bit(s[i], "r") * 4 + bit(s[i + 1], "w") * 2 + (/[xst]/.test(s[i + 2]) ? 1 : 0);
  const sticky = /[tT]/.test(s[8]) ? "1" : "";
  return `${sticky}${digit(0)}${digit(3)}${digit(6)}`;
}

/** Access control of one path on both sides, as comparable text; "" when they agree. */
async function aclDifference(rel, target) {
  const g1 = JSON.parse(
    (await http.ok("GET", rel ? `${SOURCE}/${rel}` : SOURCE, { op: "MSGETACLSTATUS" })).text,
  ).AclStatus;
  const g2 = (await dfs("HEAD", rel ? `${target}/${rel}` : target, { action: "getAccessControl" })).headers;
  const a = {
    entries: [...g1.entries].sort().join(","),
    owner: g1.owner,
    group: g1.group,
    permission: `${g1.stickyBit && g1.permission.length === 3 ? "1" : ""}${g1.permission}`,
  };
  const b = {
    entries: String(g2["x-ms-acl"] ?? "")
      .split(",")
      .filter(Boolean)
      .sort()
      .join(","),
    owner: g2["x-ms-owner"],
    group: g2["x-ms-group"],
    permission: octal(String(g2["x-ms-permissions"] ?? "")),
  };
  const differs = Object.keys(a).filter((k) => a[k] !== b[k]);
  return differs.length ? `${rel || "/"}: ${differs.map((k) => `${k} ${a[k]} vs ${b[k]}`).join("; ")}` : "";
}

/** The untimed checks of one round's result; an error text, or undefined when everything matches. */
async function check(target, expected) {
  const listed = await listTarget(target);
  if (listed.strays.length) return `staging files left: ${listed.strays.slice(0, 3).join(", ")}`;
  if (listed.files !== expected.files || listed.bytes !== expected.bytes)
    return `the target holds ${listed.files} files / ${listed.bytes} bytes, expected ${expected.files} / ${expected.bytes}`;
  if ((await gen2ShaStreamed(`${target}/big.bin`)) !== (await bigFileSha()))
    return "big.bin: SHA-256 differs";
  for (const [rel, sha] of expected.sampled)
    if ((await gen2Sha(`${target}/${rel}`)) !== sha) return `${rel}: SHA-256 differs`;
  for (const rel of ["", ...expected.directories, "big.bin", ...expected.sampled.keys()]) {
    const difference = await aclDifference(rel, target);
    if (difference) return `access control differs: ${difference}`;
  }
  return undefined;
}

/**
 * Data-plane requests since the journal was cleared, all of them, by op: Gen1's WebHDFS ops and the Gen2 side's
 * (the emulator names a DFS read `blob:path-none-get`: both endpoints serve it).
 */
function dataRequests(counts) {
  const ops = Object.entries(counts ?? {}).filter(([op]) => /^[A-Z]+$/.test(op) || /^(dfs|blob):/.test(op));
  return { total: ops.reduce((n, [, c]) => n + c, 0), ops: ops.sort((x, y) => y[1] - x[1]) };
}

export async function migration() {
  const files = SIZES.smallFiles;
  const dirs = directoryCount(files);
  await ensureGen2Account();
  const source = await buildSource(files, dirs);
  flushToDisk();
  const expected = { ...source, files: files + 1, bytes: files * SMALL + BIG };
  const target = (rep) => `/migrated/r${rep}`;
  const contender = {
    name: `@adlkit/fs-client copy() Gen1 -> Gen2, preserve acl,owner,permissions (concurrency ${THREADS})`,
    before: async (rep) => {
      await gen2Delete(target(rep));
      await dfs("PUT", "/migrated", { resource: "directory" });
    },
    run: (rep) =>
      runOurs({
        action: "migrate",
        remote: SOURCE,
        gen2Account: GEN2_ACCOUNT,
        filesystem: GEN2_FILESYSTEM,
        target: target(rep),
        stateFile: path.join(work, `migration-${rep}.jsonl`),
        concurrency: THREADS,
      }),
    after: async (rep, s) => {
      s.journal = dataRequests(await journalOpCounts());
      log(`  checking round ${rep + 1}'s target (untimed)`);
      const problem = await check(target(rep), expected);
      await gen2Delete(target(rep));
      return problem;
    },
  };
  const s = summariesFor(await alternate([contender], REPS)).get(contender.name);
  const items = expected.files + dirs + 1;
  const perFile = s.samples.map((x) => x.journal.total / expected.files);
  const first = s.samples[0]?.journal;
  const mib = expected.bytes / MiB;
  sections.push(
    `## 10. Gen1 -> Gen2 migration: ${sizeLabel} in 1 file + ${files.toLocaleString("en-US")} files of 4 KiB, ${dirs + 1} directories with ACLs\n\n${table(
      [
        "contender",
        "median time",
        "MiB/s",
        "files/s",
        "peak client RSS",
        "client CPU-s",
        "emulator CPU-s",
        "requests per file",
        "ok runs",
      ],
      [
        [
          contender.name + failNote(s),
          `${fmt(s.seconds, 2)} s`,
          fmt(mib / s.seconds, 0),
          fmt(expected.files / s.seconds, 0),
          `${fmt(s.rssMiB, 0)} MiB`,
          fmt(s.cpu),
          fmt(s.emuCpu),
          fmt(median(perFile), 2),
          `${s.ok}/${s.n}`,
        ],
      ],
    )}\n\n` +
      `Each round copies the tree (${items.toLocaleString("en-US")} items; every directory has an access and a default ` +
      "ACL with a named user, and an owner and group; the files inherit the default entries) into a fresh Gen2 " +
      "directory of the same emulator, in a child process: its time and CPU around the copy, its peak RSS. " +
      "Checked after each round, untimed: file count and bytes, no staging file left, the big file's SHA-256 and " +
      `${expected.sampled.size} small files' against the source, and the ACL entries, owner, group and permission ` +
      `of every directory and of those files against the source's. MiB/s counts all ${fmt(mib, 0)} MiB over the whole ` +
      "copy, files/s all files over the whole copy (the big file included). Requests per file: every Gen1 and DFS " +
      "request of the run (the emulator's journal counts) over the files; directories' requests are in it. No " +
      "official SDK migrates Gen1 to Gen2 with ACLs (that takes AzCopy or Data Factory, which lose them, or " +
      `distcp on a cluster), so there is no contender beside ours. ${emulatorPeak()}\n\n` +
      `Requests of one run (the emulator's journal): ${first ? first.ops.map(([op, n]) => `${op} ${n}`).join(", ") : "n/a"}.`,
  );
  await remoteDelete(SOURCE);
  for (let rep = 0; rep < REPS; rep++) rmSync(path.join(work, `migration-${rep}.jsonl`), { force: true });
}
