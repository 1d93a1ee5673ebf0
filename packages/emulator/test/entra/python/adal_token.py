"""Gets a token from the emulator with the official adal library, unchanged.

Usage: adal_token.py secret|certificate CONNECTION_JSON
Prints {"accessToken", "expiresIn", "tokenType"} as JSON. REQUESTS_CA_BUNDLE must point at the emulator CA.
"""
import json
import sys

import adal

mode, connection_file = sys.argv[1], sys.argv[2]
with open(connection_file) as f:
    c = json.load(f)

# The one switch such a test may turn off: adal's check of a non-Microsoft authority against the public cloud.
context = adal.AuthenticationContext(f"{c['authorityHost']}/{c['tenantId']}", validate_authority=False)
resource = "https://datalake.azure.net/"
if mode == "secret":
    token = context.acquire_token_with_client_credentials(resource, c["clientId"], c["clientSecret"])
else:
    with open(c["clientPrivateKeyPath"]) as f:
        key = f.read()
    token = context.acquire_token_with_client_certificate(resource, c["clientId"], key, c["clientCertificateThumbprintSha1"])
print(json.dumps({"accessToken": token["accessToken"], "expiresIn": token["expiresIn"], "tokenType": token["tokenType"]}))
