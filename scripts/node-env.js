/**
 * A @web/dev-server plugin: libraries that read `process.env.NODE_ENV` (a bundler's define, which
 * the test server does not have) get "production", as the host's bundler gives them.
 */
export const nodeEnvPlugin = {
  name: 'node-env',
  transform(context) {
    if (!context.path.includes('/node_modules/') || !context.response.is('js')) return undefined;
    const body = context.body;
    if (typeof body !== 'string' || !body.includes('process.env.NODE_ENV')) return undefined;
    return { body: body.replaceAll('process.env.NODE_ENV', '"production"') };
  },
};
