/**
 * `doorkit` entry point: picks the subcommand and turns its outcome into an
 * exit status. A user's mistake never ends in a stack trace; an internal error
 * does, because it is a bug in doorkit.
 */
import { type Io, UsageError } from "./command.js";
import { commands } from "./commands/index.js";

const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
};

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: doorkit <command> [options]\n\ncommands:\n${lines.join("\n")}\n  ${"help".padEnd(width)}  show help for a command\n`;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = commands.find((c) => c.name === rest[0]);
    io.stdout(topic ? (await topic.load()).usage : help());
    return 0;
  }
  if (name === "--version") {
    io.stdout("doorkit 0.1.0\n");
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`doorkit: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`doorkit ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    throw error;
  }
}
