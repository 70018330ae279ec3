/**
 * The server's arguments from the manifest (pure):
 *
 *   [NAME] [--capacity=BYTES] [--threads=N]
 *
 * NAME is where it registers (default /sys/vfs); the capacity bounds the page
 * cache (default 4 MiB); N threads serve calls at once (default 3).
 */
export interface ServerConfig {
  readonly name: string;
  readonly capacity: number;
  readonly threads: number;
}

export const DEFAULT_CONFIG: ServerConfig = { name: "/sys/vfs", capacity: 4 << 20, threads: 3 };

/** Most serving threads: the kernel gives a process 64, one serves exit notifications. */
export const MAX_THREADS = 32;

export type ParsedArgs = { readonly ok: true; readonly config: ServerConfig } | { readonly ok: false; readonly message: string };

export function parseServerArgs(args: readonly string[]): ParsedArgs {
  let config = DEFAULT_CONFIG;
  for (const arg of args) {
    const option = /^--(capacity|threads)=(\d+)$/.exec(arg);
    if (option) {
      const n = Number(option[2]);
      if (option[1] === "capacity") config = { ...config, capacity: n };
      else if (n < 1 || n > MAX_THREADS) return { ok: false, message: `--threads must be 1 to ${MAX_THREADS}` };
      else config = { ...config, threads: n };
    } else if (arg.startsWith("/")) config = { ...config, name: arg };
    else return { ok: false, message: `unknown argument '${arg}'` };
  }
  return { ok: true, config };
}
