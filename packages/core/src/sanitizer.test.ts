import { describe, expect, it } from "vitest";
import { REDACTED, redactText, sanitizeForm, sanitizeHeaders, sanitizeUrl, WITHHELD } from "./sanitizer.js";

describe("sanitizer", () => {
  it("keeps allow-listed query parameters and redacts the rest", () => {
    const url = sanitizeUrl("https://a.example/webhdfs/v1/x?op=OPEN&offset=5&sig=abc&client_secret=s3cret");
    expect(url).toContain("op=OPEN");
    expect(url).toContain("offset=5");
    expect(url).toContain(`sig=${REDACTED}`);
    expect(url).not.toContain("s3cret");
  });

  it("keeps a token request's flow fields and redacts its secret and assertion", () => {
    const form = sanitizeForm(
      "client_id=c1&scope=https%3A%2F%2Fdatalake.azure.net%2F%2F.default&grant_type=client_credentials" +
        "&client_secret=s3cret%26more&client_assertion=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln" +
        "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&x-client-SKU=msal.js.node",
    );
    expect(form).toBe(
      "client_id=c1&scope=https://datalake.azure.net//.default&grant_type=client_credentials" +
        `&client_secret=${REDACTED}&client_assertion=${REDACTED}` +
        `&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&x-client-SKU=${REDACTED}`,
    );
    expect(form).not.toMatch(/s3cret|eyJ/);
  });

  it("redacts the Authorization header and unknown headers", () => {
    const headers = sanitizeHeaders({
      authorization: "Bearer abc.def.ghi",
      "x-ms-request-id": "r1",
      "x-secret-thing": "v",
    });
    expect(headers).toEqual({ authorization: REDACTED, "x-ms-request-id": "r1", "x-secret-thing": REDACTED });
  });

  it("removes JWTs, bearer values, secret form fields, JSON secret fields and private keys from text", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    const text = [
      `token ${jwt}`,
      "Authorization: Bearer abcdefghijklmnop",
      "client_secret=hunter2hunter2&grant_type=client_credentials",
      '{"clientSecret":"abc123","name":"x"}',
      "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----",
    ].join("\n");
    const out = redactText(text);
    for (const secret of [jwt, "abcdefghijklmnop", "hunter2hunter2", "abc123", "MIIEv"])
      expect(out).not.toContain(secret);
    expect(out).toContain("grant_type=client_credentials");
    expect(out).toContain('"name":"x"');
  });

  it("removes literal secrets it is told about", () => {
    expect(redactText("the secret is plain-value-123", ["plain-value-123"])).toBe(
      `the secret is ${REDACTED}`,
    );
    expect(redactText("x=aB3$xy12;", ["aB3$xy12"])).toBe(`x=${REDACTED};`);
  });

  it("never falsifies a sentence for a secret that is a plain word, and never shows it either", () => {
    const hint = "The client secret is wrong. Check AZURE_CLIENT_SECRET.";
    for (const secret of ["wrong", "secret", "client", "is wrong", "Check", "The client secret"]) {
      const out = redactText(hint, [secret]);
      expect(out).toBe(WITHHELD);
      expect(out).not.toContain(REDACTED);
    }
    expect(redactText("read 12345678 bytes", ["12345678"])).toBe(WITHHELD);
    // Under 4 characters a value hides nothing (and would withhold every text): not looked for.
    expect(redactText(hint, ["The", "e"])).toBe(hint);
    // Texts without it are left as they are.
    expect(redactText("Nothing to hide here.", ["wrong"])).toBe("Nothing to hide here.");
    // A distinctive secret is cut out of the same text; a plain one elsewhere still withholds it.
    expect(redactText("id 9fK2-xQ7 is wrong", ["9fK2-xQ7", "zzz"])).toBe(`id ${REDACTED} is wrong`);
    expect(redactText("id 9fK2-xQ7 is wrong", ["9fK2-xQ7", "wrong"])).toBe(WITHHELD);
  });
});
