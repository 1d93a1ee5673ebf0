import type { CommandTable } from "../command-spec.js";
import { parseInteger } from "../parse-values.js";

export const EMULATOR_TABLE: CommandTable = {
  groups: [{ name: "emulator", summary: "The local emulator (Entra ID, Resource Manager, filesystem)" }],
  commands: [
    {
      name: "emulator start",
      summary: "Run the emulator in the foreground until Ctrl-C",
      options: [
        {
          flags: "--port <n>",
          description: "TCP port on 127.0.0.1 (0 picks a free one)",
          default: 8443,
          parse: (v: string) => parseInteger(v, 0, 65535),
        },
        { flags: "--data <dir>", description: "certificates, identity and data", default: ".adl-emulator" },
        {
          flags: "--config <file>",
          description: "JSON settings: tenants, applications, accounts, token lifetime",
        },
      ],
      examples: ["adl emulator start", "adl emulator start --port 0 --data /tmp/adl --json"],
      load: () => import("./emulator.js").then((m) => m.start),
    },
  ],
};
