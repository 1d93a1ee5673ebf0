// Runs a README block in a project: TypeScript with Node's type stripping (after a strict type check against
// the installed packages' types), shell with bash -e, both with a deadline so a process that does not exit
// (an open handle left by a client) fails the test.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type RunResult, run } from "./exec.js";
import type { Project } from "./projects.js";
import type { Block } from "./readme.js";
import { ROOT } from "./workspace.js";

/** Makes the shared emulator the project's `./.adl-emulator`, where the READMEs look for it. */
export function linkEmulator(project: Project, emulatorDir: string): void {
  symlinkSync(emulatorDir, path.join(project.dir, ".adl-emulator"));
}

/** Writes a block into the project as `name.ts` or `name.sh`, and returns the file name. */
export function writeBlock(project: Project, block: Block, name: string): string {
  const file = `${name}.${block.lang}`;
  writeFileSync(path.join(project.dir, file), block.code);
  return file;
}

export async function typecheck(project: Project, file: string): Promise<void> {
  writeFileSync(
    path.join(project.dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        target: "es2023",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        typeRoots: [path.join(ROOT, "node_modules", "@types")],
      },
      files: [file],
    }),
  );
  await run(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], {
    cwd: project.dir,
    env: project.env,
    timeoutMs: 60_000,
  });
}

export interface QuickStartOptions {
  /** A Node binary to run it with (a floor version); default: the one on the project's PATH. */
  node?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export async function runBlock(
  project: Project,
  block: Block,
  name: string,
  options: QuickStartOptions = {},
) {
  const env = { ...project.env, ...options.env };
  const timeoutMs = options.timeoutMs ?? 120_000;
  const file = writeBlock(project, block, name);
  if (block.lang === "ts") {
    // Type stripping is on by default from Node 22.18; the flag makes older floors run the same file.
    const args = options.node ? ["--experimental-strip-types", "--no-warnings", file] : [file];
    return run(options.node ?? "node", args, { cwd: project.dir, env, timeoutMs });
  }
  if (block.lang === "sh") {
    if (options.node) env.PATH = `${path.dirname(options.node)}${path.delimiter}${env.PATH}`;
    return run("bash", ["-e", file], { cwd: project.dir, env, timeoutMs });
  }
  throw new Error(`no way to run a \`\`\`${block.lang} block`);
}

const floorNodes = new Map<string, Promise<string>>();

/** Node `version` from the npm registry (the `node` package, as scripts/bootstrap.sh gets it), once per run. */
export function floorNode(root: string, version: string, env: NodeJS.ProcessEnv): Promise<string> {
  let node = floorNodes.get(version);
  const dir = path.join(root, `node-${version}`);
  const bin = path.join(dir, "node_modules", ".bin", "node");
  if (!node && existsSync(bin)) node = Promise.resolve(bin); // installed by the global setup's process
  if (!node) {
    mkdirSync(dir, { recursive: true });
    node = run(
      "npm",
      [
        "install",
        "--prefix",
        dir,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        `node@${version}`,
      ],
      { cwd: dir, env, timeoutMs: 180_000 },
    ).then(() => bin);
  }
  floorNodes.set(version, node);
  return node;
}

export type { RunResult };
