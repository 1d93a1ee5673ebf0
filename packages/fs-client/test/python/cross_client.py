"""The official azure-datalake-store 0.0.52 SDK against adl-emulator, driven by cross-client.e2e.test.ts.

Usage: cross_client.py upload LOCAL REMOTE | download REMOTE LOCAL | sha256 REMOTE | write REMOTE TEXT | ls REMOTE
Env: EMU_URL, EMU_TENANT, EMU_CLIENT_ID, EMU_SECRET, EMU_PORT, EMU_ACCOUNT, REQUESTS_CA_BUNDLE.
The token comes from the emulator's Entra ID through adal (client credentials). `*.localhost` does not
resolve here, so store_name/url_suffix make the SDK's `https://{store}.{suffix}/` the path-style
`https://127.0.0.1:PORT/{account}/`.
"""
import hashlib
import json
import os
import sys
import time

import adal
from azure.datalake.store import core, lib, multithread

RESOURCE = "https://datalake.azure.net/"
MiB = 1024 * 1024


def credential():
    authority = "%s/%s" % (os.environ["EMU_URL"], os.environ["EMU_TENANT"])
    context = adal.AuthenticationContext(authority, validate_authority=False)
    out = context.acquire_token_with_client_credentials(RESOURCE, os.environ["EMU_CLIENT_ID"], os.environ["EMU_SECRET"])
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


def main(argv):
    command = argv[1]
    chunk = int(os.environ.get("PY_CHUNKSIZE", str(MiB)))
    block = int(os.environ.get("PY_BLOCKSIZE", str(256 * 1024)))
    threads = int(os.environ.get("PY_THREADS", "4"))
    fs = filesystem()
    started = time.time()
    if command == "upload":
        multithread.ADLUploader(fs, argv[3], argv[2], nthreads=threads, chunksize=chunk, buffersize=block, blocksize=block, overwrite=True)
    elif command == "download":
        multithread.ADLDownloader(fs, argv[2], argv[3], nthreads=threads, chunksize=chunk, buffersize=block, blocksize=block, overwrite=True)
    elif command == "sha256":
        digest = hashlib.sha256()
        with fs.open(argv[2], "rb") as f:
            while True:
                piece = f.read(4 * MiB)
                if not piece:
                    break
                digest.update(piece)
        print(json.dumps({"sha256": digest.hexdigest()}))
        return
    elif command == "write":
        with fs.open(argv[2], "wb") as f:
            f.write(argv[3].encode("utf-8"))
    elif command == "ls":
        print(json.dumps(sorted(fs.ls(argv[2]))))
        return
    else:
        raise SystemExit("unknown command %r" % command)
    print(json.dumps({"seconds": time.time() - started}))


if __name__ == "__main__":
    main(sys.argv)
