"""Drives adl-emulator's Gen2 data plane with Debian's azure-storage-file-datalake and azure-identity, unchanged
apart from the account URL (path style https://127.0.0.1:PORT/{account}), the credential's authority, instance
discovery switched off, and the CA (REQUESTS_CA_BUNDLE).

Environment: EMU_URL, EMU_TENANT, EMU_CLIENT_ID, EMU_CLIENT_SECRET, EMU_OTHER_ID, EMU_OTHER_SECRET,
EMU_OTHER_OID, EMU_ACCOUNT_URL. Prints one JSON line with what the SDK saw; the Node test asserts on it.
"""
import hashlib
import json
import os
import uuid
from datetime import datetime, timedelta, timezone

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.identity import ClientSecretCredential
from azure.storage.filedatalake import (
    DataLakeServiceClient,
    FileSystemClient,
    FileSystemSasPermissions,
    generate_file_system_sas,
)


from common import code_of  # the scripts' own folder is on sys.path


def main():
    env = os.environ
    url = env["EMU_URL"]
    owner = ClientSecretCredential(
        env["EMU_TENANT"], env["EMU_CLIENT_ID"], env["EMU_CLIENT_SECRET"], authority=url, instance_discovery=False
    )
    other = ClientSecretCredential(
        env["EMU_TENANT"], env["EMU_OTHER_ID"], env["EMU_OTHER_SECRET"], authority=url, instance_discovery=False
    )
    service = DataLakeServiceClient(env["EMU_ACCOUNT_URL"], credential=owner)
    theirs = DataLakeServiceClient(env["EMU_ACCOUNT_URL"], credential=other)
    out = {}

    fs = service.create_file_system("pyfs", metadata={"lang": "python"})
    out["exists"] = fs.exists()
    out["metadata"] = fs.get_file_system_properties().metadata
    try:
        service.create_file_system("pyfs")
        out["duplicate"] = None
    except ResourceExistsError as err:
        out["duplicate"] = err.error_code
    out["listed"] = [f.name for f in service.list_file_systems(name_starts_with="py")]

    fs.create_directory("d1/d2")
    data = os.urandom(20 * 1024 * 1024)
    file = fs.get_file_client("d1/d2/big.bin")
    file.upload_data(data, overwrite=True, chunk_size=4 * 1024 * 1024, max_concurrency=4)
    out["size"] = file.get_file_properties().size
    out["whole_md5_ok"] = hashlib.md5(file.download_file(max_concurrency=3).readall()).digest() == hashlib.md5(data).digest()
    out["range_ok"] = file.download_file(offset=1000, length=5000).readall() == data[1000:6000]
    empty = fs.create_file("empty.txt")
    out["empty"] = len(empty.download_file().readall())

    staged = fs.create_file("staged.txt")
    staged.append_data(b"world", offset=6, length=5)
    staged.append_data(b"hello ", offset=0, length=6)
    out["before_flush"] = staged.get_file_properties().size
    staged.flush_data(11)
    out["after_flush"] = staged.download_file().readall().decode()
    out["bad_flush"] = code_of(lambda: staged.flush_data(3))

    # Leases riding on writes (x-ms-lease-action): acquire on an append, auto-renew, release on the flush, and
    # acquire-release on an append with flush=True.
    leased = fs.create_file("leased.txt")
    lease_id = str(uuid.uuid4())
    leased.append_data(b"abc", offset=0, length=3, lease_action="acquire", lease=lease_id, lease_duration=15)
    lease = leased.get_file_properties().lease
    out["lease_acquired"] = [lease.state, lease.status, lease.duration]
    out["lease_write_without_id"] = code_of(lambda: leased.append_data(b"x", offset=3, length=1))
    leased.append_data(b"def", offset=3, length=3, lease_action="auto-renew", lease=lease_id)
    leased.flush_data(6, lease_action="release", lease=lease_id)
    out["lease_released"] = leased.get_file_properties().lease.state
    leased.append_data(b"!", offset=6, length=1, flush=True, lease_action="acquire-release", lease=str(uuid.uuid4()))
    out["lease_after_acquire_release"] = leased.get_file_properties().lease.state
    out["leased_content"] = leased.download_file().readall().decode()
    leased.delete_file()

    fs.get_directory_client("d1").rename_directory("pyfs/moved")
    out["renamed"] = sorted(p.name for p in fs.get_paths(path="moved", recursive=True))
    out["old_gone"] = not fs.get_directory_client("d1").exists()

    target = fs.get_file_client("moved/d2/big.bin")
    target.set_access_control(acl=f"user::rw-,user:{env['EMU_OTHER_OID']}:r--,group::r--,other::---")
    acl = target.get_access_control()
    out["acl"] = acl["acl"]
    out["permissions"] = acl["permissions"]
    result = fs.get_directory_client("moved").update_access_control_recursive(
        acl=f"user:{env['EMU_OTHER_OID']}:r-x", batch_size=1
    )
    out["recursive"] = [result.counters.directories_successful, result.counters.files_successful, result.counters.failure_count]

    mine = theirs.get_file_system_client("pyfs")
    out["other_read"] = code_of(lambda: mine.get_file_client("staged.txt").download_file().readall())
    out["other_create"] = code_of(lambda: mine.create_file("intruder.txt"))

    paged = []
    for page in fs.get_paths(recursive=True, max_results=2).by_page():
        paged.append(len(list(page)))
    out["pages"] = paged

    # A user delegation key for the bearer owner, and a file system SAS signed with it (read and list only).
    now = datetime.now(timezone.utc)
    udk = service.get_user_delegation_key(now - timedelta(minutes=1), now + timedelta(hours=1))
    account = env["EMU_ACCOUNT_URL"].rstrip("/").rsplit("/", 1)[1]
    ud_sas = generate_file_system_sas(
        account, "pyfs", credential=udk, permission=FileSystemSasPermissions(read=True, list=True),
        expiry=now + timedelta(hours=1),
    )
    delegated = FileSystemClient(env["EMU_ACCOUNT_URL"], "pyfs", credential=ud_sas)
    out["ud_paths"] = len(list(delegated.get_paths(recursive=True))) == sum(paged)
    out["ud_write"] = code_of(lambda: delegated.create_file("by-sas.txt"))
    out["other_udk"] = code_of(lambda: theirs.get_user_delegation_key(now, now + timedelta(hours=1)))

    fs.delete_directory("moved")
    out["deleted"] = not fs.get_directory_client("moved").exists()
    try:
        fs.get_file_client("nope").get_file_properties()
        out["missing"] = None
    except ResourceNotFoundError:
        out["missing"] = "ResourceNotFoundError"
    service.delete_file_system("pyfs")
    out["fs_gone"] = not fs.exists()
    print(json.dumps(out))


main()
