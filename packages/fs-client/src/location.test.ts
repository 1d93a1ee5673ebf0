import { emulatorCloud, publicCloud } from "@adlkit/core";
import { expect, it } from "vitest";
import { formatLocation, parseLocation } from "./location.js";

it("reads Gen1 and Gen2 URIs in their short and full forms", () => {
  expect(parseLocation("adl://acct/a/b")).toEqual({ protocol: "gen1", account: "acct", path: "/a/b" });
  expect(parseLocation("adl://acct.azuredatalakestore.net/a%20b/")).toEqual({
    protocol: "gen1",
    account: "acct",
    path: "/a b",
  });
  expect(parseLocation("abfss://fs1@acct/x/y")).toEqual({
    protocol: "gen2",
    account: "acct",
    filesystem: "fs1",
    path: "/x/y",
  });
  expect(parseLocation("abfss://fs1@acct.dfs.core.windows.net", publicCloud)).toMatchObject({
    account: "acct",
    path: "/",
  });
  expect(formatLocation(parseLocation("abfss://fs1@acct/x y"))).toBe("abfss://fs1@acct/x%20y");
});

it("takes the suffixes from the cloud and refuses another cloud's host", () => {
  const cloud = emulatorCloud({ url: "https://localhost:8443", dataLakeDnsSuffix: "localhost:8443" });
  expect(parseLocation("abfss://fs1@acct.dfs.localhost:8443/p", cloud)).toMatchObject({ account: "acct" });
  expect(() => parseLocation("abfss://fs1@acct.dfs.core.windows.net/p", cloud)).toThrow(
    /dfs\.localhost:8443/,
  );
  expect(() => parseLocation("adl://acct.example.com/p")).toThrow(/azuredatalakestore\.net/);
});

it("refuses what is not a location, with the reason", () => {
  expect(() => parseLocation("abfs://fs@acct/p")).toThrow(/abfss/);
  expect(() => parseLocation("abfss://acct/p")).toThrow(/FILESYSTEM@ACCOUNT/);
  expect(() => parseLocation("abfss://Bad_Fs@acct/p")).toThrow(/filesystem name/);
  expect(() => parseLocation("adl://fs@acct/p")).toThrow(/no filesystem/);
  expect(() => parseLocation("s3://bucket/p")).toThrow(/adl:\/\/ \(Gen1\) or abfss:\/\//);
  expect(() => parseLocation("abfss://fs1@acct/../x")).toThrow(/\.\./);
});
