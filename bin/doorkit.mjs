#!/usr/bin/env node
// The doorkit command. Sources are TypeScript, loaded through tsx so that a
// checkout runs without a build step.
import { register as registerHooks } from "node:module";
import { register } from "tsx/esm/api";

registerHooks("./resolve-hooks.mjs", import.meta.url);
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
