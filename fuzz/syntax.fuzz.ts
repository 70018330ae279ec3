/**
 * Long campaign of the syntax layer's properties (the suite runs the same ones
 * at small counts in tests/compiler/syntax/properties.test.ts): grammatical,
 * mutated and random IDL text; parsing never throws, formatting is idempotent
 * and keeps the meaning, to the parser and to the whole compiler. Prints
 * cases run, failures and time.
 */
import fc from "fast-check";
import { idlText, mutatedIdlText, randomText } from "../tests/compiler/syntax/arbitrary-idl.js";
import {
  formatKeepsCompilerView,
  formatsFaithfully,
  formatsOrRefuses,
  parsesWithoutThrowing,
} from "../tests/compiler/syntax/syntax-properties.js";

const campaigns: readonly { name: string; share: number; arbitrary: fc.Arbitrary<string>; check: (t: string) => string | null }[] = [
  { name: "grammatical: format faithful", share: 0.2, arbitrary: idlText, check: formatsFaithfully },
  { name: "grammatical: compiler sees no change", share: 0.1, arbitrary: idlText, check: formatKeepsCompilerView },
  { name: "mutated: parse never throws", share: 0.3, arbitrary: mutatedIdlText, check: parsesWithoutThrowing },
  { name: "mutated: format refuses or is faithful", share: 0.2, arbitrary: mutatedIdlText, check: formatsOrRefuses },
  { name: "random: parse never throws", share: 0.2, arbitrary: randomText, check: parsesWithoutThrowing },
];

export default function fuzzSyntax(runs = 200_000): boolean {
  let ok = true;
  console.log(`syntax fuzz: ${runs} cases`);
  for (const c of campaigns) {
    const numRuns = Math.max(1, Math.round(runs * c.share));
    const started = performance.now();
    const details = fc.check(
      fc.property(c.arbitrary, (text) => c.check(text) === null),
      { numRuns },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const status = details.failed ? "FAILED" : "ok";
    console.log(`  ${c.name.padEnd(40)} ${String(details.numRuns).padStart(8)} cases  ${status}  ${seconds} s`);
    if (details.failed) {
      ok = false;
      console.log(`    seed ${details.seed}, path ${details.counterexamplePath}`);
      const example = details.counterexample?.[0] ?? "";
      console.log(`    ${c.check(example)}`);
      console.log(`    counterexample: ${JSON.stringify(example)}`);
    }
  }
  return ok;
}
