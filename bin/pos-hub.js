#!/usr/bin/env node
// The compiled CLI (`npm ci` builds dist/ through the `prepare` script).
const { main } = require('../dist/cli/posHub.js');
process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
