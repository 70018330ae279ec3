/**
 * Long campaign of the check, layout and IR phases (the suite runs the same
 * properties at small counts in tests/compiler/check/robustness.test.ts and
 * tests/compiler/layout/gcc.test.ts): compile() never throws on grammatical,
 * mutated or sliced IDL and every IR it gives is schema-valid; and the layout
 * of random structs agrees with gcc -m32 where gcc can compile for i386.
 */
import fc from "fast-check";
import { idlText, mutatedIdlText } from "../tests/compiler/syntax/arbitrary-idl.js";
import { mutatedSeed, problems } from "../tests/compiler/check/compile-properties.js";
import { agreesWithGcc, gccWorks } from "../tests/compiler/layout/gcc-structs.js";

const campaigns: readonly { name: string; share: number; property: fc.IProperty<[unknown]> }[] = [
  {
    name: "grammatical: compile never throws",
    share: 0.35,
    property: fc.property(idlText, (t) => problems(t) === null),
  },
  {
    name: "mutated: compile never throws",
    share: 0.35,
    property: fc.property(mutatedIdlText, (t) => problems(t) === null),
  },
  {
    name: "sliced real IDL: compile never throws",
    share: 0.25,
    property: fc.property(mutatedSeed, (t) => problems(t) === null),
  },
  { name: "layout agrees with gcc -m32", share: 0.05, property: agreesWithGcc as fc.IProperty<[unknown]> },
];

export default function fuzzCompile(runs = 20_000): boolean {
  let ok = true;
  for (const c of campaigns) {
    if (c.name.includes("gcc") && !gccWorks) {
      console.log(`compile: ${c.name}: skipped, gcc -m32 cannot compile here`);
      continue;
    }
    const n = Math.max(1, Math.round(runs * c.share));
    const start = performance.now();
    const result = fc.check(c.property, { numRuns: n });
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    if (result.failed) {
      ok = false;
      console.log(
        `compile: ${c.name}: FAILED after ${result.numRuns} cases (seed ${result.seed}): ${String(result.errorInstance)}`,
      );
    } else console.log(`compile: ${c.name}: ${n} cases passed in ${seconds} s`);
  }
  return ok;
}
