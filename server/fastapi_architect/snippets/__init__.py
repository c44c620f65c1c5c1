"""The snippet engine: the Depends snippets of ``snippets/*.code-snippets`` as completions.

- ``grammar``: VS Code's snippet syntax parsed into nodes;
- ``rendering``: nodes expanded at their defaults, or rendered back with variables resolved;
- ``catalog``: the snippet file loaded, validated and analysed (context, needed names);
- ``selection``: which snippets fit the typed word, their order and the imports they need;
- ``scan`` / ``cursor`` / ``document``: strings and comments, the cursor's context, and what a
  half-typed document already binds — all without parsing it whole;
- ``workspace_index``: which project module defines ``SessionDep`` and friends.

Nothing here imports pygls or lsprotocol.
"""
