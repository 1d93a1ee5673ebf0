import { scopeForResource } from "@adlkit/auth";
import { chooseTarget } from "./target.js";

function step(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}
function say(line: string): void {
  process.stdout.write(`   ${line}\n`);
}

/** Claims worth showing from a token, never the token itself. */
function describeToken(token: string): string {
  const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
  return `audience ${String(claims.aud)}, app ${String(claims.appid)}, expires ${new Date(Number(claims.exp) * 1000).toISOString()}`;
}

/** The walkthrough of the original Python sample: authenticate, manage an account, move data, clean up. */
export async function runDemo(env: NodeJS.ProcessEnv): Promise<number> {
  const target = await chooseTarget(env);
  try {
    say(`target: ${target.describe}`);

    step("Authenticate for Resource Manager (client secret)");
    const arm = await target.credential.getToken(scopeForResource(target.cloud.resourceManagerAudience));
    if (!arm) throw new Error("no Resource Manager token");
    say(describeToken(arm.token));

    step("Authenticate for the Data Lake filesystem");
    if (!target.cloud.dataLakeAudience)
      throw new Error(`Data Lake Store Gen1 is not offered in the ${target.cloud.name} cloud`);
    const fs = await target.credential.getToken(scopeForResource(target.cloud.dataLakeAudience));
    if (!fs) throw new Error("no filesystem token");
    say(describeToken(fs.token));
    return 0;
  } finally {
    await target.stop();
  }
}
