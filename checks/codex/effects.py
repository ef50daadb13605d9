"""What a problem does to the launch; the verdict ranks problems by it.

Stored in each finding's evidence under ``effect`` so the JSON says it too.
"""

REFUSES_TO_START = "refuses-to-start"  # Codex exits with an error before any request
MISROUTES = "misroutes"                # Codex runs, but talks to OpenAI (or elsewhere)
FAILS_REQUESTS = "fails-requests"      # Codex talks to the provider, but requests fail
NONE = "none"                          # works now; noted for the user's benefit

RANK = {REFUSES_TO_START: 0, MISROUTES: 1, FAILS_REQUESTS: 2, NONE: 3}
