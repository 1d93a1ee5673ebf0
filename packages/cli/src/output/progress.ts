import type { Writable } from "node:stream";
import { formatBytes } from "./human.js";

/**
 * Progress on stderr, only when stderr is a terminal and never under --json: a spinner for waits
 * (long-running operations) and a bar for transfers (bytes, rate, ETA). When disabled, every method is a no-op.
 */
export interface Progress {
  spinner(text: string): Spinner;
  transfer(label: string): TransferBar;
}

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

export interface TransferBar {
  update(progress: {
    bytesTransferred: number;
    totalBytes: number;
    filesCompleted: number;
    totalFiles: number;
  }): void;
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const noop: Spinner & TransferBar = { update() {}, stop() {} };

export function createProgress(stream: Writable & { isTTY?: boolean }, enabled: boolean): Progress {
  if (!enabled) return { spinner: () => noop, transfer: () => noop };
  return {
    spinner(text) {
      let frame = 0;
      let current = text;
      const draw = () => stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${current}`);
      draw();
      const timer = setInterval(draw, 80);
      timer.unref();
      return {
        update(next) {
          current = next;
        },
        stop() {
          clearInterval(timer);
          stream.write("\r\x1b[2K");
        },
      };
    },
    transfer(label) {
      return new CliProgressBar(stream, label);
    },
  };
}

/** cli-progress, loaded only when a bar is really shown. */
class CliProgressBar implements TransferBar {
  #bar: import("cli-progress").SingleBar | undefined;
  #loading: Promise<void>;
  #last: Parameters<TransferBar["update"]>[0] | undefined;
  #started = Date.now();
  #stopped = false;

  constructor(stream: Writable, label: string) {
    this.#loading = import("cli-progress").then(({ default: cliProgress }) => {
      if (this.#stopped) return;
      this.#bar = new cliProgress.SingleBar(
        {
          stream: stream as NodeJS.WritableStream,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
          fps: 10,
          format: (options, params, payload: { text?: string }) => {
            const width = options.barsize ?? 30;
            const done = Math.round(params.progress * width);
            const bar = "█".repeat(done) + "░".repeat(Math.max(0, width - done));
            const eta = Number.isFinite(params.eta) && params.eta > 0 ? formatEta(params.eta) : "--";
            return `${label} ${bar} ${Math.floor(params.progress * 100)}% ${payload.text ?? ""} ETA ${eta}`;
          },
        },
        cliProgress.Presets.shades_classic,
      );
      const last = this.#last;
      this.#bar.start(last?.totalBytes || 1, last?.bytesTransferred ?? 0, { text: this.#text(last) });
    });
  }

  #text(p: Parameters<TransferBar["update"]>[0] | undefined): string {
    if (!p) return "";
    const seconds = (Date.now() - this.#started) / 1000;
    const rate = seconds > 0 ? p.bytesTransferred / seconds : 0;
    const files = p.totalFiles > 1 ? ` | ${p.filesCompleted}/${p.totalFiles} files` : "";
    return `${formatBytes(p.bytesTransferred)}/${formatBytes(p.totalBytes)} | ${formatBytes(Math.round(rate))}/s${files} |`;
  }

  update(progress: Parameters<TransferBar["update"]>[0]): void {
    this.#last = progress;
    if (!this.#bar) return;
    this.#bar.setTotal(progress.totalBytes || 1);
    this.#bar.update(progress.bytesTransferred, { text: this.#text(progress) });
  }

  stop(): void {
    this.#stopped = true;
    this.#bar?.stop();
    void this.#loading;
  }
}

function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
