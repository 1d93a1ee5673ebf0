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

export function createProgress(
  stream: Writable & { isTTY?: boolean; columns?: number },
  enabled: boolean,
): Progress {
  if (!enabled) return { spinner: () => noop, transfer: () => noop };
  return {
    spinner(text) {
      let frame = 0;
      let current = text;
      // One line, cut to the terminal's width: a wrapped line would not be cleared by the next redraw.
      const draw = () =>
        stream.write(`\r\x1b[2K${clip(`${FRAMES[frame++ % FRAMES.length]} ${current}`, stream.columns)}`);
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
  readonly #label: string;

  constructor(stream: Writable, label: string) {
    this.#label = label;
    this.#loading = import("cli-progress").then(({ default: cliProgress }) => {
      if (this.#stopped) return;
      this.#bar = new cliProgress.SingleBar(
        {
          stream: stream as NodeJS.WritableStream,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
          fps: 10,
          // Redrawn at the terminal's current width (cli-progress passes stream.columns as maxWidth).
          format: (_options, params, payload: { line?: Omit<TransferLine, "progress" | "eta"> }) =>
            formatTransferLine(
              { ...(payload.line ?? { label }), progress: params.progress, eta: params.eta },
              params.maxWidth,
            ),
        },
        cliProgress.Presets.shades_classic,
      );
      const last = this.#last;
      this.#bar.start(last?.totalBytes || 1, last?.bytesTransferred ?? 0, { line: this.#line(last) });
    });
  }

  #line(p: Parameters<TransferBar["update"]>[0] | undefined): Omit<TransferLine, "progress" | "eta"> {
    if (!p) return { label: this.#label, rate: `${formatBytes(0)}/s` };
    const seconds = (Date.now() - this.#started) / 1000;
    return {
      label: this.#label,
      bytes: `${formatBytes(p.bytesTransferred)}/${formatBytes(p.totalBytes)}`,
      rate: `${formatBytes(Math.round(seconds > 0 ? p.bytesTransferred / seconds : 0))}/s`,
      ...(p.totalFiles > 1 ? { files: `${p.filesCompleted}/${p.totalFiles} files` } : {}),
    };
  }

  update(progress: Parameters<TransferBar["update"]>[0]): void {
    this.#last = progress;
    if (!this.#bar) return;
    this.#bar.setTotal(progress.totalBytes || 1);
    this.#bar.update(progress.bytesTransferred, { line: this.#line(progress) });
  }

  stop(): void {
    this.#stopped = true;
    this.#bar?.stop();
    void this.#loading;
  }
}

export interface TransferLine {
  label: string;
  /** 0 to 1. */
  progress: number;
  /** Seconds left; not finite or 0 when unknown. */
  eta: number;
  /** `2.1 MiB/4.8 MiB` */
  bytes?: string | undefined;
  /** `1.2 MiB/s` */
  rate?: string | undefined;
  /** `3/10 files` */
  files?: string | undefined;
}

const BAR_MAX = 30;
const BAR_MIN = 10;

/**
 * One progress line that fits `columns` (the line is drawn with wrapping off, so anything longer is cut): on a
 * narrow terminal the bar shrinks first, then the byte counts, the file count, the ETA, the bar and the label
 * go, in that order. The percentage and the rate always stay.
 */
export function formatTransferLine(line: TransferLine, columns: number): string {
  const width = Math.max(1, columns - 1); // writing the last column would leave the cursor in a pending wrap
  const percent = `${Math.floor(Math.min(1, Math.max(0, line.progress)) * 100)}%`;
  const eta = `ETA ${Number.isFinite(line.eta) && line.eta > 0 ? formatEta(line.eta) : "--"}`;
  const shown = new Set(["label", "bar", "bytes", "files", "eta"]);
  const dropOrder = ["bytes", "files", "eta", "bar", "label"];
  const compose = (barWidth: number) => {
    const head = [
      shown.has("label") ? line.label : "",
      barWidth > 0 ? drawBar(line.progress, barWidth) : "",
      percent,
    ];
    const tail = [
      shown.has("bytes") ? line.bytes : "",
      line.rate,
      shown.has("files") ? line.files : "",
      shown.has("eta") ? eta : "",
    ];
    return `${head.filter(Boolean).join(" ")} ${tail.filter(Boolean).join(" | ")}`.trimEnd();
  };
  for (const drop of [...dropOrder, undefined]) {
    if (shown.has("bar")) {
      const room = width - compose(0).length - 1; // minus the space before the bar
      if (room >= BAR_MIN) return compose(Math.min(BAR_MAX, room));
    } else if (compose(0).length <= width) return compose(0);
    if (drop) shown.delete(drop);
  }
  return compose(0).slice(0, width);
}

/** `text` cut to leave the last column free (writing there puts the cursor in a pending wrap). */
function clip(text: string, columns: number | undefined): string {
  return columns && text.length >= columns ? `${text.slice(0, Math.max(0, columns - 2))}…` : text;
}

function drawBar(progress: number, width: number): string {
  if (width <= 0) return "";
  const done = Math.round(Math.min(1, Math.max(0, progress)) * width);
  return "█".repeat(done) + "░".repeat(width - done);
}

function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
