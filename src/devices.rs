//! devices (next)
