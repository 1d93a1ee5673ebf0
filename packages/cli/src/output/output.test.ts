import { PassThrough } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import type { Column } from "../result.js";
import {
  cellText,
  flatten,
  formatBytes,
  formatPermission,
  formatRecord,
  formatTable,
  formatTime,
  writeTable,
} from "./human.js";
import { formatJson, writeJsonArray } from "./json.js";
import { createProgress, formatTransferLine } from "./progress.js";
import { render } from "./render.js";
import { colorEnabled, painter } from "./style.js";

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

async function* slowly<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((r) => setImmediate(r));
    yield item;
  }
}

describe("human formatting", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [5_000_000, "4.8 MiB"],
    [200 * 1024 ** 3, "200 GiB"],
  ])("formatBytes(%d) = %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    ["755", true, false, "drwxr-xr-x"],
    ["640", false, false, "-rw-r-----"],
    ["770", false, true, "-rwxrwx---+"],
    ["1777", true, false, "drwxrwxrwt"],
    ["1776", true, false, "drwxrwxrwT"],
    ["7", false, false, "-------rwx"],
  ])("formatPermission(%s, dir=%s, acl=%s) = %s", (octal, dir, acl, text) =>
    expect(formatPermission(octal, dir, acl)).toBe(text),
  );

  it("prints times in UTC and '-' for none", () => {
    expect(formatTime(Date.UTC(2025, 0, 31, 13, 4, 59))).toBe("2025-01-31 13:04");
    expect(formatTime(0)).toBe("-");
    expect(formatTime(undefined)).toBe("-");
  });

  it.each([
    [undefined, "-"],
    [null, "-"],
    ["", "-"],
    ["x", "x"],
    [3, "3"],
    [false, "false"],
    [{ a: 1 }, '{"a":1}'],
  ])("cellText(%j) = %s", (value, text) => expect(cellText(value)).toBe(text));

  it("aligns table columns, right-aligning numbers, without trailing spaces", () => {
    const text = formatTable(
      ["NAME", "SIZE", "PATH"],
      [
        [{ text: "a" }, { text: "5" }, { text: "/a" }],
        [{ text: "longer" }, { text: "12345" }, { text: "/b" }],
      ],
      { align: [undefined, "right", undefined] },
    );
    expect(text).toBe("NAME     SIZE  PATH\na           5  /a\nlonger  12345  /b\n");
  });

  it("flattens records to dotted keys", () => {
    expect(
      flatten({ name: "x", properties: { state: "ok", rules: [{ a: 1 }, { a: 2 }], ips: ["1", "2"] } }),
    ).toEqual([
      ["name", "x"],
      ["properties.state", "ok"],
      ["properties.rules", "2 item(s)"],
      ["properties.ips", "1, 2"],
    ]);
    expect(formatRecord({ name: "x", properties: { state: "ok" } })).toBe(
      "name:             x\nproperties.state: ok\n",
    );
    expect(formatRecord({ a: 1, b: 2 }, [{ label: "only b", get: (d) => d.b }])).toBe("only b: 2\n");
  });

  it("writes a table from an async listing, and nothing for an empty one", async () => {
    const columns: Column<{ n: string; v: number }>[] = [
      { header: "N", get: (i) => i.n },
      { header: "V", get: (i) => i.v, align: "right" },
    ];
    const out = sink();
    const count = await writeTable(
      out.stream,
      slowly([
        { n: "a", v: 1 },
        { n: "bb", v: 22 },
      ]),
      columns,
      painter(false),
    );
    expect(count).toBe(2);
    expect(out.text()).toBe("N    V\na    1\nbb  22\n");
    const empty = sink();
    expect(await writeTable(empty.stream, [], columns, painter(false))).toBe(0);
    expect(empty.text()).toBe("");
  });
});

describe("JSON output", () => {
  it("streams an array item by item and stays one valid document", async () => {
    const out = sink();
    const items = [
      { path: "/a", length: 1 },
      { path: "/b", length: 2 },
    ];
    expect(await writeJsonArray(out.stream, slowly(items))).toBe(2);
    expect(JSON.parse(out.text())).toEqual(items);
    expect(out.text().split("\n")).toHaveLength(5); // "[", one line per item, "]", ""
    const empty = sink();
    await writeJsonArray(empty.stream, []);
    expect(JSON.parse(empty.text())).toEqual([]);
  });

  it("applies toJson per item", async () => {
    const out = sink();
    await writeJsonArray(out.stream, [{ secret: "x", name: "n" }], (i) => ({ name: i.name }));
    expect(JSON.parse(out.text())).toEqual([{ name: "n" }]);
  });

  it("prints one pretty document per record", () => {
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });
});

describe("render", () => {
  const target = (json: boolean) => {
    const stdout = sink();
    const stderr = sink();
    return {
      stdout,
      stderr,
      target: { json, stdout: stdout.stream, stderr: stderr.stream, paint: painter(false) },
    };
  };

  it("puts data on stdout and the confirmation on stderr for humans", async () => {
    const t = target(false);
    await render({ kind: "record", data: { name: "rg1" }, message: "Created rg1." }, t.target);
    expect(t.stdout.text()).toBe("name: rg1\n");
    expect(t.stderr.text()).toBe("Created rg1.\n");
  });

  it("puts only JSON on stdout and nothing on stderr with --json", async () => {
    for (const result of [
      { kind: "record" as const, data: { name: "rg1" }, message: "Created rg1." },
      { kind: "message" as const, data: { deleted: ["/a"] }, message: "Deleted /a." },
      { kind: "list" as const, items: [{ name: "a" }], columns: [], message: "1 item" },
    ]) {
      const t = target(true);
      await render(result as never, t.target);
      expect(() => JSON.parse(t.stdout.text())).not.toThrow();
      expect(t.stderr.text()).toBe("");
    }
  });

  it("shows a summary record only with -v, and nothing but data and one line otherwise", async () => {
    const summary = {
      kind: "record" as const,
      data: { source: "a", destination: "/a", bytes: 1 },
      detail: true,
      message: "Uploaded 1 B to /a.",
    };
    const plain = target(false);
    await render(summary, plain.target);
    expect(plain.stdout.text()).toBe("");
    expect(plain.stderr.text()).toBe("Uploaded 1 B to /a.\n");
    const verbose = target(false);
    await render(summary, { ...verbose.target, verbose: true });
    expect(verbose.stdout.text()).toBe("source:      a\ndestination: /a\nbytes:       1\n");
    expect(verbose.stderr.text()).toBe("Uploaded 1 B to /a.\n");
    const json = target(true);
    await render(summary, json.target);
    expect(JSON.parse(json.stdout.text())).toEqual(summary.data);
  });

  it("says nothing on stderr with -q, and keeps the data on stdout", async () => {
    for (const result of [
      { kind: "record" as const, data: { name: "rg1" }, message: "Created rg1." },
      { kind: "message" as const, data: { deleted: ["/a"] }, message: "Deleted /a." },
      { kind: "list" as const, items: [], columns: [], empty: "/e is empty." },
    ]) {
      const t = target(false);
      await render(result as never, { ...t.target, quiet: true });
      expect(t.stderr.text()).toBe("");
      expect(t.stdout.text()).toBe(result.kind === "record" ? "name: rg1\n" : "");
    }
  });

  it("says on stderr that a list is empty, so stdout stays data", async () => {
    const columns = [{ header: "NAME", get: (i: { name: string }) => i.name }];
    const specific = target(false);
    await render({ kind: "list", items: [], columns, empty: "/e is empty." } as never, specific.target);
    expect(specific.stdout.text()).toBe("");
    expect(specific.stderr.text()).toBe("/e is empty.\n");
    const generic = target(false);
    await render({ kind: "list", items: slowly([]), columns } as never, generic.target);
    expect(generic.stderr.text()).toBe("Nothing to list.\n");
    const json = target(true);
    await render({ kind: "list", items: [], columns, empty: "/e is empty." } as never, json.target);
    expect(json.stdout.text()).toBe("[]\n");
    expect(json.stderr.text()).toBe("");
  });

  it("prints nothing for a message result's data in human mode", async () => {
    const t = target(false);
    await render({ kind: "message", data: { x: 1 }, message: "Done." }, t.target);
    expect(t.stdout.text()).toBe("");
    expect(t.stderr.text()).toBe("Done.\n");
  });
});

describe("transfer progress line", () => {
  const line = {
    label: "Uploading",
    progress: 0.456,
    eta: 75,
    bytes: "2.1 MiB/4.8 MiB",
    rate: "1.2 MiB/s",
    files: "3/10 files",
  };

  it("shows everything, with a bar of at most 30, on a wide terminal", () => {
    expect(formatTransferLine(line, 200)).toBe(
      `Uploading ${"█".repeat(14)}${"░".repeat(16)} 45% 2.1 MiB/4.8 MiB | 1.2 MiB/s | 3/10 files | ETA 1m15s`,
    );
  });

  it.each([100, 80, 72, 60, 50, 40, 30, 20, 14])(
    "fits %i columns and keeps the percentage and the rate",
    (columns) => {
      const text = formatTransferLine(line, columns);
      expect(text.length).toBeLessThan(columns);
      expect(text).toContain("45%");
      expect(text).toContain("1.2 MiB/s");
    },
  );

  it("gives up the byte counts before the ETA and the bar, and the bar before the label", () => {
    const at60 = formatTransferLine(line, 60);
    expect(at60).toMatch(/^Uploading [█░]{10,} 45% 1\.2 MiB\/s \| 3\/10 files \| ETA 1m15s$/);
    expect(formatTransferLine(line, 30)).toBe("Uploading 45% 1.2 MiB/s");
    expect(formatTransferLine(line, 20)).toBe("45% 1.2 MiB/s");
    expect(formatTransferLine({ label: "Downloading", progress: 1, eta: 0 }, 80)).toMatch(
      /^Downloading █{30} 100% ETA --$/,
    );
  });
});

describe("spinner", () => {
  it("stays on one line of a narrow terminal", () => {
    const writes: string[] = [];
    const stream = { isTTY: true, columns: 24, write: (text: string) => writes.push(text) > 0 };
    const spinner = createProgress(stream as never, true).spinner(
      "Creating account lake1 in resource group rg1",
    );
    spinner.stop();
    const first = stripVTControlCharacters(writes[0] ?? "").replace("\r", "");
    expect(first).toBe("⠋ Creating account lak…");
    expect(first!.length).toBeLessThan(24);
  });
});

describe("colour", () => {
  it.each([
    [{ isTTY: true }, {}, true, true],
    [{ isTTY: false }, {}, true, false],
    [{ isTTY: true }, { NO_COLOR: "1" }, true, false],
    [{ isTTY: true }, { NO_COLOR: "" }, true, true],
    [{ isTTY: true }, {}, false, false],
    [{ isTTY: true }, { TERM: "dumb" }, true, false],
    [{ isTTY: false }, { FORCE_COLOR: "1" }, true, true],
    [{ isTTY: true }, { FORCE_COLOR: "1", NO_COLOR: "1" }, false, false],
  ])("stream %j env %j flag %s → %s", (stream, env, flag, expected) => {
    expect(colorEnabled(stream, env, flag)).toBe(expected);
  });

  it("paints only when enabled", () => {
    expect(painter(false)("red", "x")).toBe("x");
    expect(painter(true)("red", "x")).toBe("\u001b[31mx\u001b[39m");
  });
});
