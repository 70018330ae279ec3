import type { Command } from "../command.js";
import { fmtCommand } from "./fmt.js";
import { checkCommand } from "./check.js";
import { layoutCommand } from "./layout.js";
import { irCommand } from "./ir.js";
import { imageCommand } from "./image.js";
import { runCommand } from "./run.js";
import { demoCommand } from "./demo.js";
import { genCommand } from "./gen.js";

/** Every subcommand of `doorkit`, in the order `doorkit help` lists them. */
export const commands: readonly Command[] = [checkCommand, layoutCommand, irCommand, genCommand, imageCommand, runCommand, demoCommand, fmtCommand];
