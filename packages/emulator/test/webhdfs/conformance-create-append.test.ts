import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectRemote, fsCalls } from "./fs-calls.js";

let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
beforeAll(async () => {
  fx = await startFsFixture();
  fs = fsCalls(fx);
});
afterAll(() => fx?.close());

const MiB4 = 4 * 1024 * 1024;

describe("§12 CREATE", () => {
  test("37: CREATE write=true&overwrite=true&syncFlag=DATA with no body is 201, empty, length 0", async () => {
    const res = await fs.create("/c37/f", undefined, "overwrite=true&syncFlag=DATA");
    expect(res.status).toBe(201);
    expect(res.body.length).toBe(0);
    expect(res.headers["content-length"]).toBe("0");
    expect(res.headers.location).toContain("/c37/f");
    expect((await fs.fileStatus("/c37/f")).length).toBe(0);
  });

  test("38: CREATE into a missing directory chain creates the ancestors", async () => {
    expect((await fs.create("/c38/a/b/c/f", "x")).status).toBe(201);
    for (const path of ["/c38", "/c38/a", "/c38/a/b", "/c38/a/b/c"])
      expect((await fs.fileStatus(path)).type).toBe("DIRECTORY");
  });

  test("39: CREATE with a 1 KiB body and syncFlag=CLOSE; OPEN returns the bytes", async () => {
    const body = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 251));
    expect((await fs.create("/c39/f", body, "overwrite=true&syncFlag=CLOSE")).status).toBe(201);
    const res = await fs.open("/c39/f");
    expect(Buffer.compare(res.body, body)).toBe(0);
  });

  test("40: CREATE overwrite=true on a 100-byte file leaves an empty file", async () => {
    await fs.create("/c40/f", "x".repeat(100));
    expect((await fs.create("/c40/f", undefined, "overwrite=true")).status).toBe(201);
    expect((await fs.fileStatus("/c40/f")).length).toBe(0);
    expect((await fs.open("/c40/f")).body.length).toBe(0);
  });

  test("41: CREATE overwrite=false on an existing file is 403 FileAlreadyExistsException; the file is unchanged", async () => {
    await fs.create("/c41/f", "keep");
    const remote = expectRemote(
      await fs.create("/c41/f", "new", "overwrite=false"),
      403,
      "FileAlreadyExistsException",
    );
    expect(remote.javaClassName).toBe("org.apache.hadoop.fs.FileAlreadyExistsException");
    expect(await fs.content("/c41/f")).toBe("keep");
  });

  test("42: CREATE without overwrite on an existing file is 403 (the default is false)", async () => {
    await fs.create("/c42/f", "keep");
    expectRemote(await fs.create("/c42/f", "new", ""), 403, "FileAlreadyExistsException");
    expect(await fs.content("/c42/f")).toBe("keep");
  });

  test("43: CREATE on an existing directory is 403 FileAlreadyExistsException; the directory stays", async () => {
    await fs.create("/c43/d/child", "x");
    expectRemote(await fs.create("/c43/d", "x", "overwrite=true"), 403, "FileAlreadyExistsException");
    expect((await fs.fileStatus("/c43/d")).type).toBe("DIRECTORY");
    expect(await fs.exists("/c43/d/child")).toBe(true);
  });

  test("44: CREATE CreateParent=false with a missing parent is 404 and creates nothing", async () => {
    expectRemote(
      await fs.create("/c44/missing/f", "x", "overwrite=true&CreateParent=false"),
      404,
      "FileNotFoundException",
    );
    expect(await fs.exists("/c44")).toBe(false);
  });

  test("45: CREATE permission=732 is stored; permission=3-12 is 400", async () => {
    await fs.create("/c45/f", "", "overwrite=true&permission=732");
    expect((await fs.fileStatus("/c45/f")).permission).toBe("732");
    expectRemote(
      await fs.create("/c45/g", "", "overwrite=true&permission=3-12"),
      400,
      "IllegalArgumentException",
    );
    expect(await fs.exists("/c45/g")).toBe(false);
  });
});

describe("§12 APPEND", () => {
  test("46: APPEND at offset=length with 4 MiB is 200 empty and the length grows by 4194304", async () => {
    await fs.create("/a46/f", "abc");
    const res = await fs.append("/a46/f", Buffer.alloc(MiB4, 7), "offset=3&syncFlag=DATA");
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect((await fs.fileStatus("/a46/f")).length).toBe(3 + MiB4);
  });

  test("47: APPEND at a wrong offset is 400 BadOffsetException; the file is unchanged", async () => {
    await fs.create("/a47/f", "abc");
    const remote = expectRemote(await fs.append("/a47/f", "zz", "offset=1"), 400, "BadOffsetException");
    expect(remote.javaClassName).toBe("org.apache.hadoop.fs.adl.BadOffsetException");
    expect(remote.message).toContain("0x83090015");
    expect(await fs.content("/a47/f")).toBe("abc");
  });

  test("48: a zero-length APPEND with syncFlag=CLOSE is 200 at the right offset, BadOffset at a wrong one", async () => {
    await fs.create("/a48/f", "abc");
    expect((await fs.append("/a48/f", "", "offset=3&syncFlag=CLOSE")).status).toBe(200);
    expectRemote(await fs.append("/a48/f", "", "offset=2&syncFlag=CLOSE"), 400, "BadOffsetException");
  });

  test("49: APPEND without offset appends at the end", async () => {
    await fs.create("/a49/f", "abc");
    expect((await fs.append("/a49/f", "def")).status).toBe(200);
    expect(await fs.content("/a49/f")).toBe("abcdef");
  });

  test("50: APPEND to a missing file is 404 FileNotFoundException", async () => {
    expectRemote(await fs.append("/a50/missing", "x", "offset=0"), 404, "FileNotFoundException");
    expect(await fs.exists("/a50/missing")).toBe(false);
  });

  test("51: CREATE(lease A, DATA), APPEND(A, CLOSE), then APPEND(lease B) at the end both succeed", async () => {
    expect(
      (await fs.create("/a51/f", undefined, "overwrite=true&syncFlag=DATA&leaseid=A&filesessionid=A")).status,
    ).toBe(201);
    expect((await fs.append("/a51/f", "a", "offset=0&syncFlag=CLOSE&leaseid=A&filesessionid=A")).status).toBe(
      200,
    );
    expect((await fs.append("/a51/f", "b", "offset=1&syncFlag=CLOSE&leaseid=B&filesessionid=B")).status).toBe(
      200,
    );
    expect(await fs.content("/a51/f")).toBe("ab");
  });

  test("52: after APPEND with syncFlag=CLOSE, GETFILESTATUS reports the full length", async () => {
    await fs.create("/a52/f", undefined, "overwrite=true&syncFlag=DATA&leaseid=L");
    await fs.append("/a52/f", "12345", "offset=0&syncFlag=DATA&leaseid=L");
    await fs.append("/a52/f", "678", "offset=5&syncFlag=CLOSE&leaseid=L");
    expect((await fs.fileStatus("/a52/f")).length).toBe(8);
  });

  test("53: replaying an APPEND that landed is BadOffset; a zero-length APPEND at offset+len then succeeds", async () => {
    await fs.create("/a53/f", "hello");
    expect((await fs.append("/a53/f", "abcd", "offset=5&syncFlag=DATA&leaseid=L")).status).toBe(200);
    expectRemote(
      await fs.append("/a53/f", "abcd", "offset=5&syncFlag=DATA&leaseid=L"),
      400,
      "BadOffsetException",
    );
    expect((await fs.append("/a53/f", "", "offset=9&syncFlag=DATA&leaseid=L")).status).toBe(200);
    expect(await fs.content("/a53/f")).toBe("helloabcd");
  });

  test("54: APPEND with Content-Length: 0 and with Transfer-Encoding: chunked are both accepted", async () => {
    await fs.create("/a54/f", "ab");
    expect((await fs.append("/a54/f", "", "offset=2", { headers: { "content-length": "0" } })).status).toBe(
      200,
    );
    const chunked = await fs.append("/a54/f", "cd", "offset=2", {
      headers: { "transfer-encoding": "chunked" },
    });
    expect(chunked.status, chunked.text).toBe(200);
    expect(await fs.content("/a54/f")).toBe("abcd");
  });
});
