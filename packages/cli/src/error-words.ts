/**
 * Library errors in the CLI's words. The libraries speak to programmers: options (`overwrite: true`,
 * `retry.limit`), methods (`resourceGroups.createOrUpdate`), request bodies (`parameters.properties.startIpAddress`)
 * and wire operations (`RENAME /x failed`). The CLI's user knows flags and commands. Every error the CLI prints
 * passes through here, so this is the one place where that wording is mapped; the libraries keep theirs, which is
 * right for their users. Like errors.ts it imports no library: errors are recognised by shape.
 */

import { commandLineName, SET_BY_ADL } from "./argument-flags.js";

/** What the CLI knows when an error is printed, to name the flag, account or emulator involved. */
export interface ErrorContext {
  /** The command's words, e.g. `fs put`. */
  command?: string | undefined;
  /** The cloud in use: `public`, `emulator`, … */
  cloud?: string | undefined;
  /** The Data Lake account in use (`--account`, ADL_ACCOUNT or the profile's). */
  account?: string | undefined;
  /** The emulator's data directory (where its connection.json is), for the emulator cloud. */
  emulatorDir?: string | undefined;
  /** The emulator's URL, for the emulator cloud. */
  emulatorUrl?: string | undefined;
  /** The Gen2 filesystems the command opened: their URL, and their URI as the user writes it. */
  filesystems?: ReadonlyArray<{ url: string; uri: string; account: string }> | undefined;
}

/** The parts of a described error that wording may change. */
export interface Wording {
  code: string;
  message: string;
  hint: string | undefined;
  exitCode: number;
}

interface Shape {
  message?: unknown;
  code?: unknown;
  status?: unknown;
  url?: unknown;
  path?: unknown;
  operation?: unknown;
  argument?: unknown;
  problem?: unknown;
  armMessage?: unknown;
  serverMessage?: unknown;
  exception?: unknown;
}

/** arm-client's ArmError marker (core's errorIdentity: one key per class, never changed once published). */
const ARM_ERROR = Symbol.for("adlkit.error.arm-client.ArmError");
const NOT_FOUND_EXIT = 3;

/** Library wording that means nothing to a CLI user, and what to say instead (hints and messages alike). */
const PHRASES: Array<[RegExp, string]> = [
  [
    /Lower the concurrency,? or raise retry\.limit(?: \(and retry\.maxDelayInMs\) to wait longer)?\./,
    "Use fewer `--threads`, or try again later.",
  ],
  [
    /Wait, make fewer requests, or raise retry\.limit\./,
    "Wait a little, then try again with fewer requests.",
  ],
  [
    /Create the resource group first \(resourceGroups\.createOrUpdate\) or check its name\./,
    "Create it with `adl group create NAME -l REGION`, or check -g/--resource-group.",
  ],
  [
    /Check the subscriptionId option and that the credential's tenant owns it\./,
    "Check --subscription (or AZURE_SUBSCRIPTION_ID, or the profile's subscription) and that the credential's tenant owns it.",
  ],
  [
    /Check the cloud option: its resourceManagerEndpoint must be/,
    "Check --cloud: its Resource Manager endpoint must be",
  ],
  [/Check the cloud option: /, "Check --cloud: "],
  [/use the cloud option that matches the credential/, "use the --cloud that matches the credential"],
  [/No token was sent\. Pass a TokenCredential as the credential option\./, "No token was sent."],
  [
    /For the emulator, pass its CA \(the cloud from emulatorCloudFromFile, or the ca option\) or set NODE_EXTRA_CA_CERTS to its ca\.pem;/,
    "For the emulator, point adl at its connection.json (--emulator DIR, or a profile from `adl profile add NAME --from-emulator DIR`), which names its CA;",
  ],
  [
    /For the emulator pass its cloud \(emulatorCloudFromFile\) or caPem, or set NODE_EXTRA_CA_CERTS to its ca\.pem\./,
    "For the emulator, point adl at its connection.json (--emulator DIR, or a profile from `adl profile add NAME --from-emulator DIR`), which names its CA.",
  ],
  [
    /Check the authority host and tenant, and that the machine can reach it/,
    "Check --tenant and --cloud, and that this machine can reach the sign-in endpoint",
  ],
  [/ \(stallTimeoutInMs\)/, ""],
  [/run it again to resume\./, "run the same command with --resume to continue."],
  // A download onto an existing local file: `get /remote failed: ./local already exists`.
  [/^get \S+ failed: (.+) already exists$/, "$1 already exists"],
  // auth names its credential classes; the CLI's user chose a way of signing in.
  [/^ClientSecretCredential for client /, "signing in with the client secret of client "],
  [/^ClientCertificateCredential for client /, "signing in with the certificate of client "],
  // auth's argument errors end with the credential they came from: `… (ClientSecretCredential)`.
  [/ \((?:ClientSecret|ClientCertificate|ClientAssertion|ManagedIdentity|Chained)Credential\)$/, ""],
  [/^(?:ClientSecret|ClientCertificate)Credential: /, "signing in: "],
  [/^ManagedIdentityCredential failed for /, "signing in as the managed identity failed for "],
  // arm-client prefixes its errors with the client method (`accounts.get: …`).
  [/^(?:[a-z][A-Za-z]*\.)+[a-z][A-Za-z]*: /, ""],
];

/**
 * What still reads like a library after PHRASES: an option bag, a dotted method or property path, a type name.
 * A hint that matches is dropped (no hint beats one naming what the user cannot pass); the unit test runs every
 * hint the libraries define through here, so a new one is mapped above rather than silently lost.
 */
export const LIBRARY_WORDING =
  /\boption\b|: true\b|\b[a-z]+[A-Z]\w*\.[a-z]\w*|\b(resourceGroups|accounts|parameters|options|retry)\.\w|TokenCredential|emulatorCloud|caPem\b|InMs\b/;

export function rephrase(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PHRASES) out = out.replace(pattern, replacement);
  return out;
}

/** A library hint in the CLI's words, or undefined when it can only name what the CLI does not offer. */
export function cliHint(hint: string | undefined): string | undefined {
  if (hint === undefined) return undefined;
  const out = rephrase(hint);
  return LIBRARY_WORDING.test(out) ? undefined : out;
}

/** Rewords a described error for the CLI's user; what it does not recognise keeps its words (minus library-isms). */
export function inCliWords(err: unknown, wording: Wording, context: ErrorContext = {}): Wording {
  const e = (err ?? {}) as Shape;
  const special =
    gen2NotFound(e, context) ??
    accountNotFound(e, context) ??
    emulatorUnreachable(e, wording, context) ??
    invalidArgument(e, wording, context) ??
    armError(e, wording) ??
    operationFailed(e, wording) ??
    fsError(e, wording, context) ??
    pathExists(e, wording, context);
  const out = special ?? wording;
  return { ...out, message: rephrase(out.message), hint: cliHint(out.hint) };
}

/** The account does not exist: the emulator says so in a 404, Azure's DNS has no name for it. */
function accountNotFound(e: Shape, context: ErrorContext): Wording | undefined {
  const text = `${String(e.serverMessage ?? "")} ${String(e.message ?? "")}`;
  let account = /The Data Lake account '([^']+)' does not exist/.exec(text)?.[1];
  if (!account && context.account && e.code === "NETWORK_ERROR" && /ENOTFOUND/.test(text)) {
    const host = hostOf(e.url);
    if (host?.startsWith(`${context.account.toLowerCase()}.`)) account = context.account;
  }
  if (!account) return undefined;
  const where = context.cloud ? `the ${context.cloud} cloud` : "this cloud";
  return {
    code: "ACCOUNT_NOT_FOUND",
    message: `account ${account} not found in ${where}`,
    hint: "Check the name (-a/--account, ADL_ACCOUNT or the profile's account); `adl account list` lists the accounts of the subscription.",
    exitCode: NOT_FOUND_EXIT,
  };
}

/**
 * A Gen2 location whose filesystem (container) or storage account does not exist, said of the location the user
 * wrote, with the command that makes it. The root of a filesystem that exists always does, so "not found" at
 * the root means one of the two is missing (the service names which when it can: FilesystemNotFound).
 */
function gen2NotFound(e: Shape, context: ErrorContext): Wording | undefined {
  const fs = filesystemOf(e, context);
  const exception = (e as { exception?: unknown }).exception;
  if (exception === "FilesystemNotFound" || (fs && e.code === "PATH_NOT_FOUND" && e.path === "/")) {
    const uri = fs?.uri ?? "abfss://FILESYSTEM@ACCOUNT/";
    const accountGone =
      exception !== "FilesystemNotFound" && /storage account/i.test(String(e.serverMessage ?? ""));
    if (fs && accountGone) return storageAccountNotFound(fs.account, context);
    return {
      code: exception === "FilesystemNotFound" ? "FILESYSTEM_NOT_FOUND" : "NOT_FOUND",
      message:
        exception === "FilesystemNotFound"
          ? `filesystem ${uri} does not exist`
          : `${uri} does not exist: no storage account ${fs?.account}, or no such filesystem in it`,
      hint: `Create the filesystem with \`adl fs mkdir ${uri}\`; \`adl storage-account list\` lists the storage accounts.`,
      exitCode: NOT_FOUND_EXIT,
    };
  }
  if (fs && e.code === "NETWORK_ERROR" && /ENOTFOUND/.test(String(e.message ?? "")))
    return storageAccountNotFound(fs.account, context);
  return undefined;
}

/** The Gen2 filesystem (of those the command opened) an error's URL is in. */
function filesystemOf(e: Shape, context: ErrorContext) {
  const url = String(e.url ?? "");
  return context.filesystems?.find(
    (f) => url === f.url || url.startsWith(`${f.url}/`) || url.startsWith(`${f.url}?`),
  );
}

function storageAccountNotFound(account: string, context: ErrorContext): Wording {
  return {
    code: "ACCOUNT_NOT_FOUND",
    message: `storage account ${account} not found in ${context.cloud ? `the ${context.cloud} cloud` : "this cloud"}`,
    hint: "Check the name after the @; `adl storage-account list` lists the storage accounts of the subscription.",
    exitCode: NOT_FOUND_EXIT,
  };
}

/** Nothing listens where the emulator cloud points: the emulator is not running (any more, or on that port). */
function emulatorUnreachable(e: Shape, wording: Wording, context: ErrorContext): Wording | undefined {
  if (context.cloud !== "emulator" || !/ECONNREFUSED/.test(String(e.message ?? ""))) return undefined;
  return {
    ...wording,
    code: "EMULATOR_UNREACHABLE",
    message: `cannot reach the emulator${context.emulatorUrl ? ` at ${context.emulatorUrl}` : ""}: nothing is listening there`,
    hint: `Is the emulator running? Start it with \`adl emulator start --data ${context.emulatorDir ?? "DIR"}\`.`,
  };
}

/**
 * Core's InvalidArgumentError, from any library: `{flag} {problem}`, the flag found from the error's `argument`
 * (argument-flags.ts). One adl sets itself keeps the library's name for it: then it is adl's bug, and that name
 * is what a bug report needs.
 */
function invalidArgument(e: Shape, wording: Wording, context: ErrorContext): Wording | undefined {
  if (e.code !== "INVALID_ARGUMENT" || typeof e.argument !== "string" || typeof e.problem !== "string")
    return undefined;
  const name = commandLineName(e.argument, context.command);
  if (name === SET_BY_ADL || name === undefined) return { ...wording, message: `${e.argument} ${e.problem}` };
  const problem = e.problem
    .replace(/^mixes /, "mix ")
    .replace(/^option is required(?:: (.*))?$/, (_, what?: string) =>
      what ? `must be ${what}` : "is required",
    );
  return { ...wording, message: `${name} ${problem}` };
}

/** Resource Manager's own message, without the client method and URL the library adds for programmers. */
function armError(e: Shape, wording: Wording): Wording | undefined {
  if (!(e as Record<symbol, unknown>)[ARM_ERROR] || typeof e.armMessage !== "string") return undefined;
  const fromService = typeof e.code === "string" && !/^HTTP_\d+$/.test(e.code) && e.armMessage.trim() !== "";
  let message = fromService ? e.armMessage.trim() : wording.message.replace(/^[a-zA-Z]+\.[a-zA-Z]+: /, "");
  let hint = wording.hint;
  if (e.code === "ResourceGroupNotFound") {
    const group = /'([^']+)'/.exec(e.armMessage)?.[1];
    hint = `Create it with \`adl group create ${group ?? "NAME"} -l REGION\`, or check -g/--resource-group.`;
  }
  if (fromService) message = message.replace(/\.$/, "");
  return { ...wording, message, hint };
}

const NOUNS: Record<string, string> = {
  resourcegroups: "resource group",
  accounts: "account",
  firewallrules: "firewall rule",
  virtualnetworkrules: "virtual network rule",
  trustedidproviders: "trusted identity provider",
};

/** A long-running operation that ended Failed or Canceled, named by its resource instead of the client method. */
function operationFailed(e: Shape, wording: Wording): Wording | undefined {
  const { resourcePath, status, armMessage } = e as Shape & { resourcePath?: unknown; status?: unknown };
  if (typeof resourcePath !== "string" || typeof armMessage !== "string") return undefined;
  if (status !== "failed" && status !== "canceled") return undefined;
  const [type, name] = resourcePath.split("/").slice(-2);
  const noun = NOUNS[String(type).toLowerCase()];
  const what = noun ? `${noun} ${name}` : resourcePath;
  const ended = status === "canceled" ? "was canceled" : "failed";
  return { ...wording, message: `the operation on ${what} ${ended}: ${wording.code}: ${armMessage}` };
}

/** Filesystem errors about a path, said of the path (`/x does not exist`), not of a WebHDFS operation. */
function fsError(e: Shape, wording: Wording, context: ErrorContext): Wording | undefined {
  if (typeof e.operation !== "string" || typeof e.path !== "string") return undefined;
  const prefix = `${e.operation} ${e.path} failed: `;
  if (!wording.message.startsWith(prefix)) return undefined;
  // A path in a Gen2 filesystem is said as the location the user wrote (abfss://FS@ACCOUNT/path).
  const fs = filesystemOf(e, context);
  const path = fs ? `${fs.uri.replace(/\/$/, "")}${e.path}` : e.path;
  let reason = wording.message.slice(prefix.length);
  if (typeof e.exception === "string") reason = reason.split(` (${e.exception}`)[0]!;
  switch (e.code) {
    case "PATH_NOT_FOUND":
      return { ...wording, message: `${path} does not exist` };
    case "PATH_EXISTS":
      return {
        ...wording,
        message: /directory|appeared/.test(reason) ? `${path}: ${reason}` : `${path} already exists`,
        hint: overwriteHint(context, reason),
      };
    case "ACCESS_DENIED":
      return { ...wording, message: `${path}: ${reason}` };
    default:
      return undefined;
  }
}

/**
 * Something is in the way, remote or local (fs-client's PATH_EXISTS, whose hint names its `overwrite` option):
 * the CLI's advice, chosen by the code, whatever the library's message says.
 */
function pathExists(e: Shape, wording: Wording, context: ErrorContext): Wording | undefined {
  if (e.code !== "PATH_EXISTS") return undefined;
  return { ...wording, hint: overwriteHint(context, "") };
}

const OVERWRITING = new Set(["fs put", "fs get", "fs mv"]);

/** `--overwrite` where the command has it and it helps; something else to do where not. */
function overwriteHint(context: ErrorContext, reason: string): string {
  if (/directory/.test(reason))
    return "A directory is in the way: choose another path, or remove it with `adl fs rm -r`.";
  if (!context.command || OVERWRITING.has(context.command)) return "Use `--overwrite` (-f) to replace it.";
  return "Choose another path, or remove it first with `adl fs rm`.";
}

function hostOf(url: unknown): string | undefined {
  try {
    return new URL(String(url)).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
