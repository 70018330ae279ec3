import type { Command } from "../command.js";
import { fmtCommand } from "./fmt.js";
import { imageCommand } from "./image.js";

/** Every subcommand of `doorkit`, in the order `doorkit help` lists them. */
export const commands: readonly Command[] = [imageCommand, fmtCommand];
