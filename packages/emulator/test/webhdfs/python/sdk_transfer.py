"""ADLUploader/ADLDownloader with several threads and chunks; compares SHA-256 of the bytes."""
import hashlib
import json
import os
import sys

from azure.datalake.store.multithread import ADLDownloader, ADLUploader

from emulator_fs import filesystem

MiB = 1024 * 1024
KiB = 1024
fs = filesystem()
work = os.environ["WORK_DIR"]
big_size = int(sys.argv[1]) if len(sys.argv) > 1 else 24 * MiB + 5
checks = []


def check(name, condition, detail=""):
    assert condition, "%s failed %s" % (name, detail)
    checks.append(name)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            digest.update(block)
    return digest.hexdigest()


def make_file(path, size, salt):
    seed = hashlib.sha256(salt).digest()
    with open(path, "wb") as f:
        left = size
        while left > 0:
            seed = hashlib.sha256(seed).digest()
            block = (seed * (MiB // len(seed)))[: min(MiB, left)]
            f.write(block)
            left -= len(block)
    return path


# Item 110: 3 MiB + 5 B in 1 MiB chunks (4 segments joined by MSCONCAT), then overwrite=False must refuse.
small = make_file(os.path.join(work, "small.bin"), 3 * MiB + 5, b"small")
ADLUploader(fs, "/up110/big.bin", small, nthreads=4, chunksize=MiB, buffersize=512 * KiB, blocksize=256 * KiB)
check("110 length", fs.info("/up110/big.bin")["length"] == 3 * MiB + 5)
check("110 no segments left", fs.ls("/up110") == ["up110/big.bin"], fs.ls("/up110"))
back = os.path.join(work, "small.back")
fs.get("/up110/big.bin", back)
check("110 identical", sha256(back) == sha256(small))
try:
    ADLUploader(fs, "/up110/big.bin", make_file(os.path.join(work, "other.bin"), 10, b"other"), nthreads=2, overwrite=False)
    check("110 overwrite=False raises FileExistsError", False)
except FileExistsError:
    check("110 overwrite=False raises FileExistsError", fs.info("/up110/big.bin")["length"] == 3 * MiB + 5)

# The brief's transfer: tens of MiB, 4 threads, 4 MiB chunks, 1 MiB blocks, both directions, by SHA-256.
big = make_file(os.path.join(work, "big.bin"), big_size, b"adlkit")
ADLUploader(fs, "/up/big.bin", big, nthreads=4, chunksize=4 * MiB, buffersize=MiB, blocksize=MiB, overwrite=True)
check("upload length", fs.info("/up/big.bin")["length"] == big_size)
check("upload no segments left", [p for p in fs.ls("/up") if ".segments" in p] == [])
target = os.path.join(work, "down.bin")
ADLDownloader(fs, "/up/big.bin", target, nthreads=4, chunksize=4 * MiB, buffersize=MiB, blocksize=MiB, overwrite=True)
check("download sha256", sha256(target) == sha256(big))

# Item 111: a single file and a tree with an empty directory.
ADLDownloader(fs, "/up110/big.bin", os.path.join(work, "single.bin"), nthreads=2, chunksize=MiB, blocksize=256 * KiB, overwrite=True)
check("111 single file", sha256(os.path.join(work, "single.bin")) == sha256(small))
fs.mkdir("/tree/empty")
with fs.open("/tree/a/one.txt", "wb") as f:
    f.write(b"one")
with fs.open("/tree/a/b/two.txt", "wb") as f:
    f.write(b"two" * 1000)
tree = os.path.join(work, "tree")
ADLDownloader(fs, "/tree", tree, nthreads=2, chunksize=MiB, overwrite=True)
check("111 tree files", open(os.path.join(tree, "a", "one.txt"), "rb").read() == b"one"
      and open(os.path.join(tree, "a", "b", "two.txt"), "rb").read() == b"two" * 1000)
check("111 empty directory", os.path.isdir(os.path.join(tree, "empty")) and os.listdir(os.path.join(tree, "empty")) == [])

print(json.dumps({"ok": True, "size": big_size, "checks": checks}))
