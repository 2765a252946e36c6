//! `codegen`: the command-line front end of soap-codegen.

fn main() {}
