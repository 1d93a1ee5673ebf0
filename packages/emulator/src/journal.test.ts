import { describe, expect, it } from "vitest";
import { Journal, type JournalEntry } from "./journal.js";

const entry = (n: number): JournalEntry => ({
  time: "",
  requestId: String(n),
  method: "GET",
  path: "/",
  status: 200,
  durationMs: 0,
});

describe("Journal", () => {
  it("keeps entries oldest first and drops the oldest when full", () => {
    const journal = new Journal(3);
    for (let i = 1; i <= 5; i++) journal.record(entry(i));
    expect(journal.entries().map((e) => e.requestId)).toEqual(["3", "4", "5"]);
    expect(journal.entries((e) => e.requestId !== "4").map((e) => e.requestId)).toEqual(["3", "5"]);
  });

  it("counts every request by operation, also those the ring no longer holds", () => {
    const journal = new Journal(2);
    for (let i = 1; i <= 5; i++) journal.record({ ...entry(i), op: i % 2 ? "OPEN" : "dfs:append" });
    journal.record(entry(6));
    expect(journal.entries()).toHaveLength(2);
    expect(journal.counts()).toEqual({ OPEN: 3, "dfs:append": 2, other: 1 });
    journal.clear();
    expect(journal.counts()).toEqual({});
  });

  it("starts over after clear()", () => {
    const journal = new Journal(3);
    journal.record(entry(1));
    journal.clear();
    expect(journal.entries()).toEqual([]);
    journal.record(entry(2));
    expect(journal.entries().map((e) => e.requestId)).toEqual(["2"]);
  });
});
