// Starts `imm lsp` for .imm files and connects VS Code to it over stdio.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('imm').get('path', 'imm');
  const server = { command, args: ['lsp'] };
  client = new LanguageClient('imm', 'imm', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'imm' }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
