"""The SDK's filesystem API against the emulator; every check raises AssertionError on a mismatch."""
import json
import os
import sys

from azure.datalake.store.exceptions import DatalakeRESTException

from emulator_fs import filesystem

fs = filesystem()
root = "/py-" + sys.argv[1]
checks = []


def check(name, condition, detail=""):
    assert condition, "%s failed %s" % (name, detail)
    checks.append(name)


fs.mkdir(root + "/sub/deeper")
check("mkdir", fs.info(root + "/sub/deeper")["type"] == "DIRECTORY")
check("exists", fs.exists(root + "/sub") and not fs.exists(root + "/nope"))

local = os.path.join(os.environ["WORK_DIR"], "local.txt")
with open(local, "wb") as f:
    f.write(b"line one\nline two\n" * 100)
fs.put(local, root + "/put.txt")
got = os.path.join(os.environ["WORK_DIR"], "got.txt")
fs.get(root + "/put.txt", got)
check("put/get", open(got, "rb").read() == open(local, "rb").read())
check("cat", fs.cat(root + "/put.txt") == open(local, "rb").read())
check("head", fs.head(root + "/put.txt", 8) == b"line one")
check("tail", fs.tail(root + "/put.txt", 9) == b"line two\n")

with fs.open(root + "/w.bin", "wb") as f:
    f.write(b"a" * 10)
with fs.open(root + "/w.bin", "ab") as f:
    f.write(b"b" * (5 * 1024 * 1024))
with fs.open(root + "/w.bin", "ab") as f:
    f.write(b"c")
with fs.open(root + "/w.bin", "rb") as f:
    data = f.read()
check("open wb/ab/rb", data == b"a" * 10 + b"b" * (5 * 1024 * 1024) + b"c", len(data))

fs.touch(root + "/sub/empty")
check("touch", fs.info(root + "/sub/empty")["length"] == 0)

names = sorted(fs.ls(root))
check("ls", names == sorted([root[1:] + "/put.txt", root[1:] + "/sub", root[1:] + "/w.bin"]), names)
detail = fs.ls(root, detail=True)
check("ls detail", {d["name"]: d["type"] for d in detail}[root[1:] + "/sub"] == "DIRECTORY")

walked = sorted(fs.walk(root))
check("walk", walked == sorted([root[1:] + "/put.txt", root[1:] + "/w.bin", root[1:] + "/sub/empty"]), walked)
check("glob", sorted(fs.glob(root + "/*.txt")) == [root[1:] + "/put.txt"], fs.glob(root + "/*.txt"))
du = fs.du(root, total=True, deep=True)
check("du", du == 1800 + 10 + 5 * 1024 * 1024 + 1, du)
df = fs.df(root)
check("df", df["fileCount"] == 3 and df["directoryCount"] == 3 and df["length"] == du, df)

fs.mv(root + "/put.txt", root + "/sub/moved.txt")
check("mv", fs.exists(root + "/sub/moved.txt") and not fs.exists(root + "/put.txt"))
try:
    fs.mv(root + "/missing", root + "/x")
    check("mv missing raises", False)
except DatalakeRESTException:
    check("mv missing raises", True)

fs.chmod(root + "/w.bin", "0750")
check("chmod", fs.info(root + "/w.bin")["permission"] == "750")
fs.modify_acl_entries(root + "/w.bin", "user:11111111-2222-3333-4444-555555555555:r-x")
acl = fs.get_acl_status(root + "/w.bin")
check("modify_acl_entries", "user:11111111-2222-3333-4444-555555555555:r-x" in acl["entries"], acl)
fs.remove_acl_entries(root + "/w.bin", "user:11111111-2222-3333-4444-555555555555")
fs.remove_acl(root + "/w.bin")
check("remove_acl", fs.get_acl_status(root + "/w.bin")["entries"] == ["user::rwx", "group::r-x", "other::---"], fs.get_acl_status(root + "/w.bin"))
fs.set_acl(root, "user::rwx,group::r-x,other::---,default:user:11111111-2222-3333-4444-555555555555:rwx", recursive=True, number_of_sub_process=1)
check("set_acl recursive dir", "default:user:11111111-2222-3333-4444-555555555555:rwx" in fs.get_acl_status(root + "/sub")["entries"])
check("set_acl recursive file", fs.get_acl_status(root + "/w.bin")["entries"] == ["user::rwx", "group::r-x", "other::---"])
fs.remove_default_acl(root + "/sub")
check("remove_default_acl", not any(e.startswith("default:") for e in fs.get_acl_status(root + "/sub")["entries"]))

fs.set_expiry(root + "/w.bin", "Absolute", 1896091200000)
check("set_expiry", fs.info(root + "/w.bin")["msExpirationTime"] == 1896091200000)
fs.set_expiry(root + "/w.bin", "NeverExpire")
check("set_expiry never", fs.info(root + "/w.bin")["msExpirationTime"] == 0)

fs.concat(root + "/joined", [root + "/sub/moved.txt", root + "/sub/empty"], delete_source=False)
check("concat", fs.cat(root + "/joined") == open(local, "rb").read() and not fs.exists(root + "/sub/empty"))

fs.rmdir(root + "/sub/deeper")
check("rmdir", not fs.exists(root + "/sub/deeper"))
fs.rm(root, recursive=True)
check("rm recursive", not fs.exists(root))

print(json.dumps({"ok": True, "checks": checks}))
