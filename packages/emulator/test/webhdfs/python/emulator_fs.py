"""Connects the unmodified azure-datalake-store 0.0.52 SDK to a running adl-emulator.

The token comes from the emulator's Entra ID through adal (client credentials), wrapped the way lib.auth()
wraps it. `*.localhost` does not resolve here, so store_name/url_suffix are chosen so that the SDK's
`https://{store_name}.{url_suffix}/webhdfs/v1/` becomes the path-style `https://127.0.0.1:PORT/{account}/webhdfs/v1/`.
"""
import os
import time

import adal
from azure.datalake.store import core, lib

RESOURCE = "https://datalake.azure.net/"


def credential():
    authority = "%s/%s" % (os.environ["EMU_URL"], os.environ["EMU_TENANT"])
    context = adal.AuthenticationContext(authority, validate_authority=False)
    out = context.acquire_token_with_client_credentials(RESOURCE, os.environ["EMU_CLIENT_ID"], os.environ["EMU_SECRET"])
    # The keys DataLakeCredential reads; no refresh token and no secret, so it can never reach the public cloud.
    token = {
        "access": out["accessToken"],
        "tokenType": out["tokenType"],
        "expiresIn": out["expiresIn"],
        "time": time.time(),
        "refresh": False,
        "tenant": os.environ["EMU_TENANT"],
        "client": os.environ["EMU_CLIENT_ID"],
        "resource": RESOURCE,
    }
    return lib.DataLakeCredential(token)


def filesystem():
    port = os.environ["EMU_PORT"]
    account = os.environ["EMU_ACCOUNT"]
    fs = core.AzureDLFileSystem(token=credential(), store_name="127.0.0", url_suffix="1:%s/%s" % (port, account))
    expected = "https://127.0.0.1:%s/%s/" % (port, account)
    assert fs.azure.url == expected, "SDK base URL is %r, expected %r" % (fs.azure.url, expected)
    return fs
