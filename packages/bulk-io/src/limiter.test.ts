import { describe, expect, test } from "vitest";
import { Limiter } from "./limiter.js";

/** A task that runs until `finish()` is called, recording when it started. */
function gate(log: string[], name: string) {
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    task: () => {
      log.push(name);
      return done;
    },
    finish: () => finish(),
    fail: (err: Error) => fail(err),
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("Limiter", () => {
  test("runs at most `limit` tasks at once, the rest in the order they came", async () => {
    const limiter = new Limiter(2);
    const log: string[] = [];
    const gates = ["a", "b", "c", "d"].map((name) => gate(log, name));
    const runs = gates.map((g) => limiter.run(g.task));
    await settle();
    expect([log, limiter.running]).toEqual([["a", "b"], 2]);
    gates[1]?.finish();
    await settle();
    expect(log).toEqual(["a", "b", "c"]);
    gates[0]?.finish();
    await settle();
    expect(log).toEqual(["a", "b", "c", "d"]);
    gates[2]?.finish();
    gates[3]?.finish();
    await Promise.all(runs);
    expect(limiter.running).toBe(0);
  });

  test("a caller that comes while others wait queues behind them, even as a slot is being freed", async () => {
    const limiter = new Limiter(1);
    const log: string[] = [];
    const [first, waiter, latecomer] = ["first", "waiter", "latecomer"].map((name) => gate(log, name));
    const runs = [limiter.run(first!.task), limiter.run(waiter!.task)];
    await settle();
    first!.finish();
    runs.push(limiter.run(latecomer!.task)); // in the same turn as the finish, before the slot is handed on
    await settle();
    expect([log, limiter.running]).toEqual([["first", "waiter"], 1]);
    waiter!.finish();
    await settle();
    expect(log).toEqual(["first", "waiter", "latecomer"]);
    latecomer!.finish();
    await Promise.all(runs);
  });

  test("a failing task rejects its own run and frees its slot", async () => {
    const limiter = new Limiter(1);
    const log: string[] = [];
    const [bad, next] = ["bad", "next"].map((name) => gate(log, name));
    const failed = limiter.run(bad!.task);
    const after = limiter.run(next!.task);
    bad!.fail(new Error("disk full"));
    await expect(failed).rejects.toThrow("disk full");
    await settle();
    expect(log).toEqual(["bad", "next"]);
    next!.finish();
    await after;
    expect(limiter.running).toBe(0);
  });

  test("a task whose signal aborted while it waited does not run, and passes its slot on", async () => {
    const limiter = new Limiter(1);
    const log: string[] = [];
    const [busy, cancelled, last] = ["busy", "cancelled", "last"].map((name) => gate(log, name));
    const controller = new AbortController();
    const runs = [
      limiter.run(busy!.task),
      limiter.run(cancelled!.task, controller.signal),
      limiter.run(last!.task),
    ];
    controller.abort(new Error("stop"));
    busy!.finish();
    await expect(runs[1]).rejects.toThrow("stop");
    await settle();
    expect(log).toEqual(["busy", "last"]);
    last!.finish();
    await Promise.all([runs[0], runs[2]]);
  });

  test("refuses a limit below one", () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});
