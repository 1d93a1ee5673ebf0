// pnpm hooks for this workspace.
module.exports = {
  hooks: {
    // Packed (and so published) manifests carry no devDependencies: nobody who installs a package needs them,
    // and ours name private workspace packages (@adlkit/testkit) that exist on no registry.
    beforePacking(manifest) {
      delete manifest.devDependencies;
      return manifest;
    },
  },
};
