import type { CommandTable } from "../command-spec.js";

const profile = () => import("./profile.js");

export const PROFILE_TABLE: CommandTable = {
  groups: [{ name: "profile", summary: "Named credentials and defaults in the config file" }],
  commands: [
    {
      name: "profile add",
      summary: "Save credentials, cloud, subscription and default account under a name",
      args: ["<name>"],
      options: [
        {
          flags: "--from-emulator <dir>",
          description: "use an emulator's DIR/connection.json (nothing secret is copied)",
        },
        { flags: "--use", description: "make it the current profile" },
      ],
      examples: [
        "adl profile add local --from-emulator ./.adl-emulator --account testacct --use",
        "adl profile add prod --tenant contoso.onmicrosoft.com --client-id 1111… --client-secret … --subscription 2222…",
        "adl profile add ci --tenant … --client-id … --certificate ./sp.pem --cloud usgov",
      ],
      load: () => profile().then((m) => m.add),
    },
    {
      name: "profile list",
      summary: "List profiles (secrets shown as ***)",
      examples: ["adl profile list", "adl profile list --json"],
      load: () => profile().then((m) => m.list),
    },
    {
      name: "profile use",
      summary: "Make a profile the current one",
      args: ["<name>"],
      examples: ["adl profile use local"],
      load: () => profile().then((m) => m.use),
    },
    {
      name: "profile remove",
      summary: "Delete a profile",
      args: ["<name>"],
      examples: ["adl profile remove old"],
      load: () => profile().then((m) => m.remove),
    },
    {
      name: "profile logout",
      summary: "Forget the tokens kept between runs (of a profile, or --all)",
      args: ["[name]"],
      options: [{ flags: "--all", description: "of every profile" }],
      examples: ["adl profile logout", "adl profile logout prod", "adl profile logout --all"],
      load: () => import("./profile-logout.js").then((m) => m.logout),
    },
  ],
};
