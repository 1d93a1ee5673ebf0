import path from "node:path";
import { fmt, max, measure, median, procCpuSeconds, procPeakRssKiB, resetPeakRss } from "./lib.mjs";
import { connection, connectionFile, emulator, http, journalCounts, nodeFlags } from "./session.mjs";
import { ACCOUNT, curlVersion, here, log, PYTHON, pyVersions } from "./setup.mjs";

// ---- contenders -------------------------------------------------------------------------------------------
export const oursChild = path.join(here, "ours-child.mjs");
export const pyChild = path.join(here, "py_child.py");
export const pythonOk = Boolean(pyVersions);
export const curlOk = Boolean(curlVersion);

export function runOurs(args) {
  return measure(process.execPath, [
    ...nodeFlags("client"),
    oursChild,
    JSON.stringify({ connectionFile, account: ACCOUNT, ...args }),
  ]);
}
export function runPython(args) {
  if (!pythonOk)
    return Promise.resolve({
      ok: false,
      error: `${PYTHON} with azure-datalake-store and adal is not available`,
      wall: NaN,
    });
  return measure(PYTHON, [pyChild, JSON.stringify({ connectionFile, account: ACCOUNT, ...args })]);
}

/**
 * One sample from a measured child: the operation's time (the child's own report, else wall), client CPU
 * (the child's report around the operation, else /usr/bin/time's whole-process figure), peak RSS
 * (/usr/bin/time, else the child's own maxRSS) and the emulator's CPU seconds meanwhile.
 */
export function sample(m, emuCpu) {
  return {
    ok: m.ok,
    error: m.error,
    seconds: m.report?.seconds ?? m.wall,
    wall: m.wall,
    cpu: m.report?.cpuSeconds ?? m.cpu,
    processCpu: m.cpu,
    rssKiB: m.rssKiB ?? m.report?.maxRssKiB,
    emuCpu,
    report: m.report,
    stdout: m.stdout,
  };
}

/**
 * Runs every contender `reps` times, alternating (the order rotates each repetition).
 * contender: { name, run(rep) -> measure result, before?(rep), after?(rep, sample) -> error string | undefined,
 *   serverPid?: the process whose CPU the row's server column counts (default: the emulator) }
 */
export async function alternate(contenders, reps) {
  const results = new Map(contenders.map((c) => [c.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    const order = contenders.map((_, i) => contenders[(i + rep) % contenders.length]);
    for (const c of order) {
      if (c.unavailable) {
        results.get(c.name).push({ ok: false, error: c.unavailable });
        continue;
      }
      await c.before?.(rep);
      await http.admin("DELETE", "journal", connection.adminKey);
      // The server whose CPU is counted: the emulator, or for reference rows the do-nothing server they talk to.
      const serverPid = c.serverPid ?? emulator.pid;
      const cpu0 = procCpuSeconds(serverPid);
      const m = await c.run(rep);
      const s = sample(m, procCpuSeconds(serverPid) - cpu0);
      s.requests = await journalCounts();
      if (s.ok && c.after) {
        const problem = await c.after(rep, s);
        if (problem) Object.assign(s, { ok: false, error: problem });
      }
      log(
        `  ${c.name} #${rep + 1}: ${s.ok ? `${fmt(s.seconds, 3)} s, cpu ${fmt(s.cpu)} s (user ${fmt(s.report?.cpuUser)}), rss ${fmt(s.rssKiB / 1024, 0)} MiB, emulator cpu ${fmt(s.emuCpu)} s` : `FAILED ${s.error}`}`,
      );
      if (process.env.BENCH_DEBUG && s.report) log(`    report: ${JSON.stringify(s.report)}`);
      results.get(c.name).push(s);
    }
  }
  return results;
}

/** Which filesystem requests each contender sent in its first successful run (from the emulator's journal). */
export function requestList(summaries) {
  return `Requests of one run (the emulator's journal):\n\n${[...summaries]
    .filter(([name]) => !name.startsWith("reference"))
    .map(([name, x]) => `- ${name}: ${x.requests || "n/a"}`)
    .join("\n")}`;
}

/** The emulator's peak RSS since the last call (the peak is reset each time), as a sentence. */
export function emulatorPeak() {
  const kib = procPeakRssKiB(emulator.pid);
  resetPeakRss(emulator.pid);
  return `Emulator peak RSS during this scenario: ${fmt(kib / 1024, 0)} MiB.`;
}

/** Median/peaks of one contender's samples. */
export function summarize(samples) {
  const ok = samples.filter((s) => s.ok);
  return {
    n: samples.length,
    ok: ok.length,
    seconds: median(ok.map((s) => s.seconds)),
    cpu: median(ok.map((s) => s.cpu)),
    rssMiB: max(ok.map((s) => s.rssKiB)) / 1024,
    emuCpu: median(ok.map((s) => s.emuCpu)),
    errors: [...new Set(samples.filter((s) => !s.ok).map((s) => s.error))],
    requests: ok[0]?.requests,
    samples: ok,
    rounds: samples, // every run in round order, failed ones included, so runs of one round can be paired
  };
}

/**
 * The spread behind a median ratio: `value(a, b)` for each round in which both contenders' runs succeeded (they ran
 * minutes apart at most), as "per round lo to hi", or "" with fewer than two such rounds.
 */
export function perRound(a, b, value, digits = 2, unit = "") {
  const values = a.rounds
    .map((x, i) => [x, b.rounds[i]])
    .filter(([x, y]) => x?.ok && y?.ok)
    .map(([x, y]) => value(x, y))
    .filter(Number.isFinite);
  if (values.length < 2) return "";
  const show = (x) => fmt(x, digits).replace(/^-(0(\.0+)?)$/, "$1"); // no "-0"
  return `per round ${show(Math.min(...values))} to ${show(Math.max(...values))}${unit}`;
}

/** `parts` that are not empty, joined by "; " and in parentheses; "" when none is left. */
export const aside = (...parts) => (parts.some(Boolean) ? ` (${parts.filter(Boolean).join("; ")})` : "");

export const sections = [];
export const targets = []; // { target, measured, met }
export const failNote = (s) =>
  s.errors.length ? ` — failed ${s.n - s.ok}/${s.n}: ${s.errors.join("; ")}` : "";
/** `why`: what explains the figure when the target is missed (shown only then): a measured cause, not an excuse. */
export function target(name, measured, met, why = "") {
  targets.push([
    name,
    measured,
    met === undefined ? "not measured" : met ? "**met**" : "**missed**",
    met === false ? why : "",
  ]);
}

export const summariesFor = (results) => new Map([...results].map(([k, v]) => [k, summarize(v)]));
