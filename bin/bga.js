#!/usr/bin/env node
// The CLI is TypeScript run in place: register tsx's CommonJS hook, then load the entry point.
require('tsx/cjs');
require('../client/cli/main.ts');
