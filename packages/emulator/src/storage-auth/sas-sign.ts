import type { ParsedRequest } from "./request.js";
import { queryValue } from "./request.js";
import type { SasKind, SasValues } from "./sas-fields.js";

/**
 * The SAS strings-to-sign, per kind and signed version (`sv`), as the service defines them and as
 * `@azure/storage-blob` / `@azure/storage-file-datalake` (`generate*SASQueryParameters`) and Python's
 * `generate_*_sas` build them. One line per field, empty when the field is absent.
 *
 * | kind            | sv                     | layout after `sp st se canonicalResource`                             |
 * |-----------------|------------------------|-----------------------------------------------------------------------|
 * | service         | 2015-04-05..2018-11-08 | si sip spr sv rscc rscd rsce rscl rsct                                 |
 * | service         | 2018-11-09..2020-12-05 | si sip spr sv sr snapshot rscc…                                       |
 * | service         | ≥ 2020-12-06           | si sip spr sv sr snapshot ses rscc…                                   |
 * | user delegation | 2018-11-09..2020-02-09 | skoid sktid skt ske sks skv sip spr sv sr snapshot rscc…              |
 * | user delegation | 2020-02-10..2020-12-05 | … skv saoid suoid scid sip spr sv sr snapshot rscc…                   |
 * | user delegation | 2020-12-06..2025-07-04 | … scid sip spr sv sr snapshot ses rscc…                               |
 * | user delegation | 2025-07-05..2026-04-05 | … scid skdutid sduoid sip spr sv sr snapshot ses rscc…                |
 * | user delegation | ≥ 2026-04-06           | … ses signedRequestHeaders signedRequestQuery rscc…                   |
 *
 * Account SAS: `account sp ss srt st se sip spr sv [ses]` each followed by a newline (`ses` from 2020-12-06).
 */

/** `/blob/{account}/{filesystem}[/{path}]`: DataLake SAS are signed over the blob name on both endpoints. */
export function sasCanonicalResource(account: string, filesystem: string, path: string | undefined): string {
  return `/blob/${account}/${filesystem}${path ? `/${path}` : ""}`;
}

function line(v: string | undefined): string {
  return v ?? "";
}

/** The snapshot or version a `bs`/`bv` SAS names: the request's `snapshot`/`versionid` parameter. */
function timestampLine(v: SasValues): string {
  if (v.sr === "bs") return line(v.snapshot);
  if (v.sr === "bv") return line(v.versionid);
  return "";
}

function responseOverrides(v: SasValues): string[] {
  return [line(v.rscc), line(v.rscd), line(v.rsce), line(v.rscl), line(v.rsct)];
}

/**
 * Dynamic user delegation SAS (≥ 2026-04-06): `srh`/`srq` name request headers and query parameters whose
 * values, as sent, are part of the signature — the request must carry what was signed.
 */
function signedRequestHeaders(v: SasValues, parsed: ParsedRequest): string {
  if (!v.srh) return "";
  return v.srh
    .split(",")
    .map((name) => `${name}:${parsed.headers.get(name.toLowerCase()) ?? ""}\n`)
    .join("");
}

function signedRequestQuery(v: SasValues, parsed: ParsedRequest): string {
  if (!v.srq) return "";
  return v.srq
    .split(",")
    .map((name) => `\n${name}:${queryValue(parsed.query, name) ?? ""}`)
    .join("");
}

export function accountSasStringToSign(account: string, v: SasValues): string {
  const sv = v.sv!;
  const lines = [account, line(v.sp), line(v.ss), line(v.srt), line(v.st), line(v.se), line(v.sip)];
  lines.push(line(v.spr), sv);
  if (sv >= "2020-12-06") lines.push(line(v.ses));
  return `${lines.join("\n")}\n`;
}

export function serviceSasStringToSign(canonicalResource: string, v: SasValues): string {
  const sv = v.sv!;
  const lines = [
    line(v.sp),
    line(v.st),
    line(v.se),
    canonicalResource,
    line(v.si),
    line(v.sip),
    line(v.spr),
    sv,
  ];
  if (sv >= "2018-11-09") lines.push(line(v.sr), timestampLine(v));
  if (sv >= "2020-12-06") lines.push(line(v.ses));
  lines.push(...responseOverrides(v));
  return lines.join("\n");
}

export function userDelegationSasStringToSign(
  canonicalResource: string,
  v: SasValues,
  parsed: ParsedRequest,
): string {
  const sv = v.sv!;
  const lines = [line(v.sp), line(v.st), line(v.se), canonicalResource];
  lines.push(line(v.skoid), line(v.sktid), line(v.skt), line(v.ske), line(v.sks), line(v.skv));
  if (sv >= "2020-02-10") lines.push(line(v.saoid), line(v.suoid), line(v.scid));
  if (sv >= "2025-07-05") lines.push(line(v.skdutid), line(v.sduoid));
  lines.push(line(v.sip), line(v.spr), sv, line(v.sr), timestampLine(v));
  if (sv >= "2020-12-06") lines.push(line(v.ses));
  if (sv >= "2026-04-06") lines.push(signedRequestHeaders(v, parsed), signedRequestQuery(v, parsed));
  lines.push(...responseOverrides(v));
  return lines.join("\n");
}

export function sasStringToSign(
  kind: SasKind,
  account: string,
  canonicalResource: string,
  v: SasValues,
  parsed: ParsedRequest,
): string {
  switch (kind) {
    case "account":
      return accountSasStringToSign(account, v);
    case "service":
      return serviceSasStringToSign(canonicalResource, v);
    case "userDelegation":
      return userDelegationSasStringToSign(canonicalResource, v, parsed);
  }
}
