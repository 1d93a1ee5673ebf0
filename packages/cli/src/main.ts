import { readFileSync } from "node:fs";
import { createContext, type RuntimeContext } from "./create-context.js";
import { describeError, EXIT, UsageError } from "./errors.js";
import { formatJson } from "./output/json.js";
import { render } from "./output/render.js";
import { colorEnabled, painter } from "./output/style.js";
import { parseArgs } from "./parse-args.js";

export function readVersion(): string {
  return (
    JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
  ).version;
}

interface Streams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Runs one command line and exits. The only `process.exit` of the CLI is here, after one catch has turned
 * any error into a one-line message (redacted) and an exit code: 0 ok, 1 failed, 2 usage, 3 not found,
 * 130 interrupted.
 */
export async function main(argv: string[]): Promise<never> {
  const code = await run(argv);
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write("", () => resolve()));
  process.exit(code);
}

export async function run(argv: string[], streams: Streams = process): Promise<number> {
  const { stdout, stderr } = streams;
  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(EXIT.interrupted);
    controller.abort(new DOMException("interrupted", "AbortError"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // `adl fs cat big | head`: the reader went away; that is not an error.
  stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(EXIT.ok);
  });

  let ctx: RuntimeContext | undefined;
  let commandName: string | undefined;
  let json = argv.includes("--json");
  let verbose = argv.includes("--verbose") || argv.includes("-v");
  let debug = argv.includes("--debug");
  const paintErr = painter(colorEnabled(stderr, process.env, !argv.includes("--no-color")));
  try {
    const version = readVersion();
    const parsed = parseArgs(argv, { version });
    if (parsed.kind === "version") {
      stdout.write(json ? formatJson({ version: parsed.text }) : `${parsed.text}\n`);
      return EXIT.ok;
    }
    if (parsed.kind === "help") {
      (parsed.exitCode === 0 ? stdout : stderr).write(parsed.text);
      return parsed.exitCode;
    }
    ({ json, verbose, debug } = parsed.globals);
    commandName = parsed.spec.name;
    ctx = createContext({
      globals: parsed.globals,
      env: process.env,
      cwd: process.cwd(),
      stdin: process.stdin,
      stdout,
      stderr,
      signal: controller.signal,
      version,
    });
    const command = await parsed.spec.load();
    const result = await command(parsed.options, ctx);
    const paint = painter(colorEnabled(stdout, process.env, parsed.globals.color));
    await render(result, { json, quiet: parsed.globals.quiet, verbose, stdout, stderr, paint });
    if (result.kind === "record" && result.after) await result.after();
    return result.exitCode ?? EXIT.ok;
  } catch (err) {
    const described = describeError(controller.signal.aborted ? controller.signal.reason : err, {
      command: commandName,
      ...ctx?.errorContext(),
    });
    // The sanitizer lives in core; if even core cannot load (a broken install), show no text that holds a secret.
    const redactText = await import("@adlkit/core").then(
      (core) => core.redactText,
      () => (text: string, secrets: readonly string[]) =>
        secrets.some((s) => s && text.includes(s))
          ? "(not shown: it contains the value of a secret in use)"
          : text,
    );
    const secrets = [
      ...(ctx?.secrets() ?? []),
      ...secretsInArgv(argv),
      process.env.AZURE_CLIENT_SECRET ?? "",
    ];
    const clean = (text: string) => redactText(text, secrets);
    let line = `${paintErr("red", "adl:")} ${clean(described.message)}`;
    if (described.code && !(err instanceof UsageError)) line += ` [${described.code}]`;
    if (described.hint) line += `${/[.!?)\]]$/.test(line) ? "" : "."} Hint: ${clean(described.hint)}`;
    if (verbose && described.detail) line += ` (${clean(described.detail)})`;
    if (verbose && described.requestId) line += ` (request id ${described.requestId})`;
    stderr.write(`${line}\n`);
    if (debug && !described.expected && err instanceof Error && err.stack)
      stderr.write(`${clean(err.stack)}\n`);
    if (json) {
      stdout.write(
        formatJson({
          error: {
            code: described.code,
            message: clean(described.message),
            ...(described.hint ? { hint: clean(described.hint) } : {}),
            ...(described.detail ? { detail: clean(described.detail) } : {}),
            ...(described.requestId ? { requestId: described.requestId } : {}),
            exitCode: described.exitCode,
          },
        }),
      );
    }
    return described.exitCode;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await ctx?.dispose();
  }
}

/** Values of --client-secret on the command line, to redact even before the context exists. */
function secretsInArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === "--client-secret" && argv[i + 1]) out.push(argv[i + 1]!);
    else if (arg.startsWith("--client-secret=")) out.push(arg.slice("--client-secret=".length));
  });
  return out;
}
