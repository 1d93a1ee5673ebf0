// An esbuild plugin: jsonwebtoken (with jws, semver and the lodash helpers it brings) is what msal-node signs a
// certificate credential's client assertion with, and nothing else. msal-node imports it at the top of its
// module, so every token request paid for evaluating it; in the bundle it is evaluated on the first sign()
// instead, which only a certificate credential makes. The signing itself is jsonwebtoken's, unchanged.
import path from "node:path";

const LAZY_FILE = "adlkit-lazy-jsonwebtoken.cjs";
const ENTRY = `
let loaded;
module.exports = {
  sign: (...args) => (loaded ??= require("jsonwebtoken")).sign(...args),
};
`;
/** What msal-node uses of jsonwebtoken: a name missing here would be undefined at run time, so check. */
const USED = /\bjwt\.(\w+)/g;

export function lazyJsonwebtoken() {
  return {
    name: "lazy-jsonwebtoken",
    setup(build) {
      build.onResolve({ filter: /^jsonwebtoken$/ }, async (args) => {
        if (args.pluginData === "lazy-jsonwebtoken" || args.importer.endsWith(LAZY_FILE)) return undefined;
        const real = await build.resolve("jsonwebtoken", {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: "lazy-jsonwebtoken",
        });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: path.join(path.dirname(real.path), LAZY_FILE), pluginData: args.importer };
      });
      build.onLoad({ filter: /[\\/]adlkit-lazy-jsonwebtoken\.cjs$/ }, async (args) => {
        return { contents: ENTRY, loader: "js", resolveDir: path.dirname(args.path) };
      });
      // Every importer may use only sign(): anything else would be undefined in the bundle.
      build.onLoad({ filter: /msal-node[\\/].*\.mjs$/ }, async (args) => {
        const { readFile } = await import("node:fs/promises");
        const text = await readFile(args.path, "utf8");
        if (!text.includes("from 'jsonwebtoken'") && !text.includes('from "jsonwebtoken"')) return undefined;
        const other = [...text.matchAll(USED)].map((m) => m[1]).filter((name) => name !== "sign");
        if (other.length > 0)
          return {
            errors: [
              {
                text: `${args.path} uses jsonwebtoken.${other[0]}, which scripts/lazy-jsonwebtoken.mjs does not pass on`,
              },
            ],
          };
        return undefined;
      });
    },
  };
}
