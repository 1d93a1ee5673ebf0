// auth's README section on @azure/identity: its install line and example, run as written (with the CA in
// NODE_EXTRA_CA_CERTS as it says), and the failure it warns about when the CA is missing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { createProject, type Manager } from "../src/projects.js";
import { linkEmulator, runBlock, typecheck, writeBlock } from "../src/quick-start.js";
import { installCommand, markedBlock } from "../src/readme.js";
import { packedFrom } from "../src/workspace.js";

const ctx = inject("packaging");
const auth = packedFrom(ctx.packed).find((p) => p.manifest.name === "@adlkit/auth");
const readme = readFileSync(path.join(auth?.dir ?? "", "README.md"), "utf8");
const connection = JSON.parse(readFileSync(path.join(ctx.emulatorDir, "connection.json"), "utf8")) as {
  subscriptionId: string;
};

describe("@azure/identity credentials with adlkit clients, against the emulator", () => {
  it.each(["npm", "pnpm"] as Manager[])("works as auth's README says (%s)", async (manager) => {
    const install = installCommand(markedBlock(readme, "identity-install"));
    expect(install.packages).toContain("@azure/identity");
    const project = await createProject(
      path.join(ctx.root, "projects"),
      `identity-${manager}`,
      manager,
      ctx.registryUrl,
      install,
    );
    linkEmulator(project, ctx.emulatorDir);
    const block = markedBlock(readme, "identity");
    await typecheck(project, writeBlock(project, block, "identity"));
    const env = { NODE_EXTRA_CA_CERTS: ".adl-emulator/tls/ca.pem" };
    expect(block.code).toContain(`NODE_EXTRA_CA_CERTS=${env.NODE_EXTRA_CA_CERTS}`);

    const out = await runBlock(project, block, "identity", { env });
    expect(out.stdout).toContain(connection.subscriptionId);
    expect(out.stdout).toContain("written with an @azure/identity credential");

    // Without the CA, @azure/identity fails as the README says (and the TLS error stays hidden).
    const untrusted = await runBlock(project, block, "identity", { env: { NODE_EXTRA_CA_CERTS: "" } }).catch(
      (err: Error) => err,
    );
    expect(untrusted).toBeInstanceOf(Error);
    expect((untrusted as Error).message).toMatch(/endpoints_resolution_error/);
  });
});
