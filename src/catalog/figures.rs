//! Reported figures as each source gives them: the `eg:Quantity` resources (casualty counts,
//! populations, ...) grouped by what they count (`eg:countOf`), each with its value, the
//! hedge the source put on it (`eg:hedge`: lower bound, approximate, exact; `eg:hedgeWord`:
//! "more than", "about"), the figure as printed (`eg:printedAs`) and the statements that
//! report it. Two sources that count the same thing differently are two figures of one
//! group; that is what the contested view shows.
//!
//! Read by SPARQL over the union of all graphs, a page of groups at a time: the groups are
//! ordered by how many figures they have (most first, where sources differ), then by what
//! they count. This module reads; it does not decide which statements a filter keeps.

use std::sync::Arc;

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

use super::events::{iri, lexical, select};
use super::{Catalog, CatalogError, Labelled, StatementRecord};

/// One figure: a quantity as one source gives it.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The quantity.
    pub quantity: Labelled,
    /// `eg:value`, when the figure reads as a number.
    pub value: Option<String>,
    /// `eg:probableValue`, when the figure as printed cannot be right.
    pub probable_value: Option<String>,
    /// `eg:printedAs`: the figure as the source printed it.
    pub printed_as: Option<String>,
    /// `eg:hedge`: `eg:LowerBound`, `eg:Approximate`, `eg:Exact`, ...
    pub hedge: Option<NamedNode>,
    /// `eg:hedgeWord`: the words of the hedge ("more than", "about").
    pub hedge_word: Option<String>,
    /// The statements that report it (`rdf:object` the quantity).
    pub statements: Vec<Arc<StatementRecord>>,
}

/// The figures of one counted thing.
#[derive(Debug, Clone)]
pub struct FigureGroup {
    /// What is counted (`eg:countOf`; the quantity's IRI when it says nothing).
    pub counted: String,
    /// The figures, by quantity IRI.
    pub figures: Vec<Figure>,
}

impl FigureGroup {
    /// Whether its figures differ: two values, or two printings where no value is given.
    pub fn is_contested(&self) -> bool {
        let mut seen: Vec<&str> = self
            .figures
            .iter()
            .filter_map(|f| {
                f.value
                    .as_deref()
                    .or(f.probable_value.as_deref())
                    .or(f.printed_as.as_deref())
            })
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len() > 1
    }
}

/// What a quantity counts, in SPARQL: `eg:countOf`, else the quantity's IRI.
const COUNTED: &str = "?q a eg:Quantity . OPTIONAL { ?q eg:countOf ?c } \
                       BIND(COALESCE(STR(?c), STR(?q)) AS ?counted)";

impl Catalog<'_> {
    /// How many counted things the store has figures for.
    ///
    /// # Errors
    /// [`CatalogError`] when the store cannot be read.
    pub fn figure_group_count(&self) -> Result<usize, CatalogError> {
        let rows = select(
            self.store,
            &format!("SELECT (COUNT(DISTINCT ?counted) AS ?n) WHERE {{ {COUNTED} }}"),
        )?;
        Ok(rows
            .first()
            .and_then(|row| lexical(row, "n"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0))
    }

    /// A page of figure groups: `limit` groups after the first `offset`, most figures first,
    /// then by what they count.
    ///
    /// # Complexity
    /// One grouping query over every quantity, then index reads for the page's figures and
    /// their statements.
    ///
    /// # Errors
    /// [`CatalogError`] when the store cannot be read.
    pub fn figure_groups(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<FigureGroup>, CatalogError> {
        let page = select(
            self.store,
            &format!(
                "SELECT ?counted (COUNT(DISTINCT ?q) AS ?n) WHERE {{ {COUNTED} }} \
                 GROUP BY ?counted ORDER BY DESC(?n) ?counted LIMIT {limit} OFFSET {offset}"
            ),
        )?;
        let mut groups = Vec::with_capacity(page.len());
        for row in page {
            let Some(counted) = lexical(&row, "counted") else {
                continue;
            };
            let literal = oxigraph::model::Literal::new_simple_literal(&counted).to_string();
            let rows = select(
                self.store,
                &format!(
                    "SELECT DISTINCT ?q ?value ?probable ?printed ?hedge ?word WHERE {{ \
                     {COUNTED} FILTER(?counted = {literal}) \
                     OPTIONAL {{ ?q eg:value ?value }} \
                     OPTIONAL {{ ?q eg:probableValue ?probable }} \
                     OPTIONAL {{ ?q eg:printedAs ?printed }} \
                     OPTIONAL {{ ?q eg:hedge ?hedge }} \
                     OPTIONAL {{ ?q eg:hedgeWord ?word }} }} ORDER BY ?q"
                ),
            )?;
            let mut figures: Vec<Figure> = Vec::with_capacity(rows.len());
            for row in rows {
                let Some(quantity) = iri(&row, "q") else {
                    continue;
                };
                if figures.iter().any(|f| f.quantity.iri == quantity.as_str()) {
                    continue;
                }
                figures.push(Figure {
                    quantity: self.labelled(quantity.as_ref())?,
                    value: lexical(&row, "value"),
                    probable_value: lexical(&row, "probable"),
                    printed_as: lexical(&row, "printed"),
                    hedge: iri(&row, "hedge"),
                    hedge_word: lexical(&row, "word"),
                    statements: self.statements_reporting(&quantity)?,
                });
            }
            groups.push(FigureGroup { counted, figures });
        }
        Ok(groups)
    }

    /// The statements whose `rdf:object` is `object`, by IRI.
    fn statements_reporting(
        &self,
        object: &NamedNode,
    ) -> Result<Vec<Arc<StatementRecord>>, CatalogError> {
        let mut iris: Vec<NamedNode> = Vec::new();
        for quad in self.store.oxigraph().quads_for_pattern(
            None,
            Some(rdf::OBJECT),
            Some(Term::from(object.clone()).as_ref()),
            None,
        ) {
            if let NamedOrBlankNode::NamedNode(statement) = quad?.subject {
                iris.push(statement);
            }
        }
        iris.sort();
        iris.dedup();
        let mut statements = Vec::with_capacity(iris.len());
        for statement in iris {
            if let Some(record) = self.shared_statement(statement.as_ref())? {
                statements.push(record);
            }
        }
        Ok(statements)
    }
}
