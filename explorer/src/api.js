// The explorer's calls to the server: the REST API under /api/v1 and the SPARQL endpoint.
// Every URL is same-origin; errors come back as problem+json and are thrown with their detail.
//
// A private server (one with read tokens) answers every call 401 without a token, while the
// page itself loads without one (a browser sends no bearer header when it navigates). Then
// `send` asks for a token with the function `whenUnauthorized` was given, keeps it in this
// tab's sessionStorage (gone when the tab closes; never in a URL, a cookie or localStorage),
// sends it as `Authorization: Bearer` on every call and tries the refused call again.

const API = '/api/v1';

/** The ontology's namespace, and the prefixes the explorer's own queries use. */
export const EG = 'https://w3id.org/eventgraph/ontology#';
const PREFIXES = `PREFIX eg: <${EG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
`;

/** An error answer of the server, with its problem document when there is one. */
export class ApiError extends Error {
  constructor(status, problem, url) {
    super(problem?.detail || problem?.title || `HTTP ${status} from ${url}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The sessionStorage key of the token. */
const TOKEN_KEY = 'eventgraph.token';

/** Asks a person for a token: `(problem) => Promise<token>`; null: a 401 is thrown. */
let askForToken = null;
/** The question being asked, so that calls refused together ask once. */
let asking = null;

/**
 * Sets how a token is asked for when a call answers 401: `ask(problem)` resolves to the token
 * a person gave; `problem` is the message of the refused token, or null when none was sent.
 */
export function whenUnauthorized(ask) {
  askForToken = ask;
}

/** The Authorization header of the token this tab holds, or no header. */
export function authorization() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** fetch() with the tab's token; on 401 asks for a token and tries again with the new one. */
async function send(url, init = {}) {
  for (;;) {
    const sent = sessionStorage.getItem(TOKEN_KEY);
    const response = await fetch(url, { ...init, headers: { ...init.headers, ...authorization() } });
    if (response.status !== 401 || !askForToken) return response;
    const refused = await failure(response, url);
    await newToken(sent, refused.message);
  }
}

/** Waits for a token to replace `sent`, the one a call was refused with. */
async function newToken(sent, message) {
  if (!asking && sessionStorage.getItem(TOKEN_KEY) === sent) {
    sessionStorage.removeItem(TOKEN_KEY);
    asking = askForToken(sent === null ? null : message)
      .then((token) => sessionStorage.setItem(TOKEN_KEY, token))
      .finally(() => {
        asking = null;
      });
  }
  // Otherwise another call is asking already, or has got a new token: try that one.
  await asking;
}

async function failure(response, url) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // Not JSON: the message names the status.
  }
  return new ApiError(response.status, problem, url);
}

/**
 * The query string of these parameters: an array value repeats its parameter (`said_by=a&said_by=b`);
 * undefined, null and empty values are left out.
 */
export function queryString(params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== '') query.append(name, String(one));
    }
  }
  return query.size ? `?${query}` : '';
}

/** GETs `path` under /api/v1 with these query parameters and returns its JSON. */
export async function get(path, params = {}) {
  const url = `${API}${path}${queryString(params)}`;
  const response = await send(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw await failure(response, url);
  return response.json();
}

/** The path segment of an entity or statement id. */
export const segment = (id) => encodeURIComponent(id);

/** Runs a SELECT with the explorer's prefixes and returns its rows as {variable: value}. */
export async function select(query) {
  const response = await send('/sparql', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/sparql-query',
      Accept: 'application/sparql-results+json',
    },
    body: PREFIXES + query,
  });
  if (!response.ok) throw await failure(response, '/sparql');
  const results = await response.json();
  return results.results.bindings.map((row) =>
    Object.fromEntries(Object.entries(row).map(([name, term]) => [name, term.value])),
  );
}

/** The uuid of one of our resources, from its IRI. */
export const idOf = (iri) => iri.slice(iri.lastIndexOf('/') + 1);

/** Downloads `url`, keeping the server's file name; throws the server's problem on failure. */
export async function download(url, fallbackName) {
  const response = await send(url);
  if (!response.ok) throw await failure(response, url);
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] || fallbackName;
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = decodeURIComponent(name);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return link.download;
}
