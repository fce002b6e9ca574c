// Parses an AsyncAPI document with @asyncapi/parser (the spec's own validation rules) and fails on any error.
//   node validate-asyncapi.mjs FILE
import { readFileSync } from 'node:fs';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate-asyncapi.mjs FILE');
  process.exit(2);
}
const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(file, 'utf8'), { source: file });
const errors = diagnostics.filter(d => d.severity === DiagnosticSeverity.Error);
const warnings = diagnostics.filter(d => d.severity === DiagnosticSeverity.Warning);
for (const d of diagnostics) {
  const level = d.severity === DiagnosticSeverity.Error ? 'error' : d.severity === DiagnosticSeverity.Warning ? 'warning' : 'info';
  console.log(`${level}  ${d.code}  ${d.path.join('.')}  ${d.message}`);
}
if (!document || errors.length > 0) {
  console.log(`AsyncAPI: ${file} is NOT valid: ${errors.length} error(s), ${warnings.length} warning(s)`);
  process.exit(1);
}
const messages = document.allMessages().all().map(m => m.name());
console.log(`AsyncAPI ${document.version()}: ${file} is valid: 0 errors, ${warnings.length} warning(s); ` +
  `${document.channels().length} channels, ${messages.length} messages (${messages.join(', ')})`);
