#!/usr/bin/env node
// The command-line tool is TypeScript, built into dist/ by `npm install` (the prepare step).
import '../dist/node/telltale.mjs'
