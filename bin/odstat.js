#!/usr/bin/env node
// The `odstat` command. TypeScript sources run through tsx's loader, so an installed checkout
// needs no separate compile step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
