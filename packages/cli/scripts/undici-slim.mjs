// An esbuild plugin: `import … from "undici"` in the bundle gets only the parts of undici adlkit uses (the
// dispatchers, their `request()` and Headers) instead of undici's entry point, which also loads fetch, WebSocket,
// EventSource, the cache stores, the mock agents and cookies: roughly half of the CLI's largest chunk, read and
// compiled at every start. A name the slim entry does not export fails the build ("No matching export"), and so
// does any other way of reaching undici's entry point (checked in the metafile): add what is needed here, from
// undici's lib/, never the whole package.
//
// Two more things every start paid for and a one-shot command never uses: the experimental Milo parser (a second
// HTTP/1 parser, ~170 KB of wasm in base64), which undici leaves out itself when bundled (`esbuildDetection`, the
// flag Node.js's own build of undici sets), and HTTP/2: undici requires `node:http2` at the top of its HTTP/2
// client, and Node then builds its whole HTTP/2 implementation, while ALPN picks h2 only for a server that
// prefers it. That module is now loaded by the first HTTP/2 connection instead, unchanged.
import { readFile } from "node:fs/promises";
import path from "node:path";

const LAZY_FILE = "adlkit-undici-lazy.cjs";

/** What the slim entry offers: undici's own modules, as its index.js wires them. */
const ENTRY = `
import Dispatcher from "./lib/dispatcher/dispatcher.js";
import api from "./lib/api/index.js";
// undici's index.js gives every dispatcher request(), stream(), pipeline()… this way; core calls request().
Object.assign(Dispatcher.prototype, api);
export { Dispatcher };
export { default as Agent } from "./lib/dispatcher/agent.js";
export { default as Pool } from "./lib/dispatcher/pool.js";
export { default as EnvHttpProxyAgent } from "./lib/dispatcher/env-http-proxy-agent.js";
// Through a getter, evaluated on first use: headers.js brings fetch's helpers and WebIDL, which touch the global
// ReadableStream and so make Node load its whole Web Streams implementation, for a class few requests need.
export { Headers } from "./${LAZY_FILE}";
`;
/** CommonJS, so that each use of \`Headers\` reads the getter (an ES module's import would be evaluated at once). */
const LAZY = `
module.exports = {
  get Headers() {
    return require("./lib/web/fetch/headers.js").Headers;
  },
};
`;

const SLIM_FILE = "adlkit-undici-slim.js";

/** Modules that only undici's entry point (or the parts left out) brings in: none may be in the bundle. */
const LEFT_OUT =
  /node_modules\/undici\/(index\.js|lib\/web\/(fetch\/index|websocket|eventsource|cache)|lib\/mock|lib\/cache|lib\/milo|lib\/dispatcher\/parser-h1)/;

/** The line of undici's client that loads its HTTP/2 client, and what replaces it: the same function, loaded on first call. */
const EAGER_H2 = "const connectH2 = require('./client-h2.js')";
const LAZY_H2 =
  "let h2Client; const connectH2 = (...args) => (h2Client ??= require('./client-h2.js'))(...args)";

export function undiciSlim() {
  return {
    name: "undici-slim",
    setup(build) {
      build.initialOptions.define = { ...build.initialOptions.define, esbuildDetection: "1" };
      build.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/ }, async (args) => {
        const source = await readFile(args.path, "utf8");
        // Exactly once, or the build fails: another undici may load HTTP/2 differently, and this must be looked at.
        if (source.split(EAGER_H2).length !== 2)
          return {
            errors: [
              { text: `${args.path} no longer has "${EAGER_H2}" once; update scripts/undici-slim.mjs.` },
            ],
          };
        return {
          contents: source.replace(EAGER_H2, LAZY_H2),
          loader: "js",
          resolveDir: path.dirname(args.path),
        };
      });
      build.onResolve({ filter: /^undici$/ }, async (args) => {
        if (args.pluginData === "undici-slim") return undefined;
        // The undici the importer would get (its own dependency, whatever the version), entered by our file.
        const real = await build.resolve("undici", {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: "undici-slim",
        });
        if (real.errors.length > 0) return { errors: real.errors };
        // A file that does not exist, inside undici's directory: its imports resolve there and its licence is
        // undici's (notices.mjs).
        return { path: path.join(path.dirname(real.path), SLIM_FILE) };
      });
      build.onResolve({ filter: /^\.\/adlkit-undici-lazy\.cjs$/ }, (args) => ({
        path: path.join(args.resolveDir, LAZY_FILE),
      }));
      build.onLoad({ filter: /[\\/]adlkit-undici-lazy\.cjs$/ }, (args) => ({
        contents: LAZY,
        loader: "js",
        resolveDir: path.dirname(args.path),
      }));
      build.onLoad({ filter: /[\\/]adlkit-undici-slim\.js$/ }, (args) => ({
        contents: ENTRY,
        loader: "js",
        resolveDir: path.dirname(args.path),
      }));
      build.onEnd((result) => {
        const whole = Object.keys(result.metafile?.inputs ?? {}).filter((input) => LEFT_OUT.test(input));
        if (whole.length > 0)
          return {
            errors: [
              {
                text: `undici's entry point or a part of it adlkit leaves out reached the bundle (${whole.slice(0, 3).join(", ")}); import only what scripts/undici-slim.mjs exports.`,
              },
            ],
          };
        return undefined;
      });
    },
  };
}
