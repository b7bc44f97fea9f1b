"""Writes of the program core, one module a concept. The status moves are in
`certification.workflow`."""
