"""antseed.funds: deposits available to pay sellers, from ``antseed buyer status --json``.

``buyer status`` creates ``identity.key`` when there is none; the doctor
changes nothing, so it runs the command only when the identity exists.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import List

from doctor.context import Context
from doctor.finding import Finding, Fix, error, info, ok, warning
from doctor.plugin import check

from ..programs import find, run
from .proxy import INSTALL_CLI
from .settings import data_dir

CODES = {
    "ANT040": "deposits are available",
    "ANT041": "no deposits available: paid requests fail with 402",
    "ANT042": "the chain was unreachable, deposits unknown",
    "ANT043": "the antseed CLI is not installed",
    "ANT044": "no AntSeed identity yet (the doctor will not create one)",
    "ANT045": "`antseed buyer status --json` failed or timed out",
}

STATUS_TIMEOUT = 2.0


@check("antseed.funds", "AntSeed deposits", timeout=2.5, codes=CODES, order=20)
def antseed_funds_check(ctx: Context) -> List[Finding]:
    cli = find(ctx, "antseed")
    if not cli:
        return [info("ANT043", "the antseed CLI is not on PATH",
                     "The buyer proxy and deposits are managed with it.",
                     Fix("Install it.", (INSTALL_CLI, "antseed --version")))]
    if not (data_dir(ctx) / "identity.key").exists() and not ctx.env.get("ANTSEED_IDENTITY_HEX"):
        return [info("ANT044", "no AntSeed identity yet, so no deposits to check",
                     "`antseed buyer status` would create identity.key; the doctor changes "
                     "nothing.", Fix("Start the buyer once; it creates the identity.",
                                     ("antseed buyer start",)))]
    done = run(ctx, [cli, "buyer", "status", "--json"], STATUS_TIMEOUT)
    if done.failure == "timeout":
        return [warning("ANT045", f"`antseed buyer status --json` took over {STATUS_TIMEOUT:g} s",
                        "", Fix("Run it yourself to see your deposits.",
                                ("antseed buyer status",)))]
    if done.failure:
        return [warning("ANT045", f"`antseed buyer status --json` could not run: {done.failure}",
                        "", Fix("Reinstall the AntSeed CLI.", (INSTALL_CLI,)))]
    try:
        data = json.loads(done.stdout)
        available = data["depositsAvailable"]
    except (ValueError, KeyError, TypeError):
        return [warning("ANT045", f"`antseed buyer status --json` exited {done.returncode} "
                                  "without the expected JSON", done.stderr.strip()[-200:],
                        Fix("Run it yourself to see your deposits.", ("antseed buyer status",)))]
    if available is None:
        return [info("ANT042", "deposits unknown: the chain RPC was unreachable", "",
                     Fix("Check your network, or set payments.crypto.rpcUrl.",
                         ("antseed buyer status",)))]
    try:
        amount = Decimal(str(available))
    except InvalidOperation:
        amount = Decimal(0)
    if amount <= 0:
        return [error("ANT041", f"deposits available: {available} USDC",
                      "Paid sellers answer 402 payment_required.",
                      Fix("Deposit USDC for buying.", ("antseed buyer deposit 5",)),
                      available=str(available))]
    return [ok("ANT040", f"deposits available: {available} USDC",
               f"reserved: {data.get('depositsReserved')}", available=str(available))]
