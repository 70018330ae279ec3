/**
 * The shape of one `doorkit` subcommand. Each lives in its own file under
 * `cli/commands/` and is listed in `cli/commands/index.ts`.
 */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal (colour and progress output). */
  readonly isTty: boolean;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text, shown by `doorkit help NAME` and on a usage error. */
  readonly usage: string;
  /** Runs the command; returns the process exit status. */
  run(args: readonly string[], io: Io): Promise<number>;
}

/** A mistake in how the command was called: printed with the usage, exit 2. */
export class UsageError extends Error {}
