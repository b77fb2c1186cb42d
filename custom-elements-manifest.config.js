export default {
  globs: ['components/**/*.ts'],
  // Test helpers (components/shared/test-desk.ts) are not part of the package.
  exclude: ['components/**/*.test.ts', 'components/**/test/**', 'components/**/test-*.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
};
