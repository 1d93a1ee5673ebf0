import v8 from "node:v8";

/**
 * How far V8 lets the old generation grow past what the last full GC kept, in percent (a growth factor of 3).
 *
 * Why the emulator process sets it. During a long upload the heap holds little (~15 MiB), so V8's own factor
 * (about 2 at that size) leaves less room above it than the young generation, which has grown to its maximum
 * under the stream of body chunks; V8 then starts incremental marking at once after every full GC ("Start
 * (task)" in `--trace-incremental-marking`). Measured on a 1 GiB upload (8 parallel CREATE/APPEND streams): a
 * mark-compact every 50-100 ms, about a quarter of the emulator's CPU in concurrent marking and sweeping. With
 * the room this factor gives, one or two mark-compacts per run remain. The cost is memory: a heap may reach
 * three times what it holds before it is collected, which for the emulator is tens of MiB.
 */
const GROWING_PERCENT = 200;

/**
 * Sets V8's heap growing factor for this process unless the command line or NODE_OPTIONS already chose one.
 * Only the `adl-emulator` process calls this (never a process that embeds the emulator): a V8 flag is global.
 * The flag is read each time V8 recomputes its limits (after every full GC), so setting it at start-up works.
 */
export function setHeapGrowth(): void {
  const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) =>
    a.includes("--heap-growing-percent"),
  );
  if (!chosen) v8.setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
}
