// The SPARQL tab: YASGUI (editor and result views) on this server's /sparql.
//
// YASGUI's editor suggests properties and classes by asking lov.linkeddata.es; the explorer
// stays on its own server, so only the completers that work offline are kept (prefixes, from
// the list YASGUI ships, and the query's own variables). It keeps no state between visits
// (no persistence), so the endpoint is always this server's. On a private server it sends the
// tab's token with each query, as every call of the explorer does.

import { authorization } from './api.js';

const EXAMPLE = `PREFIX eg: <https://w3id.org/eventgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Through whom does the United States contact Hamas, and who says so?
SELECT ?subject ?via ?speaker ?quote WHERE {
  ?statement rdf:predicate eg:contactsVia ;
             rdf:subject/rdfs:label ?subject ;
             eg:intermediary/rdfs:label ?via ;
             eg:speaker/rdfs:label ?speaker ;
             eg:quote ?quote .
}
ORDER BY ?via
`;

/** Creates YASGUI in `element`, querying this server's endpoint. */
export function createYasgui(element) {
  const Yasgui = window.Yasgui;
  Yasgui.Yasqe.defaults.autocompleters = ['prefixes', 'variables'];
  const endpoint = new URL('/sparql', window.location.href).href;
  const yasgui = new Yasgui(element, {
    requestConfig: { endpoint, method: 'POST', headers: () => authorization() },
    endpointCatalogueOptions: { getData: () => [{ endpoint }], keys: [] },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    persistenceId: null,
    tabName: 'Query',
    yasqe: { value: EXAMPLE },
  });
  const yasqe = yasgui.getTab().getYasqe();
  if (!yasqe.getValue().trim() || yasqe.getValue().trim() === yasqe.config?.value?.trim()) {
    yasqe.setValue(EXAMPLE);
  }
  return yasgui;
}
