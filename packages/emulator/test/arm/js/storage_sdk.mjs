// Drives adl-emulator's Microsoft.Storage with the official @azure/arm-storage and @azure/identity, unchanged
// apart from the endpoint, the credential's authority host, public-cloud instance discovery switched off, and
// the emulator's CA (NODE_EXTRA_CA_CERTS, set by the test that spawns this).
//
// Environment: EMU_URL, EMU_TENANT, EMU_CLIENT_ID, EMU_CLIENT_SECRET, EMU_SUBSCRIPTION, EMU_GROUP, EMU_ACCOUNT.
// Prints one JSON line with what the SDK saw; the test asserts on it.
import { StorageManagementClient } from "@azure/arm-storage";
import { ClientSecretCredential } from "@azure/identity";

const env = process.env;
const credential = new ClientSecretCredential(env.EMU_TENANT, env.EMU_CLIENT_ID, env.EMU_CLIENT_SECRET, {
  authorityHost: env.EMU_URL,
  disableInstanceDiscovery: true,
});
const client = new StorageManagementClient(credential, env.EMU_SUBSCRIPTION, { endpoint: env.EMU_URL });
const group = env.EMU_GROUP;
const name = env.EMU_ACCOUNT;
const out = {};

const type = "Microsoft.Storage/storageAccounts";
// onResponse only observes: it reports the api-version the SDK chose by default.
const checked = await client.storageAccounts.checkNameAvailability(
  { name, type },
  { onResponse: (raw) => (out.apiVersion = new URL(raw.request.url).searchParams.get("api-version")) },
);
out.availableBefore = checked.nameAvailable;
const invalid = await client.storageAccounts.checkNameAvailability({ name: "Not_Valid", type });
out.invalidReason = invalid.reason;

const started = performance.now();
const created = await client.storageAccounts.create(group, name, {
  location: "eastus",
  kind: "StorageV2",
  sku: { name: "Standard_LRS" },
  tags: { sdk: "js" },
  isHnsEnabled: true,
  minimumTlsVersion: "TLS1_2",
});
out.createSeconds = Math.round((performance.now() - started) / 10) / 100;
out.created = {
  name: created.name,
  provisioningState: created.provisioningState,
  isHnsEnabled: created.isHnsEnabled,
  kind: created.kind,
  sku: created.sku?.name,
  tags: created.tags,
  dfs: created.primaryEndpoints?.dfs,
  blob: created.primaryEndpoints?.blob,
};
out.availableAfter = (await client.storageAccounts.checkNameAvailability({ name, type })).reason;
out.got = (await client.storageAccounts.getProperties(group, name)).provisioningState;
out.listedByGroup = [];
for await (const account of client.storageAccounts.listByResourceGroup(group))
  out.listedByGroup.push(account.name);
out.listedInSubscription = false;
out.listedCount = 0;
for await (const account of client.storageAccounts.list()) {
  out.listedCount++;
  if (account.name === name) out.listedInSubscription = true;
}
out.updatedTags = (
  await client.storageAccounts.update(group, name, { tags: { sdk: "js", step: "update" } })
).tags;

const keys = (await client.storageAccounts.listKeys(group, name, { expand: "kerb" })).keys ?? [];
out.keyNames = keys.map((k) => k.keyName);
out.keyBytes = keys.map((k) => Buffer.from(k.value ?? "", "base64").length);
const regenerated = (await client.storageAccounts.regenerateKey(group, name, { keyName: "key1" })).keys ?? [];
out.key1Changed = regenerated[0]?.value !== keys[0]?.value;
out.key2Kept = regenerated[1]?.value === keys[1]?.value;

try {
  await client.storageAccounts
    .create(group, "Invalid_Name", {
      location: "eastus",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
    })
    .pollUntilDone();
  out.invalidCreate = "accepted";
} catch (err) {
  out.invalidCreate = { status: err.statusCode, code: err.code };
}

await client.storageAccounts.delete(group, name);
try {
  await client.storageAccounts.getProperties(group, name);
  out.afterDelete = "still there";
} catch (err) {
  out.afterDelete = { status: err.statusCode, code: err.code };
}
console.log(JSON.stringify(out));
