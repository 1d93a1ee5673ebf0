// What scenarios 8 and 9 (Gen2 upload and download, issue 22) share: their three contenders, each its own child
// process (ours, the official JS SDK, the official Python SDK), and their results for the targets.
import path from "node:path";
import { GEN2_ACCOUNT, GEN2_FILESYSTEM, gen2Endpoint } from "../gen2-session.mjs";
import { measure } from "../lib.mjs";
import { runOurs } from "../rounds.mjs";
import { connection, connectionFile } from "../session.mjs";
import { here, PYTHON, pyGen2Versions, THREADS } from "../setup.mjs";

const sdkChild = path.join(here, "sdk-child.mjs");
const pyChild = path.join(here, "py_gen2_child.py");

/** Results of scenarios 8 and 9, for their targets: { up, down } = { s, ours, sdks: [names] }. */
export const officialSdks = (contenders) =>
  contenders.filter((c) => c.key === "js" || c.key === "py").map((c) => c.name);
export const gen2 = {};

/**
 * The contenders of one direction ("upload" or "download"); `files(name)` gives each its local and remote paths.
 * @returns {Array<{ name: string, key: string, local: string, remote: string, unavailable?: string, run: () => Promise<any> }>}
 */
export function gen2Contenders(action, files) {
  const common = { connectionFile, filesystem: GEN2_FILESYSTEM, concurrency: THREADS };
  const make = (key, name, run, unavailable) => ({ key, name, ...files(key), unavailable, run });
  const ours = (md5) =>
    function () {
      return runOurs({
        action: `gen2-${action}`,
        account: GEN2_ACCOUNT,
        ...common,
        ...(md5 ? { md5 } : {}),
        local: this.local,
        remote: this.remote,
      });
    };
  // Uploads: what the hashing costs, our other two `md5` modes (the default hashes the whole file).
  const diagnostics =
    action === "upload"
      ? [
          make("ours-none", 'diagnostic: ours with md5: "none" (no hash)', ours("none")),
          make(
            "ours-both",
            'diagnostic: ours with md5: "file+appends" (also each append\'s Content-MD5)',
            ours("file+appends"),
          ),
        ]
      : [];
  return [
    make("ours", `@adlkit/fs-client Gen2FsClient (concurrency ${THREADS}, defaults)`, ours()),
    make(
      "js",
      action === "upload"
        ? `@azure/storage-file-datalake uploadFile (maxConcurrency ${THREADS}, default 8 MiB chunks)`
        : "@azure/storage-file-datalake readToFile (one GET: it has no concurrency option)",
      function () {
        return measure(
          process.execPath,
          [
            sdkChild,
            JSON.stringify({
              action,
              endpoint: gen2Endpoint,
              ...common,
              local: this.local,
              remote: this.remote,
            }),
          ],
          { env: { NODE_EXTRA_CA_CERTS: connection.caCertificatePath } },
        );
      },
    ),
    make(
      "py",
      action === "upload"
        ? `Python azure-storage-file-datalake upload_data (max_concurrency ${THREADS}, default 100 MiB chunks)`
        : `Python azure-storage-file-datalake download_file (max_concurrency ${THREADS}) + readinto`,
      function () {
        return measure(PYTHON, [
          pyChild,
          JSON.stringify({
            action,
            endpoint: gen2Endpoint,
            ...common,
            local: this.local,
            remote: this.remote,
          }),
        ]);
      },
      pyGen2Versions
        ? undefined
        : `${PYTHON} with azure-storage-file-datalake and azure-identity is not available`,
    ),
    ...diagnostics,
  ];
}
