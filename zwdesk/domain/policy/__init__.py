"""The policy engine: one module per item of the notice, parameters as dated data."""
