#!/usr/bin/env node
import { runDemo } from "./walkthrough.js";

runDemo(process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as { message?: string; hint?: string };
    process.stderr.write(`demo failed: ${e.message ?? String(err)}\n${e.hint ? `hint: ${e.hint}\n` : ""}`);
    process.exitCode = 1;
  },
);
