import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readFixture } from "@adlkit/testkit";
import { build } from "esbuild";
import { describe, expect, inject, it } from "vitest";
// @ts-expect-error: a build script, plain JavaScript without types
import { undiciSlim } from "../scripts/undici-slim.mjs";

// Bundled as if from core, whose dependency undici is (the CLI itself has none).
const core = fileURLToPath(new URL("../../core/", import.meta.url));
const BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

async function bundle(contents: string, slim = true): Promise<{ code?: string; errors?: string }> {
  try {
    const result = await build({
      stdin: { contents, resolveDir: core, loader: "js" },
      bundle: true,
      platform: "node",
      format: "esm",
      banner: { js: BANNER },
      write: false,
      metafile: true,
      plugins: slim ? [undiciSlim()] : [],
      logLevel: "silent",
    });
    return { code: result.outputFiles[0]!.text };
  } catch (err) {
    return { errors: (err as { errors: Array<{ text: string }> }).errors.map((e) => e.text).join("\n") };
  }
}

/** Runs an ES module's code in a child Node, without blocking this process (which may be its server). */
function runModule(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
    child.stdin.end(code);
  });
}

describe("the CLI bundle's slim undici (scripts/undici-slim.mjs)", () => {
  it("bundles what core uses, much smaller than undici's entry point, and its dispatchers have request()", async () => {
    const uses = 'import { EnvHttpProxyAgent, Headers } from "undici";';
    const slim = await bundle(
      `${uses} const a = new EnvHttpProxyAgent(); console.log(typeof a.request, new Headers({ a: "1" }).get("a")); await a.close();`,
    );
    expect(slim.errors).toBeUndefined();
    const out = execFileSync(process.execPath, ["--input-type=module", "-"], {
      input: slim.code,
      encoding: "utf8",
    });
    expect(out).toBe("function 1\n");
    const whole = await bundle(`${uses} console.log(EnvHttpProxyAgent, Headers);`, false);
    expect(slim.code!.length).toBeLessThan(whole.code!.length * 0.75);
  });

  it("fails the build when a name it leaves out is imported, or undici's entry point is reached another way", async () => {
    const fetch = await bundle('import { fetch } from "undici"; console.log(fetch);');
    expect(fetch.errors).toMatch(/No matching export .*adlkit-undici-slim\.js.* for import "fetch"/);
    const entry = await bundle('import undici from "undici/index.js"; console.log(undici);');
    expect(entry.errors).toMatch(/undici's entry point .* reached the bundle/);
  });

  it("leaves out the Milo parser, and loads node:http2 only when a server answers in HTTP/2", async () => {
    // A server that speaks HTTP/2 only, with the certificate of the tests' emulator (its CA signs 127.0.0.1).
    const fx = readFixture(inject("emulatorConnectionFile"));
    const tlsDir = path.dirname(fx.connection.caCertificatePath);
    const server = http2.createSecureServer({
      key: readFileSync(path.join(tlsDir, "server-key.pem")),
      cert: readFileSync(path.join(tlsDir, "server.pem")),
    });
    server.on("stream", (stream) => {
      stream.respond({ ":status": 200 });
      stream.end("over h2");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const h2Loaded = "process.moduleLoadList.some((m) => m.endsWith(' http2'))";
      const slim = await bundle(
        `import { Agent } from "undici";
        const before = ${h2Loaded};
        const agent = new Agent({ connect: { ca: ${JSON.stringify(fx.caPem)} } });
        const res = await agent.request({ origin: ${JSON.stringify(url)}, path: "/", method: "GET" });
        console.log(before, res.statusCode, await res.body.text(), ${h2Loaded});
        await agent.close();`,
      );
      expect(slim.errors).toBeUndefined();
      expect(slim.code).not.toMatch(/lib\/milo|parser-h1\.js/);
      expect(await runModule(slim.code!)).toBe("false 200 over h2 true\n");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
