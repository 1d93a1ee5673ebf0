import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
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
});
