#!/usr/bin/env bash
# The sandbox's own throughput with a C load generator (wrk, Debian package `wrk`): the sandbox on core 1,
# wrk on core 0, rate limits off. The JS load generator of `npm run bench -- sandbox` needs a core of its
# own and saturates before the server does on a 2-core machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
port=${SANDBOX_BENCH_PORT:-4098}
work=$(mktemp -d)
SANDBOX_PORT=$port SANDBOX_HOST=127.0.0.1 SANDBOX_RATE_LIMITS=off taskset -c 1 node "$root/sandbox/dist/main.js" >"$work/sandbox.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/_sandbox/health" >/dev/null && break; sleep 0.1; done
sid="AC$(printf 'b%.0s' $(seq 32))"
basic() { printf '%s' "$1" | base64 -w0; }
cat >"$work/twilio.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(basic "$sid:token")"
n = 0
request = function() n = n + 1; return wrk.format(nil, nil, nil, "To=%2B1415" .. string.format("%07d", n % 9000000 + 1000000) .. "&From=%2B14155550100&Body=Hello") end
LUA
cat >"$work/whatsapp.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer token"
wrk.body = '{"messaging_product":"whatsapp","to":"14155550123","type":"text","text":{"body":"Hello"}}'
LUA
cat >"$work/mailgun1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(basic "api:key")"
n = 0
request = function() n = n + 1; return wrk.format(nil, nil, nil, "from=a%40mg.bench.test&to=r" .. n .. "%40bench.test&subject=Hi&text=Hello") end
LUA
node -e '
const to = Array.from({ length: 1000 }, (_, i) => `r${i}@bench.test`);
const body = new URLSearchParams({ from: "a@mg.bench.test", subject: "Hi %recipient.id%", text: "Hello %recipient.id%", "recipient-variables": JSON.stringify(Object.fromEntries(to.map((t, i) => [t, { id: String(i) }]))) });
for (const t of to) body.append("to", t);
process.stdout.write(body.toString());' >"$work/mailgun1000.body"
cat >"$work/mailgun1000.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(basic "api:key")"
local f = io.open("$work/mailgun1000.body", "r"); wrk.body = f:read("*a"); f:close()
LUA
run() { # name, connections, script, url
  local out; out=$(taskset -c 0 wrk -t1 -c"$2" -d5s -s "$work/$3" "http://127.0.0.1:$port$4")
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  local bad; bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '  %-34s %10s requests/s%s\n' "$1" "$(printf "%'.0f" "$rps")" "${bad:+ ($bad non-2xx)}"
}
echo "Sandbox throughput, wrk on core 0, sandbox on core 1, 5 s each (load: $(cut -d' ' -f1-3 /proc/loadavg))"
run "Twilio Messages.json create" 16 twilio.lua "/2010-04-01/Accounts/$sid/Messages.json"
run "WhatsApp /messages (text)" 16 whatsapp.lua "/v21.0/1234567890/messages"
run "Mailgun /messages, 1 recipient" 16 mailgun1.lua "/v3/mg.bench.test/messages"
run "Mailgun /messages, 1,000 recipients" 4 mailgun1000.lua "/v3/mg.bench.test/messages"
echo "  (Mailgun batches: multiply by 1,000 for recipients/s)"
