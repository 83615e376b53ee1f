/**
 * A require hook that compiles TypeScript on the fly (typescript.transpileModule, no type check), so an
 * e2e test can spawn `apps/cli/src/main.ts` as a real process without a build:
 * `node -r ./test/helpers/ts-register.cjs apps/cli/src/main.ts serve`.
 */
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const options = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  resolveJsonModule: true,
  sourceMap: false,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};
