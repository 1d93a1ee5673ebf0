"""Drives Debian's azure-storage-file-datalake / azure-storage-blob against the storage-auth capture server.

Every request is signed by the SDK (Shared Key, or a SAS from its generate_*_sas functions); the server records
what our verifier made of it. Answers are empty, so many calls raise after sending: that is expected.
Prints one JSON line: the SAS tokens it generated (the test checks them directly too).
"""
import datetime
import json
import os
import socket

from azure.storage.blob import BlobServiceClient
from azure.storage.filedatalake import (
    AccountSasPermissions,
    DataLakeServiceClient,
    FileSystemClient,
    DataLakeFileClient,
    ResourceTypes,
    UserDelegationKey,
    generate_account_sas,
    generate_directory_sas,
    generate_file_sas,
    generate_file_system_sas,
)

PORT = os.environ["CAPTURE_PORT"]
ACCOUNT = os.environ["ACCOUNT"]
KEY = os.environ["ACCOUNT_KEY"]
UDK = json.loads(os.environ["UDK"])

_real_getaddrinfo = socket.getaddrinfo


def _loopback_localhost(host, *args, **kwargs):
    # *.localhost does not resolve on these machines: host-style names go to the capture server.
    if isinstance(host, str) and host.endswith(".localhost"):
        host = "127.0.0.1"
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_localhost

NO_RETRY = {"retry_total": 0}
CRED = {"account_name": ACCOUNT, "account_key": KEY}


def attempt(fn):
    try:
        fn()
    except Exception:  # noqa: BLE001 - the answer does not matter, the signed request does
        pass


def datalake_operations(url):
    service = DataLakeServiceClient(url, credential=CRED, **NO_RETRY)
    fs = service.get_file_system_client("fs1")
    directory = fs.get_directory_client("dir one/sub")
    f = fs.get_file_client("dir one/sub/f+ü.txt")
    attempt(lambda: fs.create_file_system())
    attempt(lambda: directory.create_directory())
    attempt(lambda: f.create_file())
    attempt(lambda: f.append_data(b"hello", offset=0, length=5))
    attempt(lambda: f.flush_data(5))
    attempt(lambda: f.download_file(offset=1, length=3).readall())
    attempt(lambda: f.get_file_properties())
    attempt(lambda: f.get_access_control())
    attempt(lambda: f.set_access_control(permissions="rwxr-x---"))
    attempt(lambda: f.set_metadata({"a_b": "1", "a1": "2"}))
    attempt(lambda: f.rename_file("fs1/dir one/renamed.txt"))
    attempt(lambda: next(fs.get_paths(path="dir one", recursive=True, max_results=2).by_page()))
    attempt(lambda: directory.delete_directory())
    blob = BlobServiceClient(url.replace(".dfs.", ".blob."), credential=CRED, **NO_RETRY)
    attempt(lambda: blob.get_container_client("fs1").upload_blob("x/y.bin", b"12345", metadata={"k": "v"}))


def sas_operations():
    expiry = datetime.datetime.utcnow() + datetime.timedelta(hours=1)
    start = datetime.datetime.utcnow() - datetime.timedelta(minutes=5)
    base = f"https://127.0.0.1:{PORT}/{ACCOUNT}"
    fs_sas = generate_file_system_sas(ACCOUNT, "fs1", KEY, permission="racwdl", expiry=expiry, start=start)
    account_sas = generate_account_sas(
        ACCOUNT, KEY, ResourceTypes(service=True, file_system=True, object=True),
        AccountSasPermissions(read=True, write=True, list=True, create=True), expiry=expiry)
    udk = UserDelegationKey()
    udk.signed_oid, udk.signed_tid = UDK["signedOid"], UDK["signedTid"]
    udk.signed_start, udk.signed_expiry = UDK["signedStart"], UDK["signedExpiry"]
    udk.signed_service, udk.signed_version, udk.value = UDK["signedService"], UDK["signedVersion"], UDK["value"]
    file_ud_sas = generate_file_sas(ACCOUNT, "fs1", "dir one", "f.txt", udk, permission="rwe", expiry=expiry)
    dir_ud_sas = generate_directory_sas(ACCOUNT, "fs1", "dir one", udk, permission="rl", expiry=expiry,
                                        agent_object_id="33333333-3333-3333-3333-333333333333")
    fs_client = FileSystemClient(base, "fs1", credential=fs_sas, **NO_RETRY)
    attempt(lambda: fs_client.get_file_client("dir one/f.txt").create_file())
    attempt(lambda: next(fs_client.get_paths(recursive=True).by_page()))
    acct_client = DataLakeServiceClient(base, credential=account_sas, **NO_RETRY)
    attempt(lambda: acct_client.get_file_system_client("fs2").create_file_system())
    ud_file = DataLakeFileClient(base, "fs1", "dir one/f.txt", credential=file_ud_sas, **NO_RETRY)
    attempt(lambda: ud_file.get_file_properties())
    ud_dir = FileSystemClient(base, "fs1", credential=dir_ud_sas, **NO_RETRY)
    attempt(lambda: ud_dir.get_directory_client("dir one").get_directory_properties())
    return {"fs": fs_sas, "account": account_sas, "file_ud": file_ud_sas, "dir_ud": dir_ud_sas}


datalake_operations(f"https://127.0.0.1:{PORT}/{ACCOUNT}")
datalake_operations(f"https://{ACCOUNT}.dfs.localhost:{PORT}")
print(json.dumps(sas_operations()))
