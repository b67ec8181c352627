//! Rebuilds the crate when a migration is added or changed: `embed_migrations!` (src/db/mod.rs)
//! reads the migration folders at compile time, and Cargo does not know about them otherwise
//! (a new migration folder would be missing from the binary until something else changed).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
