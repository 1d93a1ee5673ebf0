import { sanitizeUrl } from "../sanitizer.js";
import { AdlkitError } from "./adlkit-error.js";
import { describeCause } from "./describe-cause.js";
import { errorIdentity } from "./error-identity.js";

/** The transport failed: no HTTP response at all, or one cut short (refused, reset, TLS, DNS). */
export class NetworkError extends AdlkitError {
  static override isInstance: (value: unknown) => value is NetworkError = errorIdentity(
    this,
    "adlkit.error.NetworkError",
  );

  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    const reason = describeCause(cause);
    super(`${method.toUpperCase()} ${sanitizeUrl(url)} failed: ${reason}`, {
      code: "NETWORK_ERROR",
      hint: hintFor(reason),
      cause,
    });
    this.name = "NetworkError";
    this.method = method.toUpperCase();
    this.url = sanitizeUrl(url);
  }
}

function hintFor(reason: string): string | undefined {
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i.test(reason)) {
    return "The server's certificate is not trusted. For the emulator, pass its CA (the cloud from emulatorCloudFromFile, or the ca option) or set NODE_EXTRA_CA_CERTS to its ca.pem; never disable TLS verification.";
  }
  if (/ECONNREFUSED/.test(reason))
    return "Nothing is listening there. Is the endpoint (or the emulator) running on that port?";
  if (/ENOTFOUND|EAI_AGAIN/.test(reason))
    return "The host name does not resolve. Check the cloud or account name.";
  return undefined;
}
