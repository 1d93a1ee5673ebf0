import { storageErrors } from "../dfs/errors.js";
import { header } from "../dfs/params.js";
import { httpDate } from "../dfs/render.js";
import type { StorageRequest } from "../dfs/request.js";
import { sendEmpty } from "../http/respond.js";
import { requireRemoval } from "../namespace/removal.js";
import { lookup, requireAccess } from "../namespace/tree.js";
import { WRITE } from "../store/acl.js";
import { MAX_TIME_MS } from "../store/metadata-store.js";

const OPTIONS = ["NeverExpire", "RelativeToCreation", "RelativeToNow", "Absolute"] as const;

/**
 * Set Blob Expiry (`PUT ?comp=expiry`, reference §3.8), which both DataLake SDKs call on the blob endpoint: files
 * only; the instant is stored absolute and the file disappears once it passes (store/purge-expired.ts, before
 * every request). As for Gen1's SETEXPIRY, an expiry is a removal at a later time, so setting one needs write on
 * the file and what removing it needs (namespace/removal.ts).
 */
export async function setExpiry(req: StorageRequest): Promise<void> {
  const optionText = header(req.headers, "x-ms-expiry-option");
  if (optionText === undefined) throw storageErrors.missingHeader("x-ms-expiry-option");
  const option = OPTIONS.find((o) => o.toLowerCase() === optionText.toLowerCase());
  if (!option)
    throw storageErrors.invalidHeader("x-ms-expiry-option", optionText, `One of ${OPTIONS.join(", ")}.`);
  const timeText = header(req.headers, "x-ms-expiry-time");
  let at = 0;
  if (option !== "NeverExpire" && timeText === undefined)
    throw storageErrors.missingHeader("x-ms-expiry-time");
  if (option === "Absolute") {
    at = Date.parse(timeText!);
    if (!Number.isFinite(at) || at > MAX_TIME_MS)
      throw storageErrors.invalidHeader("x-ms-expiry-time", timeText!, "An RFC 1123 date up to year 9999.");
  }
  const relative =
    option === "RelativeToNow" || option === "RelativeToCreation" ? Number(timeText) : undefined;
  if (relative !== undefined && !(/^\d{1,15}$/.test(timeText!) && relative <= MAX_TIME_MS))
    throw storageErrors.invalidHeader("x-ms-expiry-time", timeText!, "Milliseconds as a decimal number.");
  const node = await req.store.meta.commit(() => {
    const { node: file, parent } = lookup(req, req.segments);
    if (!file || !parent) throw storageErrors.pathNotFound();
    if (file.kind !== "file") throw storageErrors.invalidInput("Only files can expire.");
    requireAccess(req, file, WRITE);
    if (option !== "NeverExpire") requireRemoval(req, parent, file);
    if (relative !== undefined) at = (option === "RelativeToNow" ? Date.now() : file.created) + relative;
    if (at > MAX_TIME_MS)
      throw storageErrors.invalidHeader("x-ms-expiry-time", timeText!, "The expiry is after year 9999.");
    req.store.meta.setExpiry(file.id, at);
    return req.store.meta.byId(file.id)!;
  });
  sendEmpty(req.ctx.res, 200, {
    ETag: `"${req.state.props(node).etag}"`,
    "Last-Modified": httpDate(node.modified),
  });
}
