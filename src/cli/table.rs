//! Printing SELECT solutions as a readable table for people at a terminal.
//!
//! IRIs under a well-known namespace are shortened to `prefix:local`
//! (`vocab::PREFIXES`), literals show their lexical form with a language tag
//! where there is one. Scripts should ask for CSV, TSV or JSON instead.

use std::io::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use oxigraph::model::Term;
use oxigraph::sparql::QuerySolutionIter;

use crate::vocab;

/// Prints `solutions` as a table followed by the row count.
pub fn print_solutions(
    solutions: QuerySolutionIter<'_>,
    mut out: impl Write,
) -> anyhow::Result<()> {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(solutions.variables().iter().map(|v| v.as_str().to_owned()));
    let width = solutions.variables().len();
    let mut rows = 0_u64;
    for solution in solutions {
        let solution = solution?;
        let row: Vec<String> = (0..width)
            .map(|i| solution.get(i).map(display_term).unwrap_or_default())
            .collect();
        table.add_row(row);
        rows += 1;
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{rows} row{}", if rows == 1 { "" } else { "s" })?;
    Ok(())
}

/// A term as a person reads it.
fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => compact_iri(node.as_str()),
        Term::BlankNode(node) => node.to_string(),
        Term::Literal(literal) => match literal.language() {
            Some(language) => format!("{}@{language}", literal.value()),
            None => literal.value().to_owned(),
        },
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// `prefix:local` for an IRI under a well-known namespace, else `<iri>`.
fn compact_iri(iri: &str) -> String {
    vocab::PREFIXES
        .iter()
        .find_map(|(prefix, namespace)| {
            iri.strip_prefix(namespace)
                .filter(|local| !local.is_empty() && !local.contains(['/', '#']))
                .map(|local| format!("{prefix}:{local}"))
        })
        .unwrap_or_else(|| format!("<{iri}>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_namespaces_are_shortened() {
        assert_eq!(
            compact_iri("https://w3id.org/eventgraph/ontology#contactsVia"),
            "eg:contactsVia"
        );
        assert_eq!(
            compact_iri("http://example.com/x"),
            "<http://example.com/x>"
        );
    }
}
