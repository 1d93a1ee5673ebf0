"""Debian's azure-storage-file-datalake against files our Gen2FsClient wrote, and the other way round; driven by
gen2-python-interop.e2e.test.ts. Unchanged apart from the account URL (path style https://127.0.0.1:PORT/{account}),
the credential's authority with instance discovery off, and the CA (REQUESTS_CA_BUNDLE).

Usage: gen2_cross.py read PATH | write LOCAL PATH | set-acl PATH ACL
Env: EMU_URL, EMU_TENANT, EMU_CLIENT_ID, EMU_CLIENT_SECRET, EMU_ACCOUNT_URL, EMU_FILESYSTEM.
Prints one JSON line.
"""
import base64
import hashlib
import json
import os
import sys

from azure.identity import ClientSecretCredential
from azure.storage.filedatalake import DataLakeServiceClient


def filesystem():
    env = os.environ
    credential = ClientSecretCredential(
        env["EMU_TENANT"], env["EMU_CLIENT_ID"], env["EMU_CLIENT_SECRET"], authority=env["EMU_URL"], instance_discovery=False
    )
    service = DataLakeServiceClient(env["EMU_ACCOUNT_URL"], credential=credential)
    return service.get_file_system_client(env["EMU_FILESYSTEM"])


def main(argv):
    fs = filesystem()
    command = argv[1]
    if command == "read":
        file = fs.get_file_client(argv[2])
        data = file.download_file(max_concurrency=3).readall()
        props = file.get_file_properties()
        md5 = props.content_settings.content_md5
        access = file.get_access_control()
        print(json.dumps({
            "size": props.size,
            "sha256": hashlib.sha256(data).hexdigest(),
            "content_md5": base64.b64encode(md5).decode() if md5 else None,
            "acl": access["acl"],
            "permissions": access["permissions"],
        }))
    elif command == "write":
        with open(argv[2], "rb") as source:
            data = source.read()
        file = fs.get_file_client(argv[3])
        file.upload_data(data, overwrite=True, chunk_size=1024 * 1024, max_concurrency=4)
        print(json.dumps({"size": file.get_file_properties().size}))
    elif command == "set-acl":
        fs.get_file_client(argv[2]).set_access_control(acl=argv[3])
        print(json.dumps({"ok": True}))
    else:
        raise SystemExit("unknown command %r" % command)


if __name__ == "__main__":
    main(sys.argv)
