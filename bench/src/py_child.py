"""One measured operation of the official Python SDK (azure-datalake-store), in its own process.

Run with Debian's /usr/bin/python3 (python3-azure-datalake-store, python3-adal). Input: JSON in argv[1].
Output: one JSON line with the operation's wall time and CPU seconds (all threads), measured around the
operation only: after imports and token acquisition, like the Node child.

The SDK builds `https://{store_name}.{url_suffix}/webhdfs/v1/`; store_name="127.0.0" and
url_suffix="1:PORT/ACCOUNT" turn that into the emulator's path-style `https://127.0.0.1:PORT/ACCOUNT/webhdfs/v1/`.
"""
import json
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor

args = json.loads(sys.argv[1])
action = args["action"]

if action == "version":
    # The cold-process equivalent of `adl --version`: import the SDK and print its version.
    import azure.datalake.store

    print(azure.datalake.store.__version__)
    sys.exit(0)

connection = json.load(open(args["connectionFile"]))
os.environ["REQUESTS_CA_BUNDLE"] = connection["caCertificatePath"]

import adal  # noqa: E402
from azure.datalake.store import core, lib, multithread  # noqa: E402

RESOURCE = "https://datalake.azure.net/"


def filesystem():
    context = adal.AuthenticationContext("%s/%s" % (connection["url"], connection["tenantId"]), validate_authority=False)
    out = context.acquire_token_with_client_credentials(RESOURCE, connection["clientId"], connection["clientSecret"])
    token = {
        "access": out["accessToken"],
        "tokenType": out["tokenType"],
        "expiresIn": out["expiresIn"],
        "time": time.time(),
        "refresh": False,
        "tenant": connection["tenantId"],
        "client": connection["clientId"],
        "resource": RESOURCE,
    }
    return core.AzureDLFileSystem(
        token=lib.DataLakeCredential(token),
        store_name="127.0.0",
        url_suffix="1:%s/%s" % (connection["port"], args["account"]),
    )


if action == "ls-cold":
    # Scenario 5: a cold process that authenticates and lists a small folder, printing names.
    for entry in filesystem().ls(args["remote"], detail=True):
        print(entry["name"])
    sys.exit(0)

if action == "stat-cold":
    # The cold-process equivalent of `adl fs stat PATH`.
    print(json.dumps(filesystem().info(args["remote"])))
    sys.exit(0)

if action == "cat-cold":
    # The cold-process equivalent of `adl fs cat PATH` of a small file.
    sys.stdout.buffer.write(filesystem().cat(args["remote"]))
    sys.exit(0)

fs = filesystem()
sizes = {k: args[k] for k in ("chunksize", "buffersize", "blocksize") if args.get(k)}
nthreads = args.get("nthreads")


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


u0 = resource.getrusage(resource.RUSAGE_SELF).ru_utime
c0 = cpu()
t0 = time.perf_counter()
result = {}
if action == "upload":
    multithread.ADLUploader(fs, args["remote"], args["local"], nthreads=nthreads, overwrite=True, **sizes)
    result["bytes"] = os.path.getsize(args["local"])
elif action == "download":
    multithread.ADLDownloader(fs, args["remote"], args["local"], nthreads=nthreads, overwrite=True, **sizes)
    result["bytes"] = os.path.getsize(args["local"])
elif action == "list":
    entries = fs.ls(args["remote"], detail=True, invalidate_cache=True)
    result["entries"] = len(entries)
elif action == "small":
    up = multithread.ADLUploader(fs, args["remote"], args["local"], nthreads=nthreads, overwrite=True, **sizes)
    t1 = time.perf_counter()
    result["uploadSeconds"] = t1 - t0
    names = os.listdir(args["local"])
    result["files"] = len(names)

    def stat(name):
        return fs.info("%s/%s" % (args["remote"], name))["type"] == "FILE"

    with ThreadPoolExecutor(max_workers=nthreads or 8) as pool:
        result["stated"] = sum(1 for ok in pool.map(stat, names) if ok)
    result["statSeconds"] = time.perf_counter() - t1
else:
    raise SystemExit("unknown action %s" % action)

result["seconds"] = time.perf_counter() - t0
result["cpuSeconds"] = cpu() - c0
result["cpuUser"] = resource.getrusage(resource.RUSAGE_SELF).ru_utime - u0
result["maxRssKiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(result))
