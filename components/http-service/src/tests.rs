//! Host tests: the service on a simulated network (see `test_network`).
mod exchanges;
mod hostile;
mod pool;
