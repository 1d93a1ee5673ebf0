import { inspect } from "node:util";
import { findSecrets, knownSecrets } from "@adlkit/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

const lines: string[] = [];
const log = (line: string) => lines.push(line);
const t = setup("canary", {
  logger: { error: log, warning: log, info: log, verbose: log },
  retry: { limit: 1, baseDelayInMs: 1 },
});

afterAll(async () => {
  await t.client.rm(t.root, { recursive: true, force: true });
  await t.client.close();
});

describe("secret canary", () => {
  it("no token or secret reaches logs, error messages or util.inspect of errors", async () => {
    await t.client.writeFile(`${t.root}/f`, "x");
    await t.client.cat(`${t.root}/f`);
    const errors: unknown[] = [];
    errors.push(await t.client.stat(`${t.root}/missing`).catch((e: unknown) => e));
    errors.push(
      await t.client.append(`${t.root}/f`, Buffer.from("y"), { offset: 99 }).catch((e: unknown) => e),
    );
    errors.push(await t.client.open(`${t.root}/missing`).catch((e: unknown) => e));
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    const text = [
      ...lines,
      ...errors.flatMap((e) => [inspect(e), String(e), JSON.stringify(e), (e as Error).stack ?? ""]),
    ].join("\n");
    expect(findSecrets(text, knownSecrets(t.fixture.connection))).toEqual([]);
  });
});
