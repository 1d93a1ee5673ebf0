"""Drives adl-emulator's Microsoft.Storage with Debian's azure-mgmt-storage and azure-identity, unchanged apart
from the endpoint (base_url), the credential's authority, instance discovery switched off, and the CA
(REQUESTS_CA_BUNDLE).

Environment: EMU_URL, EMU_TENANT, EMU_CLIENT_ID, EMU_CLIENT_SECRET, EMU_SUBSCRIPTION, EMU_GROUP, EMU_ACCOUNT.
Prints one JSON line with what the SDK saw; the Node test asserts on it.
"""
import base64
import json
import os
import time
from urllib.parse import parse_qs, urlparse

from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.identity import ClientSecretCredential
from azure.mgmt.resource import ResourceManagementClient
from azure.mgmt.storage import StorageManagementClient
from azure.mgmt.storage.models import (
    Sku,
    StorageAccountCheckNameAvailabilityParameters,
    StorageAccountCreateParameters,
    StorageAccountRegenerateKeyParameters,
    StorageAccountUpdateParameters,
)


def main():
    env = os.environ
    url, sub, group, name = env["EMU_URL"], env["EMU_SUBSCRIPTION"], env["EMU_GROUP"], env["EMU_ACCOUNT"]
    cred = ClientSecretCredential(
        env["EMU_TENANT"], env["EMU_CLIENT_ID"], env["EMU_CLIENT_SECRET"], authority=url, instance_discovery=False
    )
    out = {}
    resources = ResourceManagementClient(cred, sub, base_url=url)
    resources.resource_groups.create_or_update(group, {"location": "eastus"})

    storage = StorageManagementClient(cred, sub, base_url=url)
    check = StorageAccountCheckNameAvailabilityParameters(name=name)
    sent = []
    hook = lambda response: sent.append(response.http_request.url)  # noqa: E731 -- observes, changes nothing
    out["available_before"] = storage.storage_accounts.check_name_availability(check, raw_response_hook=hook).name_available
    out["api_version"] = parse_qs(urlparse(sent[0]).query)["api-version"][0]
    invalid = StorageAccountCheckNameAvailabilityParameters(name="Not_Valid")
    out["invalid_reason"] = storage.storage_accounts.check_name_availability(invalid).reason

    started = time.monotonic()
    params = StorageAccountCreateParameters(
        sku=Sku(name="Standard_LRS"),
        kind="StorageV2",
        location="eastus",
        tags={"sdk": "python"},
        is_hns_enabled=True,
        enable_https_traffic_only=True,
    )
    account = storage.storage_accounts.begin_create(group, name, params).result()
    out["create_seconds"] = round(time.monotonic() - started, 2)
    out["created"] = {
        "name": account.name,
        "provisioning_state": account.provisioning_state,
        "is_hns_enabled": account.is_hns_enabled,
        "kind": account.kind,
        "sku": account.sku.name,
        "tags": account.tags,
        "dfs": account.primary_endpoints.dfs if account.primary_endpoints else None,
        "blob": account.primary_endpoints.blob if account.primary_endpoints else None,
    }
    out["available_after"] = storage.storage_accounts.check_name_availability(check).reason
    out["got"] = storage.storage_accounts.get_properties(group, name).provisioning_state
    out["listed_by_group"] = [a.name for a in storage.storage_accounts.list_by_resource_group(group)]
    listed = [a.name for a in storage.storage_accounts.list()]
    out["listed_in_subscription"] = name in listed
    out["listed_count"] = len(listed)
    update = StorageAccountUpdateParameters(tags={"sdk": "python", "step": "update"})
    out["updated_tags"] = storage.storage_accounts.update(group, name, update).tags

    keys = storage.storage_accounts.list_keys(group, name).keys
    out["key_names"] = [k.key_name for k in keys]
    out["key_bytes"] = [len(base64.b64decode(k.value)) for k in keys]
    out["key_permissions"] = [str(k.permissions) for k in keys]
    regen = storage.storage_accounts.regenerate_key(group, name, StorageAccountRegenerateKeyParameters(key_name="key2")).keys
    out["key1_kept"] = regen[0].value == keys[0].value
    out["key2_changed"] = regen[1].value != keys[1].value
    try:
        storage.storage_accounts.regenerate_key(group, name, StorageAccountRegenerateKeyParameters(key_name="key9"))
        out["bad_key_name"] = "accepted"
    except HttpResponseError as err:
        out["bad_key_name"] = {"status": err.status_code, "code": err.error.code if err.error else None}

    storage.storage_accounts.delete(group, name)
    try:
        storage.storage_accounts.get_properties(group, name)
        out["after_delete"] = "still there"
    except ResourceNotFoundError as err:
        out["after_delete"] = err.error.code if err.error else str(err)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
