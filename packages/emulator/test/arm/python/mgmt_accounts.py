"""Drives adl-emulator's Resource Manager with the Debian azure-mgmt-* SDKs (azure-core, ARMPolling).

Usage: mgmt_accounts.py lifecycle | register
Environment: EMU_URL, EMU_SUBSCRIPTION, EMU_ARM_TOKEN, EMU_GROUP, EMU_ACCOUNT; REQUESTS_CA_BUNDLE trusts the emulator CA.
Prints one JSON line with what the SDK saw; the Node test asserts on it.
"""
import json
import os
import sys
import time

from azure.core.credentials import AccessToken
from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.datalake.store import DataLakeStoreAccountManagementClient
from azure.mgmt.datalake.store.models import (
    CheckNameAvailabilityParameters,
    CreateDataLakeStoreAccountParameters,
    CreateOrUpdateFirewallRuleParameters,
    EncryptionIdentity,
    UpdateDataLakeStoreAccountParameters,
)
from azure.mgmt.resource import ResourceManagementClient


class StaticTokenCredential:
    """A TokenCredential over a token the test obtained from the emulator's Entra."""

    def __init__(self, token):
        self._token = token

    def get_token(self, *scopes, **kwargs):
        return AccessToken(self._token, int(time.time()) + 3000)


def lifecycle(url, sub, cred, group, name):
    out = {}
    resources = ResourceManagementClient(cred, sub, base_url=url)
    created_group = resources.resource_groups.create_or_update(group, {"location": "eastus"})
    out["group"] = {"name": created_group.name, "state": created_group.properties.provisioning_state}
    out["group_exists"] = resources.resource_groups.check_existence(group)

    dls = DataLakeStoreAccountManagementClient(cred, sub, base_url=url)
    check = CheckNameAvailabilityParameters(name=name)
    out["available_before"] = dls.accounts.check_name_availability("eastus2", check).name_available

    started = time.monotonic()
    params = CreateDataLakeStoreAccountParameters(location="eastus2", tags={"a": "b"}, identity=EncryptionIdentity())
    account = dls.accounts.begin_create(group, name, params).result()
    out["create_seconds"] = round(time.monotonic() - started, 2)
    out["created"] = {
        "provisioning_state": account.provisioning_state,
        "state": account.state,
        "endpoint": account.endpoint,
        "tags": account.tags,
        "identity_type": account.identity.type if account.identity else None,
        "principal_id": account.identity.principal_id if account.identity else None,
    }
    out["available_after"] = dls.accounts.check_name_availability("eastus2", check).name_available
    out["get_state"] = dls.accounts.get(group, name).provisioning_state

    updated = dls.accounts.begin_update(group, name, UpdateDataLakeStoreAccountParameters(tags={"c": "d"})).result()
    out["updated_tags"] = updated.tags

    rule = CreateOrUpdateFirewallRuleParameters(start_ip_address="1.1.1.1", end_ip_address="2.2.2.2")
    dls.firewall_rules.create_or_update(group, name, "office", rule)
    out["rules"] = [r.name for r in dls.firewall_rules.list_by_account(group, name)]
    out["listed_by_group"] = [a.name for a in dls.accounts.list_by_resource_group(group)]
    out["listed_in_subscription"] = name in [a.name for a in dls.accounts.list()]
    capability = dls.locations.get_capability("eastus2")
    out["capability_state"] = capability.state
    out["operations"] = len(dls.operations.list().value)

    dls.accounts.begin_delete(group, name).result()
    try:
        dls.accounts.get(group, name)
        out["after_delete"] = "still there"
    except ResourceNotFoundError as err:
        out["after_delete"] = err.error.code if err.error else str(err)

    resources.resource_groups.begin_delete(group).result()
    out["group_exists_after_delete"] = resources.resource_groups.check_existence(group)
    return out


def register(url, sub, cred):
    """An unregistered subscription: azure-mgmt-core registers the provider itself and replays the call."""
    dls = DataLakeStoreAccountManagementClient(cred, sub, base_url=url)
    return {"accounts": [a.name for a in dls.accounts.list()]}


def main():
    env = os.environ
    cred = StaticTokenCredential(env["EMU_ARM_TOKEN"])
    if sys.argv[1] == "lifecycle":
        out = lifecycle(env["EMU_URL"], env["EMU_SUBSCRIPTION"], cred, env["EMU_GROUP"], env["EMU_ACCOUNT"])
    else:
        out = register(env["EMU_URL"], env["EMU_SUBSCRIPTION"], cred)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
