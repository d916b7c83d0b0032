//! Small HTTP helpers over ureq that never turn a status into an error, so tests can assert it.

use serde_json::Value;

/// A response: status, content type, headers and body.
pub struct Response {
    pub status: u16,
    pub content_type: String,
    /// Every header, names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn read(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Response {
    let mut response = response.unwrap();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    Response {
        status: response.status().as_u16(),
        content_type,
        headers,
        body: response.body_mut().read_to_string().unwrap(),
    }
}

/// GET `url` with these headers.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = agent().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read(request.call())
}

/// POST `body` to `url` with these headers.
pub fn post(url: &str, headers: &[(&str, &str)], body: &str) -> Response {
    let mut request = agent().post(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read(request.send(body))
}

/// Sends `method` without a body.
pub fn send(method: &str, url: &str) -> Response {
    request(method, url, &[], None)
}

/// Sends any method, with these headers and an optional body.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Response {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .max_redirects(0)
        .build()
        .new_agent();
    match body {
        Some(body) => read(agent.run(builder.body(body.to_owned()).unwrap())),
        None => read(agent.run(builder.body(()).unwrap())),
    }
}

/// Percent-encodes a path segment (spaces as `%20`, not `+`).
pub fn encode_path(value: &str) -> String {
    encode(value).replace('+', "%20")
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Runs a SELECT or ASK through GET `/sparql` and returns the SPARQL JSON results.
pub fn sparql_json(base: &str, query: &str) -> Value {
    let response = get(
        &format!("{base}/sparql?query={}", encode(query)),
        &[("Accept", "application/sparql-results+json")],
    );
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()
}

/// The values of `variable` across the rows of a SPARQL JSON result.
pub fn column(results: &Value, variable: &str) -> Vec<String> {
    results["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row[variable]["value"].as_str().map(str::to_owned))
        .collect()
}
