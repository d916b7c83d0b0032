// The explorer's calls to the server: the REST API under /api/v1 and the SPARQL endpoint.
// Every URL is same-origin; errors come back as problem+json and are thrown with their detail.

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

async function failure(response, url) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // Not JSON: the message names the status.
  }
  return new ApiError(response.status, problem, url);
}

/** GETs `path` under /api/v1 with these query parameters and returns its JSON. */
export async function get(path, params = {}) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
  const url = `${API}${path}${query.size ? `?${query}` : ''}`;
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw await failure(response, url);
  return response.json();
}

/** The path segment of an entity or statement id. */
export const segment = (id) => encodeURIComponent(id);

/** Runs a SELECT with the explorer's prefixes and returns its rows as {variable: value}. */
export async function select(query) {
  const response = await fetch('/sparql', {
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
  const response = await fetch(url);
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
