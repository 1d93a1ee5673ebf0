"""ADLUploader/ADLDownloader with several threads and chunks; compares SHA-256 of the bytes."""
import hashlib
import json
import os
import sys

from azure.datalake.store.multithread import ADLDownloader, ADLUploader

from emulator_fs import filesystem

MiB = 1024 * 1024
fs = filesystem()
work = os.environ["WORK_DIR"]
size = int(sys.argv[1]) if len(sys.argv) > 1 else 24 * MiB + 5


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            digest.update(block)
    return digest.hexdigest()


source = os.path.join(work, "big.bin")
with open(source, "wb") as f:
    left = size
    seed = hashlib.sha256(b"adlkit").digest()
    while left > 0:
        seed = hashlib.sha256(seed).digest()
        block = (seed * (MiB // len(seed)))[: min(MiB, left)]
        f.write(block)
        left -= len(block)

ADLUploader(fs, "/up/big.bin", source, nthreads=4, chunksize=4 * MiB, buffersize=MiB, blocksize=MiB, overwrite=True)
info = fs.info("/up/big.bin")
assert info["length"] == size, info
leftovers = [p for p in fs.ls("/up") if ".segments" in p]
assert leftovers == [], leftovers

try:
    ADLUploader(fs, "/up/big.bin", source, nthreads=2, chunksize=4 * MiB, overwrite=False)
    raise AssertionError("overwrite=False on an existing target did not raise")
except FileExistsError:
    pass
assert fs.info("/up/big.bin")["length"] == size

target = os.path.join(work, "down.bin")
ADLDownloader(fs, "/up/big.bin", target, nthreads=4, chunksize=4 * MiB, buffersize=MiB, blocksize=MiB, overwrite=True)
assert sha256(target) == sha256(source), "downloaded bytes differ"

# A tree with an empty directory comes back with the empty directory.
fs.mkdir("/tree/empty")
with fs.open("/tree/a/one.txt", "wb") as f:
    f.write(b"one")
tree = os.path.join(work, "tree")
ADLDownloader(fs, "/tree", tree, nthreads=2, chunksize=MiB, overwrite=True)
assert open(os.path.join(tree, "a", "one.txt"), "rb").read() == b"one"
assert os.path.isdir(os.path.join(tree, "empty")) and os.listdir(os.path.join(tree, "empty")) == []

print(json.dumps({"ok": True, "size": size, "sha256": sha256(target)}))
