// Jest runs each test file in its own vm context, but Node's fetch lives in the main realm, so the objects
// `Response.json()` returns have another realm's Object.prototype and node:assert's strict deepEqual refuses
// them ("Compared values have no visual difference"). Parsing the text with this context's JSON makes them
// plain objects of the test's realm again; nothing else changes.
if (typeof Response === 'function') {
  Response.prototype.json = async function json() {
    return JSON.parse(await this.text());
  };
}
