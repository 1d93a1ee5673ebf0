import { emulatorCloud, publicCloud } from "@adlkit/core";
import { describe, expect, it } from "vitest";
import { authorityTrust } from "./msal-network-client.js";

describe("authorityTrust", () => {
  const emulator = emulatorCloud({
    url: "https://127.0.0.1:8443",
    dataLakeDnsSuffix: "localhost",
    caPem: "CLOUD",
  });

  it("trusts the cloud's CA as the cloud says (the emulator's alone)", () => {
    expect(authorityTrust({ cloud: emulator })).toEqual({ caPem: "CLOUD", caTrust: "only" });
  });

  it("trusts a caPem option besides the process's roots, as the option promises", () => {
    expect(authorityTrust({ cloud: emulator, caPem: "MINE" })).toEqual({ caPem: "MINE", caTrust: "extra" });
  });

  it("trusts the process's roots alone without any CA", () => {
    expect(authorityTrust({ cloud: publicCloud })).toEqual({ caPem: undefined, caTrust: undefined });
    expect(authorityTrust({})).toEqual({ caPem: undefined, caTrust: undefined });
  });
});
