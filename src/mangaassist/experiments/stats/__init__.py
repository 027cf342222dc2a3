"""Pure statistics on numbers and arrays; every function validates its input."""
