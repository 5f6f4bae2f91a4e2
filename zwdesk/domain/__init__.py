"""Pure domain: facts, validation and the policy engine (no Qt, no SQL, no I/O)."""
