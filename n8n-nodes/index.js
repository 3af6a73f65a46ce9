// n8n loads the files listed in package.json "n8n"; this entry point only exists for `main`.
module.exports = {};
