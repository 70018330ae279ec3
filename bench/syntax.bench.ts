/**
 * Syntax layer throughput on a generated file of 1,000 interfaces × 10
 * methods (doc comments, comments, structs and consts around them): the lexer
 * alone as the baseline, then lexer + parser + AST, then the formatter.
 */
import { idlLexer } from "../compiler/syntax/tokens.js";
import { parseFile } from "../compiler/syntax/index.js";
import { formatFile } from "../compiler/format/format.js";
import { fmt, printTable } from "./table.js";

const INTERFACES = 1000;
const METHODS = 10;

function generate(): string {
  let text = 'import "types.idl";\n\nconst MAX_NAME: u32 = 64;\n\n';
  for (let i = 0; i < INTERFACES; i++) {
    text += `/// Record ${i}.\nstruct Rec${i} {\n    id: u32;\n    name: string<MAX_NAME>; // bounded\n    tags: array<u8, 8>;\n}\n\n`;
    text += `/// Service ${i}.\ninterface Svc${i} : user {\n`;
    for (let m = 0; m < METHODS; m++) {
      text += `    /// Method ${m}.\n    op${m}(key: u32, rec: Rec${i}, data: bytes<128>) -> (status: i32, out: desc<door, send>);\n`;
    }
    text += "}\n\n";
  }
  return text;
}

/** Median wall time of `runs` calls, in milliseconds. */
function median(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export default function benchSyntax(): void {
  const text = generate();
  const methods = INTERFACES * METHODS;
  const megabytes = text.length / 1e6;
  const parsed = parseFile("bench.idl", text);
  if (parsed.diagnostics.length > 0) throw new Error(`bench input has errors: ${parsed.diagnostics[0]!.message}`);

  const lex = median(5, () => idlLexer.tokenize(text));
  const parse = median(5, () => parseFile("bench.idl", text));
  const format = median(5, () => formatFile(parsed.file, text));

  const row = (name: string, ms: number): string[] => [
    name,
    fmt(ms, 1),
    fmt(methods / (ms / 1000)),
    fmt(megabytes / (ms / 1000), 1),
    `${fmt(ms / lex, 1)}×`,
  ];
  printTable(
    `syntax: ${fmt(INTERFACES)} interfaces × ${METHODS} methods, ${fmt(megabytes, 2)} MB (median of 5)`,
    ["step", "ms", "methods/s", "MB/s", "vs lexer"],
    [row("lex (baseline)", lex), row("lex + parse + AST", parse), row("format (AST → text)", format)],
  );
}
