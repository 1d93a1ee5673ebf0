// An esbuild plugin: in the bundle's ES modules (adlkit's own, commander, msal-node), each `import … from "node:fs"`
// becomes a `require()` of the same built-in, as the CommonJS dependencies' already are. Why: Node answers an
// ES-module import of a built-in with a facade module, and building it reads every export of the built-in; many
// are lazy, and reading them loads them (`node:util`'s argument parser, diff and worker modules, for one). A
// `require()` returns the module object untouched, and skips the ES-module loader's resolving and linking of each
// built-in. (esbuild's own interop for a CommonJS module, `__toESM`, reads every property the same way, so the
// import statements themselves are rewritten.) The bindings are the same objects; only a built-in's export
// that is imported is read, once, when its module starts.
import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";

const BUILTIN = new Set(builtinModules);
const isBuiltin = (name) => name.startsWith("node:") || BUILTIN.has(name);

/** `import def, { a, b as c } from "node:x";`, `import * as ns from "x";`, `import def from 'x'` at a line's start. */
const IMPORT =
  /^import\s+(?:([\w$]+)\s*,\s*)?(?:(\{[^}]*\})|\*\s*as\s+([\w$]+)|([\w$]+))\s+from\s*(["'])([a-z][a-z0-9_:/]*)\5;?/gm;

/** `{ a, b as c }` as a destructuring pattern: `{ a, b: c }`. */
const pattern = (names) => names.replace(/\b([\w$]+)\s+as\s+([\w$]+)/g, "$1: $2");

/** The source with its import statements of built-ins turned into require() calls; undefined if it has none. */
export function requireBuiltins(source) {
  let changed = false;
  const out = source.replace(IMPORT, (statement, first, named, namespace, only, _quote, name) => {
    if (!isBuiltin(name)) return statement;
    changed = true;
    const call = `require(${JSON.stringify(name)})`;
    const whole = first ?? namespace ?? only;
    if (!named) return `const ${whole} = ${call};`;
    return whole
      ? `const ${whole} = ${call}, ${pattern(named)} = ${whole};`
      : `const ${pattern(named)} = ${call};`;
  });
  return changed ? out : undefined;
}

export function builtinsRequired() {
  return {
    name: "builtins-required",
    setup(build) {
      // The bin's own import stays: `adl --version` loads nothing but the bin (and esbuild's require() needs a
      // helper from a shared chunk).
      build.onLoad({ filter: /\.m?js$/ }, async (args) => {
        if (/[\\/]cli[\\/]dist[\\/]bin\.js$/.test(args.path)) return undefined;
        const contents = requireBuiltins(await readFile(args.path, "utf8"));
        return contents === undefined ? undefined : { contents, loader: "js" };
      });
    },
  };
}
