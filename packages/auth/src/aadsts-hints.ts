/** What common AADSTS codes mean for a service principal, and what to change. */
const HINTS: Record<number, string> = {
  7000215:
    "The client secret is wrong. Use the secret's Value (not its Secret ID) from the app registration, check AZURE_CLIENT_SECRET / --client-secret, and that it was not rotated.",
  7000222:
    "The client secret has expired. Create a new secret for the app registration and update your configuration.",
  7000218: "No credential was sent. Provide a client secret or a certificate.",
  700016:
    "No application with this client id exists in the tenant. Check the client (application) id and the tenant id, and that the app is registered in that tenant.",
  90002:
    "The tenant does not exist in this cloud. Check the tenant id or domain and the cloud / authority host.",
  900023:
    "The tenant id is malformed. Use the directory (tenant) GUID or a verified domain such as contoso.onmicrosoft.com.",
  50059:
    "Client credentials need a specific tenant. Use the tenant id instead of 'common' or 'organizations'.",
  700027:
    "The certificate is not accepted. Upload the certificate's public part to the app registration, and check that the private key matches it and it has not expired.",
  700024: "The client assertion is outside its valid time range. Check this machine's clock.",
  700021: "The client assertion's issuer/subject must be the client id.",
  500011:
    "The resource is not known in this tenant. Check the scope: Data Lake uses https://datalake.azure.net//.default and Resource Manager https://management.azure.com/.default.",
  1002012:
    "Client credentials scopes must end in /.default (for example https://datalake.azure.net//.default).",
  70011: "The scope is not valid. Use '{resource}/.default'.",
  28000: "Request scopes for one resource at a time.",
  90033: "The token service is temporarily unavailable. Try again shortly.",
};

export function hintForAadsts(code: number | undefined): string | undefined {
  return code === undefined ? undefined : HINTS[code];
}

/** The first AADSTS code in a message such as `AADSTS7000215: Invalid client secret provided…`. */
export function parseAadsts(message: string | undefined): number | undefined {
  const match = message ? /AADSTS(\d+)/.exec(message) : null;
  return match ? Number(match[1]) : undefined;
}
