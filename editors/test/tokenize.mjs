// Tokenizes .imm files with editors/imm.tmLanguage.json the way VS Code does (vscode-textmate with the
// Oniguruma regex engine) and checks what an editor shows: every file ends where it began (no string,
// heredoc, block or comment left open), comments, block types, attribute names, strings, interpolations,
// references and numbers get their scopes. Prints one summary line; exits 1 with the failures listed.
// Usage: node tokenize.mjs FILE...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const here = dirname(fileURLToPath(import.meta.url));

const wasm = readFileSync(join(here, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm')).buffer;
await oniguruma.loadWASM(wasm);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scopeName) => scopeName === 'source.imm'
    ? vsctm.parseRawGrammar(readFileSync(join(here, '..', 'imm.tmLanguage.json'), 'utf8'), 'imm.tmLanguage.json')
    : null,
});
const grammar = await registry.loadGrammar('source.imm');
const ROOT = grammar.tokenizeLine('', vsctm.INITIAL).ruleStack; // the state between top-level items

const failures = [];
let lines = 0;
let tokens = 0;
const seen = new Set();
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8').split('\n');
  let state = ROOT;
  text.forEach((line, n) => {
    const result = grammar.tokenizeLine(line, state);
    lines++;
    tokens += result.tokens.length;
    const at = (column) => result.tokens.find((t) => t.startIndex <= column && column < t.endIndex)?.scopes ?? [];
    const expect = (column, scope, what) => {
      if (!at(column).some((s) => s.startsWith(scope))) {
        failures.push(`${file}:${n + 1}:${column + 1}: ${what} is not ${scope} (${at(column).join(' ')})`);
      } else {
        seen.add(scope);
      }
    };
    const outside = state.equals(ROOT) || !at(0).some((s) => s.startsWith('string') || s.startsWith('comment.block'));
    let m;
    if (outside && (m = /^(\s*)(#|\/\/)/.exec(line))) {
      expect(m[1].length, 'comment.line', 'a comment');
    } else if (outside && (m = /^(\s*)(image|fleet|rollout|component|variable|provider|check|output|provision|fault)\s+"/.exec(line))) {
      expect(m[1].length, 'entity.name.type.block', `block type ${m[2]}`);
      expect(line.indexOf('"') + 1, 'entity.name.label', 'the label');
    } else if (outside && (m = /^(\s*)([a-z_]+)\s*=\s*"/.exec(line))) {
      expect(m[1].length, 'variable.other.property', `attribute ${m[2]}`);
      expect(line.indexOf('"', m[0].length - 1) + 1, 'string.quoted.double', 'the string');
    }
    if (outside && (m = /\$\{/.exec(line)) && !line.includes('$${') && line.trimStart()[0] !== '#') {
      expect(m.index, 'punctuation.section.interpolation.begin', 'an interpolation');
    }
    const code = /^\s*(#|\/\/)/.test(line) ? '' : line.replace(/\s#.*$/, '');
    if (outside && (m = /= (var|image|rollout|fleet|local)\./.exec(code))) {
      expect(m.index + 2, 'variable.language', `reference ${m[1]}`);
    }
    if (outside && (m = /= ([0-9]+(ms|s|m|h|d))\s*$/.exec(code))) {
      expect(m.index + 2, 'constant.numeric.duration', 'a duration');
    }
    state = result.ruleStack;
  });
  if (!state.equals(ROOT)) {
    failures.push(`${file}: the grammar ends the file inside a construct it did not close`);
  }
}
console.log(`tokenized ${process.argv.length - 2} files, ${lines} lines, ${tokens} tokens; scopes checked: ${[...seen].sort().join(', ')}`);
if (failures.length > 0) {
  console.log(failures.join('\n'));
  process.exit(1);
}
