// Bundles the compiled CLI (dist/) and everything it imports into bundle/, which the `adl` bin runs.
// Why: a cold `adl fs ls` spent most of its ~240 ms resolving, reading and linking ~400 modules (msal-node and
// msal-common alone ~75 ms, undici ~25 ms). One file per lazily loaded command instead: ~160 ms, ~16 MiB less
// RSS. Node's compile cache (bin.ts) still applies. The bundle is all the published package holds, so it
// installs with no dependencies; bundle/THIRD_PARTY_NOTICES.md carries the licence of every package inside it.
import { rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { lazyJsonwebtoken } from "./lazy-jsonwebtoken.mjs";
import { thirdPartyNotices } from "./notices.mjs";
import { undiciSlim } from "./undici-slim.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
await rm(`${root}/bundle`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ["dist/bin.js"],
  outdir: "bundle", // bin.js reads ../package.json: bundle/ sits beside dist/, so that path still holds
  bundle: true,
  splitting: true, // commands stay lazy: each `import()` becomes its own chunk
  format: "esm",
  platform: "node",
  target: "node22",
  // CommonJS dependencies (undici, jsonwebtoken) call require() for Node's built-ins; an ES module has none.
  banner: {
    js: "import { createRequire as __adlRequire } from 'node:module'; const require = __adlRequire(import.meta.url);",
  },
  // Licence comments stay at the end of the chunk they came from; the full texts are in the notices file.
  legalComments: "eof",
  metafile: true,
  plugins: [undiciSlim(), lazyJsonwebtoken()],
  logLevel: "warning",
});
await writeFile(`${root}/bundle/THIRD_PARTY_NOTICES.md`, await thirdPartyNotices(root, result.metafile));
