//! Serializing query results in a [`ResultFormat`] to any writer.
//!
//! Solutions are written while they are computed, so memory stays flat for
//! large results; the writer decides where the bytes go (a buffer for HTTP,
//! standard output for the CLI).

use std::io::Write;

use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::QueryResultsSerializer;

use super::{ResultFormat, SparqlError};
use crate::store::dump::serializer as rdf_serializer;

/// Writes `results` to `writer` in `format`, returning the writer; at most `max_rows`
/// solutions or triples.
///
/// # Errors
/// [`SparqlError::Evaluation`] when a solution fails to compute, [`SparqlError::TooManyResults`]
/// past `max_rows`, [`SparqlError::Output`] when the writer fails or the format does not fit
/// the results (the caller chooses the format from [`ResultFormat::all_for`], so that does not
/// happen).
pub fn write<W: Write>(
    results: QueryResults<'_>,
    format: ResultFormat,
    writer: W,
    max_rows: u64,
) -> Result<W, SparqlError> {
    let mut rows = 0_u64;
    let mut count = || {
        rows += 1;
        if rows > max_rows {
            Err(SparqlError::TooManyResults { limit: max_rows })
        } else {
            Ok(())
        }
    };
    match (results, format) {
        (QueryResults::Boolean(value), ResultFormat::Results(format)) => {
            Ok(QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(writer, value)?)
        }
        (QueryResults::Solutions(solutions), ResultFormat::Results(format)) => {
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(writer, solutions.variables().to_vec())?;
            for solution in solutions {
                count()?;
                serializer.serialize(&solution?)?;
            }
            Ok(serializer.finish()?)
        }
        (QueryResults::Graph(triples), ResultFormat::Rdf(format)) => {
            let mut serializer = rdf_serializer(format).for_writer(writer);
            for triple in triples {
                count()?;
                serializer.serialize_triple(&triple?)?;
            }
            Ok(serializer.finish()?)
        }
        (_, format) => Err(SparqlError::Output(std::io::Error::other(format!(
            "{} cannot hold this kind of query result",
            format.media_type()
        )))),
    }
}
