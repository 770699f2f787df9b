"""Command implementations for the ``shitstorm`` CLI, one module per area.

Each module exposes ``COMMANDS``: the click commands or groups it adds. Heavy
imports (pandas, scikit-learn, ruptures, ...) happen inside the command bodies,
so ``shitstorm --help`` stays fast.
"""
