// What the test takes from a README: the fenced block right after an HTML comment `<!-- packaging-test: NAME -->`
// (invisible on a rendered page), so what a reader copies is exactly what runs.

export interface Block {
  lang: string;
  code: string;
}

export function markedBlock(readme: string, name: string): Block {
  const marker = `<!-- packaging-test: ${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`no "${marker}" in the README`);
  const match = /^\s*```(\w*)\n([\s\S]*?)^```/m.exec(readme.slice(at + marker.length));
  if (!match || match.index > 2) throw new Error(`"${marker}" is not followed by a fenced code block`);
  return { lang: match[1] ?? "", code: match[2] ?? "" };
}

export interface InstallCommand {
  packages: string[];
  global: boolean;
  dev: boolean;
}

/**
 * The README's one `npm install` line, read as npm would: flags and package names. Anything else in the block
 * (another command, an unknown flag) is refused, so the test never runs a different command than the README.
 */
export function installCommand(block: Block): InstallCommand {
  const lines = block.code
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
  if (lines.length !== 1) throw new Error(`the install block must hold one command, not ${lines.length}`);
  const [npm, verb, ...args] = (lines[0] ?? "").split(/\s+/);
  if (npm !== "npm" || verb !== "install")
    throw new Error(`the install block must use npm install: ${lines[0]}`);
  const result: InstallCommand = { packages: [], global: false, dev: false };
  for (const arg of args) {
    if (arg === "--global" || arg === "-g") result.global = true;
    else if (arg === "--save-dev" || arg === "-D") result.dev = true;
    else if (/^(@[a-z0-9-]+\/)?[a-z0-9.-]+$/.test(arg)) result.packages.push(arg);
    else throw new Error(`unexpected argument ${arg} in: ${lines[0]}`);
  }
  return result;
}
