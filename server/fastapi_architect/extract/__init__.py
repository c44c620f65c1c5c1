"""Extract engine: (project, file, position) → multi-file edit plan."""
