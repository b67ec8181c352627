//! The error answers of the document, defined once under `components/responses` and referenced
//! by every operation that can give them. Handlers declare their answers with the problem types
//! of `http::problem` (or inline tuples); [`share`] turns each declared problem answer into a
//! reference to its shared definition (keeping an operation's own description as the
//! reference's `description`) and adds the answers every operation of a kind can give:
//! 400/413/415 on request bodies (the shared body readers) and 503 on every route that reaches
//! the database. File bodies are declared as binary strings.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// Status, component name and description of each shared answer.
pub const SHARED: [(&str, &str, &str); 12] = [
    ("400", "BadRequest", "The body is empty or not valid JSON, or the request is malformed"),
    ("401", "Unauthorized", "No valid access token (missing, expired, wrong signature, issuer or audience)"),
    ("403", "Forbidden", "The caller's role or scope may not do this"),
    ("404", "NotFound", "Not found, or not visible to the caller"),
    ("405", "MethodNotAllowed", "The path exists but not with this method; `Allow` lists the methods it has"),
    ("409", "Conflict", "Not allowed in the current state; `allowed_actions` names what is"),
    (
        "412",
        "PreconditionFailed",
        "`If-Match` names a version the record no longer has: it was changed since you read it; read it again (nothing was changed)",
    ),
    ("413", "PayloadTooLarge", "The body is larger than the server accepts"),
    ("415", "UnsupportedMediaType", "The body's media type is not one this operation accepts"),
    ("422", "ValidationFailed", "Invalid input: `errors` names each field (JSON pointer) and the reason"),
    (
        "429",
        "TooManyRequests",
        "Too many requests from this address (or failed attempts); `Retry-After` says how long to wait",
    ),
    (
        "503",
        "Unavailable",
        "The database is unreachable or the instance is shutting down; `Retry-After` says when to try again",
    ),
];

/// The shared answers as components.
fn shared_components() -> Vec<(String, RefOr<Response>)> {
    SHARED
        .iter()
        .map(|(status, name, description)| {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
            let mut response =
                ResponseBuilder::new().description(*description).content("application/problem+json", content);
            let integer = || ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).build();
            let string = || ObjectBuilder::new().schema_type(Type::String).build();
            response = match *status {
                "401" => response.header(
                    "WWW-Authenticate",
                    HeaderBuilder::new()
                        .schema(string())
                        .description(Some("`Bearer realm=\"huurtoezicht\"`"))
                        .build(),
                ),
                "405" => response.header(
                    "Allow",
                    HeaderBuilder::new()
                        .schema(string())
                        .description(Some("The methods the path has, e.g. `GET, PATCH`"))
                        .build(),
                ),
                "429" | "503" => response.header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(integer())
                        .description(Some("Seconds to wait before trying again"))
                        .build(),
                ),
                _ => response,
            };
            ((*name).to_string(), RefOr::T(response.build()))
        })
        .collect()
}

fn shared_ref(status: &str, description: &str) -> Option<RefOr<Response>> {
    let (_, name, standard) = SHARED.iter().find(|(s, _, _)| *s == status)?;
    let mut r = Ref::new(format!("#/components/responses/{name}"));
    if description != *standard && !description.is_empty() {
        r.description = description.to_string();
    }
    Some(RefOr::Ref(r))
}

/// A problem answer declared inline: only `application/problem+json`, no headers of its own.
fn is_problem(response: &Response) -> bool {
    response.content.len() == 1 && response.content.contains_key("application/problem+json")
}

/// File contents (PDF, images, anything not JSON or text) are binary strings.
fn binary_content(content: &mut utoipa::openapi::Content, media_type: &str) {
    if media_type.contains("json") || media_type.starts_with("text/") {
        return;
    }
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)));
    content.schema = Some(RefOr::T(schema.into()));
}

fn share_operation(op: &mut Operation, db: bool) {
    let body_kind = op.request_body.as_mut().map(|b| {
        for (media_type, content) in b.content.iter_mut() {
            binary_content(content, media_type);
        }
        b.content.contains_key("application/json")
    });
    match body_kind {
        Some(true) => ["400", "413", "415"].as_slice(),
        Some(false) => ["413", "415"].as_slice(),
        None => [].as_slice(),
    }
    .iter()
    .chain(db.then_some(&"503"))
    .for_each(|status| {
        if let Some(r) = shared_ref(status, "") {
            op.responses.responses.entry((*status).to_string()).or_insert(r);
        }
    });
    if is_conditional(op) {
        for (status, response) in op.responses.responses.iter_mut() {
            if let (true, RefOr::T(r)) = (status.starts_with('2'), response) {
                r.headers.entry("ETag".to_string()).or_insert_with(etag_header);
            }
        }
        for status in ["412", "422"] {
            if let Some(r) = shared_ref(status, "") {
                op.responses.responses.entry(status.to_string()).or_insert(r);
            }
        }
    }
    for (status, response) in op.responses.responses.iter_mut() {
        if let RefOr::T(r) = response {
            for (media_type, content) in r.content.iter_mut() {
                binary_content(content, media_type);
            }
            if is_problem(r) && r.headers.is_empty() {
                if let Some(shared) = shared_ref(status, &r.description) {
                    *response = shared;
                }
            }
        }
    }
}

/// An operation that takes `If-Match` (`http::preconditions::IfMatch`): it answers 412 on a stale
/// version and 422 on a header that names no entity tag (e.g. an empty one), and its successful
/// answers carry the record's new `ETag`.
fn is_conditional(op: &Operation) -> bool {
    op.parameters
        .iter()
        .flatten()
        .any(|p| p.name == "If-Match" && p.parameter_in == utoipa::openapi::path::ParameterIn::Header)
}

/// The `ETag` header of an answer that holds a versioned record.
pub fn etag_header() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String).build())
        .description(Some(
            "The record's version as a strong entity tag (e.g. `\"4\"`); send it as `If-Match` with a change",
        ))
        .build()
}

/// Applies the shared answers to every operation and adds their definitions.
pub fn share(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for (path, item) in api.paths.paths.iter_mut() {
        let db = path != "/health";
        let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for op in operations.into_iter().flatten() {
            share_operation(op, db);
        }
    }
    let components = api.components.get_or_insert_with(Default::default);
    components.responses.extend(shared_components());
    api
}
