import type { ClientRequest } from "node:http";
import https from "node:https";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ArmFixture, accountName, startArmFixture } from "../arm/arm-fixture.js";
import { DATALAKE } from "../helpers/webhdfs-fixture.js";

/**
 * Issue 16, finding 8 (the APPEND part): an APPEND whose body was still arriving when Resource Manager deleted
 * its account answered 500 with a stack trace in the log. It must end in a 4xx in the service's error shape:
 * the account no longer exists.
 */
let fx: ArmFixture;
let dataToken: string;
beforeAll(async () => {
  fx = await startArmFixture();
  await fx.createGroup("rg");
  dataToken = await fx.emu.token(DATALAKE);
}, 60_000);
afterAll(() => fx?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** Starts a chunked request; `finish` sends the rest and resolves with the answer. */
function streamingRequest(method: string, url: string) {
  const target = new URL(url);
  let req!: ClientRequest;
  const answer = new Promise<Answer>((resolve, reject) => {
    req = https.request(
      {
        method,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        ca: fx.emu.emulator.caPem,
        headers: { authorization: `Bearer ${dataToken}`, "transfer-encoding": "chunked" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"],
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on("error", reject);
  });
  return {
    write: (data: Buffer) => new Promise<void>((resolve) => req.write(data, () => resolve())),
    finish: async (data: Buffer) => {
      req.end(data);
      return answer;
    },
  };
}

describe("issue 16 finding 8: an APPEND streaming while its account is deleted", () => {
  for (const op of ["APPEND", "CONCURRENTAPPEND"]) {
    test(`${op}: ends in 404 FileNotFoundException (the account is gone), never a 500`, async () => {
      const name = accountName("app");
      await fx.createAccount("rg", name);
      const fsUrl = `${fx.emu.url}/${name}/webhdfs/v1`;
      const created = await fx.emu.request("PUT", `${fsUrl}/file?op=CREATE&overwrite=true`, {
        headers: { authorization: `Bearer ${dataToken}`, "content-length": "0" },
      });
      expect(created.status).toBe(201);

      const upload = streamingRequest(
        "POST",
        `${fsUrl}/file?op=${op}${op === "APPEND" ? "&append=true&offset=0" : ""}`,
      );
      await upload.write(Buffer.alloc(256 * 1024, 1));
      await sleep(200); // the emulator is now inside the write, waiting for the rest of the body
      const deleted = await fx.arm("DELETE", fx.accountPath("rg", name));
      expect(deleted.status).toBeLessThan(300);
      const answer = await upload.finish(Buffer.alloc(256 * 1024, 2));

      expect(answer.status, answer.body).toBe(404);
      expect(answer.contentType).toBe("application/json; charset=utf-8");
      const remote = JSON.parse(answer.body).RemoteException;
      expect(remote.exception).toBe("FileNotFoundException");
      expect(remote.message).toContain(name);
      expect(answer.body).not.toMatch(/\bat .*\.js:\d+/);
      // The account stays gone; the emulator keeps serving.
      const after = await fx.emu.request("GET", `${fsUrl}/?op=GETFILESTATUS`, {
        headers: { authorization: `Bearer ${dataToken}` },
      });
      expect(after.status).toBe(404);
      expect((await fx.emu.request("GET", `${fx.emu.url}/_emulator/health`)).status).toBe(200);
    });
  }
});
