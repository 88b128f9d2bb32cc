//! API and serving tests against the real server over HTTP: `spawn_app` starts
//! an [`Application`] on port 0 with a fresh database for each test, on SQLite
//! and, when `STILLE_TEST_POSTGRES` names a server, also on PostgreSQL.

mod accounts;
mod authz;
mod backup;
mod bad_input;
mod courses;
mod crash;
mod fuzz;
mod health;
mod helpers;
mod instances;
mod lifecycle;
mod mail;
mod messages;
mod metrics;
mod openapi;
mod outcomes;
mod passkeys;
mod push;
mod push_service;
mod recordings;
mod security;
mod site;
mod startup;
mod sync;
mod two_step;
