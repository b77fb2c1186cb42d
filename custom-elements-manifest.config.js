export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/**/*.test.ts', 'components/**/test/**'],
  outdir: '.',
  litelement: true,
  dependencies: false,
};
