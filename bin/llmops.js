#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('llmops: the CLI is not built. Run `npm run build` (or `npm ci`) in the llmops folder.\n');
    process.exit(2);
  }
  throw err;
});
