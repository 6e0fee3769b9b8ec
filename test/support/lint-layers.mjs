// Lints one text as if it were the file named in argv[2] with only the layering rules, and prints
// the messages as JSON. A child process: jest's module sandbox cannot load eslint.config.mjs.
import { ESLint } from "eslint";
import { readFileSync } from "node:fs";

const eslint = new ESLint({
  // Without type information: the file is not in any tsconfig.
  overrideConfig: { languageOptions: { parserOptions: { project: null } } },
  // The layering rule, and the one refusing dynamic import() (which it would not see).
  ruleFilter: ({ ruleId }) =>
    ruleId === "no-restricted-imports" || ruleId === "no-restricted-syntax",
});
const [result] = await eslint.lintText(readFileSync(0, "utf8"), { filePath: process.argv[2] });
process.stdout.write(JSON.stringify(result.messages.map(m => `${m.ruleId}: ${m.message}`)));
