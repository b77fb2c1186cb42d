export default {
  globs: ['components/**/*.ts'],
  // Test helpers (components/shared/test-desk.ts) are not part of the package.
  exclude: ['components/**/*.test.ts', 'components/**/test/**', 'components/**/test-*.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  plugins: [
    {
      // The glob returns files in directory order, which differs between machines; sort by path
      // so that the same commit always gives the same manifest.
      name: 'sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) =>
          a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
        );
      },
    },
  ],
};
