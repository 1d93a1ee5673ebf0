"""One measured operation of the official Python Gen2 SDK (azure-storage-file-datalake), in its own process.

Run with Debian's /usr/bin/python3 (python3-azure: azure-storage-file-datalake, azure-identity). Input: JSON in
argv[1]. Output: one JSON line with the operation's wall time and CPU seconds (all threads), measured around the
operation only: after imports and token acquisition, like the Node children. The SDK is unchanged apart from the
account URL (the emulator's path style https://127.0.0.1:PORT/ACCOUNT, which it parses like Azurite's), the
credential's authority (instance discovery off) and the CA (REQUESTS_CA_BUNDLE).
"""
import json
import os
import resource
import sys
import time

args = json.loads(sys.argv[1])
connection = json.load(open(args["connectionFile"]))
os.environ["REQUESTS_CA_BUNDLE"] = connection["caCertificatePath"]

from azure.identity import ClientSecretCredential  # noqa: E402
from azure.storage.filedatalake import DataLakeServiceClient  # noqa: E402

credential = ClientSecretCredential(
    connection["tenantId"],
    connection["clientId"],
    connection["clientSecret"],
    authority=connection["url"],
    instance_discovery=False,
)
file = (
    DataLakeServiceClient(args["endpoint"], credential=credential)
    .get_file_system_client(args["filesystem"])
    .get_file_client(args["remote"].lstrip("/"))
)
# Token first: the SDK's bearer policy then finds it in the credential's cache.
credential.get_token("https://storage.azure.com/.default")
chunk = {"chunk_size": args["chunkSize"]} if args.get("chunkSize") else {}


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


u0 = resource.getrusage(resource.RUSAGE_SELF).ru_utime
c0 = cpu()
t0 = time.perf_counter()
result = {}
if args["action"] == "upload":
    # upload_data from an open file: create, appends of chunk_size (default 100 MiB) on max_concurrency threads,
    # one flush.
    with open(args["local"], "rb") as source:
        file.upload_data(
            source, length=os.path.getsize(args["local"]), overwrite=True, max_concurrency=args["concurrency"], **chunk
        )
elif args["action"] == "download":
    # download_file: ranged GETs (4 MiB after a first 32 MiB) on max_concurrency threads, written at their offsets.
    with open(args["local"], "wb") as target:
        file.download_file(max_concurrency=args["concurrency"]).readinto(target)
else:
    raise SystemExit("unknown action %s" % args["action"])
result["bytes"] = os.path.getsize(args["local"])
result["seconds"] = time.perf_counter() - t0
result["cpuSeconds"] = cpu() - c0
result["cpuUser"] = resource.getrusage(resource.RUSAGE_SELF).ru_utime - u0
result["maxRssKiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(result))
