// Reads Cytoscape.js JSON exports with cytoscape.js itself, headless in Node, and prints
// what it loaded as one JSON line per file: {"nodes": {id: label}, "edges": [[source,
// target, predicate], ...]}. Usage: node read_cytoscape.mjs FILE...
import { readFileSync } from "node:fs";
import cytoscape from "cytoscape";

for (const path of process.argv.slice(2)) {
  const document = JSON.parse(readFileSync(path, "utf8"));
  const cy = cytoscape({ headless: true, styleEnabled: false, elements: document.elements });
  const nodes = {};
  cy.nodes().forEach((node) => {
    nodes[node.id()] = node.data("label");
  });
  const edges = cy.edges().map((edge) => [edge.source().id(), edge.target().id(), edge.data("predicate")]);
  process.stdout.write(JSON.stringify({ format: "cytoscape", nodes, edges }) + "\n");
}
