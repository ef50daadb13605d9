"""antseed-doctor's engine: checks in, findings out, rendered once.

The engine knows nothing about Codex or AntSeed; all of that lives in the
check plugins (the ``checks`` package and third-party packages), which are
found through the ``antseed_doctor.checks`` entry-point group.
"""

__version__ = "0.1.0"
