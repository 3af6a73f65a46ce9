/** The `curl` that records one event on this server, line by line (the key is a placeholder: keys are created in Settings). */
export function curlExampleLines(origin: string): string[] {
  return [
    `curl -X POST ${origin}/api/v1/events \\`,
    `  -H "Authorization: Bearer cad_YOUR_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"email": "ada@example.com", "name": "signup", "properties": {"plan": "pro"}}'`,
  ];
}
