/** Runs the example and prints what the foreign program wrote: `npx tsx examples/os-emulation/main.ts`. */
import { bootDemo } from "./boot.js";

const demo = bootDemo();
await demo.kernel.run();
process.stdout.write(demo.output.join(""));
process.stdout.write(`(foreign calls: ${demo.calls.join(", ")}; exit status ${demo.status})\n`);
